"""A school admin's forms: a sign-in service (checked against the service itself before
it is saved), and the switch that turns password login off for staff and pupils."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from school.models import RoleAssignment

from ..discovery import DiscoveryError, address_allowed, endpoints_discover
from ..models import IdentityProvider, SignInPolicy

DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class ProviderForm(forms.ModelForm):
    issuer = forms.URLField(
        label=_("Issuer"),
        max_length=300,
        assume_scheme="https",
        help_text=IdentityProvider._meta.get_field("issuer").help_text,
    )
    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        strip=True,
        max_length=500,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Stored encrypted. Leave empty to keep the secret already saved."),
    )
    domains = forms.CharField(
        label=_("The school's email domains"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line or separated by commas, e.g. school.org.uk and "
            "pupils.school.org.uk. Only addresses at these domains sign in."
        ),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "kind",
            "label",
            "issuer",
            "client_id",
            "client_secret",
            "domains",
            "for_staff",
            "for_pupils",
            "for_parents",
            "enabled",
        ]
        labels = {"client_id": _("Client (application) id")}

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.school = school
        self.endpoints = None
        if self.instance.pk:
            self.fields["domains"].initial = "\n".join(self.instance.email_domains)
        else:
            self.fields["client_secret"].required = True
            self.fields["client_secret"].help_text = _("Stored encrypted.")

    def clean_issuer(self):
        issuer = self.cleaned_data["issuer"].strip()
        if not address_allowed(issuer):
            raise ValidationError(
                _("The issuer must be an https address, e.g. https://accounts.google.com.")
            )
        return issuer

    def clean_domains(self):
        raw = [
            part.strip().lower().lstrip("@")
            for part in re.split(r"[,\s]+", self.cleaned_data["domains"])
        ]
        domains = list(dict.fromkeys(part for part in raw if part))
        bad = [domain for domain in domains if not DOMAIN.match(domain)]
        if bad:
            raise ValidationError(
                _("These are not email domains: %(bad)s. Write them as school.org.uk.")
                % {"bad": ", ".join(bad)}
            )
        if not domains:
            raise ValidationError(_("Name at least one email domain of the school."))
        return domains

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        taken = IdentityProvider.objects.filter(school=self.instance.school, kind=kind)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(
                _("The school already has a %(kind)s sign-in: change that one instead.")
                % {"kind": IdentityProvider.Kind(kind).label}
            )
        return kind

    def clean(self):
        cleaned = super().clean()
        issuer = cleaned.get("issuer")
        if issuer and not self.errors:
            try:
                self.endpoints = endpoints_discover(issuer)
            except DiscoveryError as error:
                self.add_error(
                    "issuer",
                    _("The sign-in service at this address could not be checked: %(why)s.")
                    % {"why": error},
                )
        return cleaned


class PolicyForm(forms.ModelForm):
    class Meta:
        model = SignInPolicy
        fields = ["password_login_off", "break_glass_admin"]

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.school = school
        self.school = school
        admins = access_admins(school)
        field = self.fields["break_glass_admin"]
        field.queryset = admins
        field.label_from_instance = lambda user: f"{user} ({user.email})"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password_login_off"):
            if not cleaned.get("break_glass_admin"):
                self.add_error(
                    "break_glass_admin",
                    _("Name a school admin who keeps their password before switching it off."),
                )
            if not IdentityProvider.objects.filter(school=self.school, enabled=True).exists():
                self.add_error(
                    "password_login_off",
                    _("Set up a sign-in service first, or nobody could sign in."),
                )
        return cleaned


def access_admins(school):
    """The school's active school admins, who may be its break-glass admin."""
    return (
        get_user_model()
        .objects.filter(
            school=school,
            is_active=True,
            role_assignments__school=school,
            role_assignments__role=RoleAssignment.Role.SCHOOL_ADMIN,
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
    )
