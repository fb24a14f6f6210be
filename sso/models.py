"""A school's own sign-in services (OpenID Connect: Microsoft Entra ID, Google Workspace),
the identities linked to its people, and whether its staff and pupils may still use a
password. Nobody is ever created here: an identity is only ever linked to a person the
school already has."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from school.models import School, SchoolOwned


class IdentityProvider(SchoolOwned):
    class Kind(models.TextChoices):
        MICROSOFT = "microsoft", _("Microsoft")
        GOOGLE = "google", _("Google")
        OTHER = "other", _("another OpenID Connect service")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    label = models.CharField(
        max_length=60,
        help_text=_('What the button says after "Sign in with", e.g. Microsoft or Google.'),
    )
    issuer = models.URLField(
        max_length=300,
        help_text=_(
            "The issuer address, e.g. https://login.microsoftonline.com/<tenant id>/v2.0 or "
            "https://accounts.google.com"
        ),
    )
    client_id = models.CharField(max_length=200)
    # Encrypted with settings.SSO_SECRET_KEY (sso/secrets.py): a database dump alone does
    # not reveal it.
    client_secret_encrypted = models.TextField()
    # Read from the issuer's discovery document when the provider is saved.
    authorization_endpoint = models.URLField(max_length=300)
    token_endpoint = models.URLField(max_length=300)
    userinfo_endpoint = models.URLField(max_length=300)
    jwks_uri = models.URLField(max_length=300)
    end_session_endpoint = models.URLField(max_length=300, blank=True)
    # Lower-case domains, without "@".
    email_domains = models.JSONField(default=list)
    for_staff = models.BooleanField(_("staff sign in with it"), default=True)
    for_pupils = models.BooleanField(_("pupils sign in with it"), default=True)
    for_parents = models.BooleanField(
        _("parents may sign in with it"),
        default=False,
        help_text=_(
            "Only a parent whose verified address at this service is the one the school "
            "holds for them. Parents always keep their password too."
        ),
    )
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school", "label"]
        constraints = [
            models.UniqueConstraint(fields=["school", "kind"], name="sso_one_provider_of_a_kind")
        ]
        indexes = [models.Index(fields=["school", "enabled"], name="sso_provider_school")]

    def __str__(self):
        return f"{self.label} ({self.school})"


class IdentityLink(SchoolOwned):
    """A person's identity at one of their school's providers, linked at their first
    sign-in; later sign-ins are matched by (issuer, subject), the provider's stable id."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="links")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identity_links"
    )
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    email = models.EmailField(help_text=_("The address the provider vouched for when linked"))
    linked_at = models.DateTimeField(auto_now_add=True)
    last_signed_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_link_one_identity"),
            models.UniqueConstraint(fields=["provider", "user"], name="sso_link_one_per_provider"),
        ]
        indexes = [models.Index(fields=["school", "user"], name="sso_link_school_user")]

    def __str__(self):
        return f"{self.email} at {self.issuer}"


class SignInPolicy(models.Model):
    """Whether a school's staff and pupils may still sign in with a password. Parents
    always may. The break-glass admin keeps their password whatever the switch says, so
    that the school is never locked out when its provider is down."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="+")
    password_login_off = models.BooleanField(
        _("staff and pupils sign in only with the school account"), default=False
    )
    break_glass_admin = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("A school admin who keeps their password, for when sign-in is down."),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(password_login_off=False) | Q(break_glass_admin__isnull=False),
                name="sso_password_off_needs_break_glass",
            )
        ]

    def __str__(self):
        return f"Sign-in policy of {self.school}"


class SetupChange(SchoolOwned):
    """Who changed a school's sign-in services or its password switch, and when: what
    changed in words ("Email domains: test.school → test.school, pupils.test.school"), a
    new client secret only as the fact that it was replaced, never its value."""

    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField()
    what = models.TextField()

    class Meta:
        ordering = ["school", "-changed_at", "-pk"]
        indexes = [models.Index(fields=["school", "-changed_at"], name="sso_change_school_at")]

    def __str__(self):
        return f"{self.changed_at:%d/%m/%Y %H:%M}: {self.what}"
