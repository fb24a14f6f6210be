"""Logins and their roles: the people of the school, the roles they hold (on the person's
page, on the role list, and as form tutors and subject leaders on the group's page), and
what a school admin may not do to another admin's account or hand out (admin access)."""

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import BLANK_CHOICE_DASH, Prefetch
from django.utils.translation import gettext_lazy as _

from ..models import Pupil, RoleAssignment, User
from .scoping import (
    InstanceDefaultsMixin,
    SchoolOwnedAdmin,
    SchoolOwnedInlineFormSet,
    SchoolScopedAdmin,
    SchoolScopedModelAdmin,
    ScopedInline,
    ScopedModelForm,
    is_superuser,
    users_managed_by,
)

Role = RoleAssignment.Role
SCOPE_FIELDS = ("subject", "year_group", "house", "tutor_group")


class RoleAssignmentForm(ScopedModelForm):
    # RoleAssignment.clean() checks the person's school itself.
    same_school_user_fields = ()
    no_school_message = _("Give this person a school before giving them a role.")

    def clean(self):
        cleaned_data = super().clean()
        user = cleaned_data.get("user")
        if user is not None and user.pk and Pupil.objects.filter(user_id=user.pk).exists():
            self.add_error("user", _("This is a pupil's login; pupils cannot hold staff roles."))
        return cleaned_data


class TrustLeaderTheSuperusersMixin:
    """Only a superuser gives the Trust leader role: it opens the other schools of the
    trust (the trust report, reports/), which is no school admin's to hand out."""

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not is_superuser(request.user):
            kwargs["choices"] = [
                *BLANK_CHOICE_DASH,
                *((value, label) for value, label in Role.choices if value != Role.TRUST_LEADER),
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class FormTutorForm(RoleAssignmentForm):
    instance_defaults = {"role": Role.FORM_TUTOR}


class SubjectLeaderForm(RoleAssignmentForm):
    instance_defaults = {"role": Role.SUBJECT_LEADER}


class RoleInlineFormSet(SchoolOwnedInlineFormSet):
    def clean(self):
        super().clean()
        # Django's formset check leaves out conditional unique constraints.
        deleted = self.deleted_forms
        seen = set()
        for form in self.forms:
            if form in deleted or not form.is_valid() or not form.cleaned_data:
                continue
            row = form.instance
            key = (row.user_id, row.role, *(getattr(row, f"{f}_id") for f in SCOPE_FIELDS))
            if key in seen:
                raise ValidationError(_("The same role is listed twice."))
            seen.add(key)


class UserEmailMixin:
    def clean_email(self):
        # Stored addresses are lower case (User.save), so compare them that way.
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()


class UserAddForm(UserEmailMixin, InstanceDefaultsMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "school")


class UserEditForm(UserEmailMixin, InstanceDefaultsMixin, UserChangeForm):
    class Meta:
        model = User
        fields = (
            "email",
            "password",
            "first_name",
            "last_name",
            "school",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
            "last_login",
            "date_joined",
        )


class RoleInline(ScopedInline, admin.TabularInline):
    model = RoleAssignment
    formset = RoleInlineFormSet
    extra = 1

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("user", "school", *SCOPE_FIELDS)
            .filter(role__in=self.roles)
        )


class FormTutorInline(RoleInline):
    fk_name = "tutor_group"
    form = FormTutorForm
    fields = ("user",)
    autocomplete_fields = ("user",)
    roles = (Role.FORM_TUTOR,)
    verbose_name = _("form tutor")
    verbose_name_plural = _("form tutors")


class SubjectLeaderInline(RoleInline):
    fk_name = "subject"
    form = SubjectLeaderForm
    fields = ("user",)
    autocomplete_fields = ("user",)
    roles = (Role.SUBJECT_LEADER,)
    verbose_name = _("subject leader")
    verbose_name_plural = _("subject leaders")


class UserRoleInline(TrustLeaderTheSuperusersMixin, RoleInline):
    fk_name = "user"
    form = RoleAssignmentForm
    fields = ("role", *SCOPE_FIELDS)
    roles = Role.values
    verbose_name = _("role")
    verbose_name_plural = _("roles")

    # As on UserAdmin, another admin's account is read-only to a school admin.
    def _may_edit(self, request, user) -> bool:
        return (
            user is None
            or is_superuser(request.user)
            or user.pk == request.user.pk
            or not user.is_staff
        )

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(TrustLeaderTheSuperusersMixin, SchoolOwnedAdmin):
    form = RoleAssignmentForm
    fields = ("school", "user", "role", *SCOPE_FIELDS)
    list_display = ("user", "role", "scope")
    list_filter = ("role",)
    list_select_related = ("user", *SCOPE_FIELDS)
    search_fields = ("user__email", "user__first_name", "user__last_name")
    ordering = ("user__last_name", "user__first_name", "role")
    autocomplete_fields = ("user",)

    @admin.display(description=_("Covers"))
    def scope(self, assignment):
        return assignment.scope


@admin.register(User)
class UserAdmin(SchoolScopedModelAdmin, DjangoUserAdmin):
    """Logins by email address. A school admin manages the people of their school and the
    parent logins linked to it, and cannot hand out admin access (is_staff, superuser,
    Django groups and permissions are not on their forms)."""

    form = UserEditForm
    add_form = UserAddForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "school")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "first_name",
                    "last_name",
                    "school",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("email", "first_name", "last_name", "role_list", "is_active")
    list_filter = ("is_active", "role_assignments__role")
    list_select_related = ("school",)
    search_fields = ("email", "first_name", "last_name")
    ordering = ("last_name", "first_name", "email")
    inlines = [UserRoleInline]

    def get_inlines(self, request, obj):
        # Roles belong to the person's school, known once they are saved.
        return self.inlines if obj is not None else []

    def hidden_fields(self, request):
        if is_superuser(request.user):
            return set()
        return {"school", "is_staff", "is_superuser", "groups", "user_permissions"}

    def get_list_display(self, request):
        display = super().get_list_display(request)
        if is_superuser(request.user):
            return (*display, "school", "is_staff", "is_superuser")
        return display

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if is_superuser(request.user):
            return (*filters, "is_staff", "is_superuser", "school")
        return filters

    def scope_queryset(self, request, queryset):
        offered = self.autocomplete_offer(request)
        allowed = offered if offered is not None else users_managed_by(request.user)
        return queryset.filter(pk__in=allowed.values("pk"))

    def autocomplete_offer(self, request):
        """In the admin's autocomplete, the logins the asking field may take: names to
        choose from, not accounts to change, so a role can go to a teacher of the school
        who is also a parent at another one. None on every other page."""
        match = request.resolver_match
        if match is None or match.view_name != "admin:autocomplete":
            return None
        try:
            model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
            field = model._meta.get_field(request.GET["field_name"])
            source = self.admin_site.get_model_admin(model)
        except (KeyError, LookupError, FieldDoesNotExist, NotRegistered):
            return None
        if not isinstance(source, SchoolScopedAdmin) or field.related_model is not User:
            return None
        return source.scoped_choices(field, request)

    def in_scope(self, request, obj) -> bool:
        return users_managed_by(request.user).filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or is_superuser(request.user):
            return allowed
        # Another admin's account is theirs to look after (and may carry more access).
        return obj.pk == request.user.pk or not obj.is_staff

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if not allowed or obj is None or is_superuser(request.user):
            return allowed
        # A parent login may serve other schools of the trust too.
        return (
            obj.school_id == request.user.school_id
            and not obj.is_staff
            and obj.pk != request.user.pk
        )

    def get_queryset(self, request):
        roles = RoleAssignment.objects.select_related(*SCOPE_FIELDS)
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("role_assignments", queryset=roles))
        )

    @admin.display(description=_("Roles"))
    def role_list(self, user):
        return ", ".join(str(assignment) for assignment in user.role_assignments.all())
