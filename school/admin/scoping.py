"""The Django admin for school setup.

A superuser sees every school. Anyone else who reaches the admin (is_staff) must hold the
school admin role at their own school, and then manages that school's rows only: every
queryset, choice list and autocomplete is scoped to it, new rows get the school without
being asked, and another school's object answers like a missing one. Permissions come
from the role, not from Django's per-model permission rows, so granting the role is the
only setup a school admin needs."""

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import router
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.db.models import DateField as ModelDateField
from django.forms.models import BaseInlineFormSet, InlineForeignKeyField
from django.utils.translation import gettext_lazy as _

from .access import has_role
from .forms_fields import BoundedDateField
from .models import (
    AcademicYear,
    Guardian,
    GuardianLink,
    HalfTerm,
    House,
    NonSchoolDay,
    Pupil,
    RoleAssignment,
    School,
    SchoolOwned,
    Subject,
    TeachingGroup,
    TutorGroup,
    User,
    YearGroup,
)

Role = RoleAssignment.Role
RelatedOnly = admin.RelatedOnlyFieldListFilter
SCOPE_FIELDS = ("subject", "year_group", "house", "tutor_group")


def is_superuser(user) -> bool:
    return bool(user.is_active and user.is_superuser)


def is_school_admin(user) -> bool:
    """Staff who may manage their own school in the admin."""
    return bool(
        user.is_active
        and user.is_staff
        and getattr(user, "school_id", None) is not None
        and has_role(user, Role.SCHOOL_ADMIN)
    )


def users_managed_by(user):
    """The logins a person may manage (edit, set the password of, delete): everyone for a
    superuser; for a school admin the people of their school and the parent logins (no
    school of their own) behind their school's guardian records, as long as every link
    of the login is inside that school. A login that is also a guardian, pupil or member
    of staff at another school of the trust would let this admin into that school's
    records: a superuser (or its owner) manages it. Never a superuser, whose account
    would be a way up."""
    if is_superuser(user):
        return User.objects.all()
    if not is_school_admin(user):
        return User.objects.none()
    school_id = user.school_id
    own_guardian_logins = Guardian.objects.filter(school_id=school_id, user__isnull=False)
    linked_elsewhere = (
        Exists(Guardian.objects.filter(user_id=OuterRef("pk")).exclude(school_id=school_id))
        | Exists(Pupil.objects.filter(user_id=OuterRef("pk")).exclude(school_id=school_id))
        | Exists(RoleAssignment.objects.filter(user_id=OuterRef("pk")).exclude(school_id=school_id))
    )
    return (
        User.objects.filter(
            Q(school_id=school_id)
            | Q(school__isnull=True, pk__in=own_guardian_logins.values("user_id"))
        )
        .exclude(is_superuser=True)
        .exclude(linked_elsewhere)
    )


def _without(fieldsets, hidden):
    """`fieldsets` with the `hidden` field names left out (and any section left empty)."""
    if not hidden:
        return fieldsets
    kept_sets = []
    for name, options in fieldsets:
        kept = []
        for entry in options.get("fields", ()):
            if isinstance(entry, list | tuple):
                line = tuple(field for field in entry if field not in hidden)
                if line:
                    kept.append(line)
            elif entry not in hidden:
                kept.append(entry)
        if kept:
            kept_sets.append((name, {**options, "fields": tuple(kept)}))
    return kept_sets


# Forms ------------------------------------------------------------------------------------


class InstanceDefaultsMixin:
    """Fills in, on a row the form creates, values the form does not show (the school, an
    inline's fixed role), before validation so that `Model.clean()` sees them."""

    instance_defaults: dict = {}

    def __init__(self, *args, instance_defaults=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            for attname, value in {**self.instance_defaults, **(instance_defaults or {})}.items():
                setattr(self.instance, attname, value)

    def add_error(self, field, error):
        # Model.clean() may name a field this form does not show; put its message above
        # the form rather than fail with "has no field named".
        if not isinstance(error, ValidationError):
            error = ValidationError(error)
        if field is not None and field not in self.fields:
            field = None
        if field is None and hasattr(error, "error_dict"):
            regrouped = {}
            for name, messages in error.error_dict.items():
                key = name if name == NON_FIELD_ERRORS or name in self.fields else NON_FIELD_ERRORS
                regrouped.setdefault(key, []).extend(messages)
            error = ValidationError(regrouped)
        super().add_error(field, error)


class ScopedModelForm(InstanceDefaultsMixin, forms.ModelForm):
    """The admin form for a school-owned row: everything it points at must belong to the
    row's school, and the constraints that involve fields the admin fills in itself are
    checked too (Django skips them), so a clash is a form error, never a crash."""

    # Fields pointing at logins that must work at or attend the row's school.
    same_school_user_fields = ("user", "teachers")
    no_school_message = _("Choose a school for the record this belongs to first.")

    def row_school_id(self):
        if "school" in self.fields:
            school = self.cleaned_data.get("school")
            return school.pk if school else None
        return self.instance.school_id

    def clean(self):
        cleaned_data = super().clean()
        school_id = self.row_school_id()
        if school_id is None:
            if "school" not in self.fields:
                raise ValidationError(self.no_school_message)
            return cleaned_data
        for name, value in list(cleaned_data.items()):
            field = self.fields.get(name)
            if not isinstance(field, forms.ModelChoiceField) or not value:
                continue
            model = field.queryset.model
            if model is User:
                if name not in self.same_school_user_fields:
                    continue
            elif not issubclass(model, SchoolOwned):
                continue
            chosen = value if isinstance(field, forms.ModelMultipleChoiceField) else [value]
            elsewhere = [str(obj) for obj in chosen if obj.school_id != school_id]
            if elsewhere:
                self.add_error(
                    name,
                    _("Not at this school: %(names)s.") % {"names": ", ".join(elsewhere)},
                )
        return cleaned_data

    def validate_unique(self):
        super().validate_unique()
        if self.errors:
            return
        # An inline row of a record not yet saved has no parent id to check against.
        exclude = {
            name
            for name, field in self.fields.items()
            if isinstance(field, InlineForeignKeyField) and field.parent_instance.pk is None
        }
        using = router.db_for_write(type(self.instance), instance=self.instance)
        for model_class, constraints in self.instance.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self.instance, exclude=exclude, using=using)
                except ValidationError as error:
                    shown = [f for f in getattr(constraint, "fields", ()) if f in self.fields]
                    self.add_error(shown[0] if len(shown) == 1 else None, error)


class GuardianForm(ScopedModelForm):
    # One parent login may stand behind guardian records at several schools of a trust.
    same_school_user_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("user")
        if field is not None and self.instance.user_id is not None:
            # A login shared with another school is not the admin's to manage, but the
            # record keeps it when the rest of the record is saved.
            field.queryset = User.objects.filter(
                Q(pk__in=field.queryset.values("pk")) | Q(pk=self.instance.user_id)
            )


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


class FormTutorForm(RoleAssignmentForm):
    instance_defaults = {"role": Role.FORM_TUTOR}


class SubjectLeaderForm(RoleAssignmentForm):
    instance_defaults = {"role": Role.SUBJECT_LEADER}


class SchoolOwnedInlineFormSet(BaseInlineFormSet):
    """Rows added through an inline take their school from the record they belong to."""

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["instance_defaults"] = {"school_id": self.instance.school_id}
        return kwargs


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


# Access -----------------------------------------------------------------------------------


class SchoolScopedAdmin:
    """Role-based permissions and school scoping, for model admins and inlines alike.

    Django's per-model permission rows play no part: a superuser may do everything, a
    school admin everything to their own school's rows, anyone else nothing."""

    # The lookup from a row to its school, for scoping querysets.
    school_path = "school"
    # Foreign keys to User that may offer any login the person manages, not only staff
    # and pupils of the school.
    users_from_any_school = ()
    # Dates in the years a school could mean: a year 9999 overflows the calendar's sums.
    formfield_overrides = {ModelDateField: {"form_class": BoundedDateField}}

    def in_scope(self, request, obj) -> bool:
        """Whether `obj` (for an inline, the parent record) belongs to the admin's school."""
        return getattr(obj, "school_id", None) == request.user.school_id

    def _allowed(self, request, obj=None) -> bool:
        user = request.user
        if is_superuser(user):
            return True
        return is_school_admin(user) and (obj is None or self.in_scope(request, obj))

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_superuser(request.user):
            return queryset
        if not is_school_admin(request.user):
            return queryset.none()
        return self.scope_queryset(request, queryset)

    def scope_queryset(self, request, queryset):
        return queryset.filter(**{f"{self.school_path}_id": request.user.school_id})

    # Choices

    def choice_school_id(self, request):
        """The school whose rows choice lists offer, or None for every school."""
        if is_superuser(request.user):
            return None
        return request.user.school_id

    def scoped_choices(self, db_field, request):
        model = db_field.related_model
        school_id = self.choice_school_id(request)
        if school_id is None:
            return None
        if model is School:
            return School.objects.filter(pk=school_id)
        if model is User:
            if db_field.name in self.users_from_any_school and not is_superuser(request.user):
                return users_managed_by(request.user)
            return User.objects.filter(school_id=school_id)
        if issubclass(model, SchoolOwned):
            return model._default_manager.filter(school_id=school_id)
        return None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            queryset = self.scoped_choices(db_field, request)
            if queryset is not None:
                kwargs["queryset"] = queryset
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return self._label_with_school(db_field, request, formfield)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            queryset = self.scoped_choices(db_field, request)
            if queryset is not None:
                kwargs["queryset"] = queryset
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self._label_with_school(db_field, request, formfield)

    def _label_with_school(self, db_field, request, formfield):
        """Every school has a Year 7: a list offering all schools' rows names the school."""
        if (
            formfield is not None
            and self.choice_school_id(request) is None
            and issubclass(db_field.related_model, SchoolOwned)
            and db_field.name not in self.get_autocomplete_fields(request)
        ):
            formfield.queryset = formfield.queryset.select_related("school")
            formfield.label_from_instance = lambda obj: f"{obj} ({obj.school})"
        return formfield


class SchoolScopedModelAdmin(SchoolScopedAdmin, admin.ModelAdmin):
    """A model admin whose forms hide the school from school admins and fill it in."""

    def hidden_fields(self, request) -> set[str]:
        return set() if is_superuser(request.user) else {"school"}

    def instance_defaults(self, request) -> dict:
        """Values set on every row a school admin creates."""
        return {} if is_superuser(request.user) else {"school_id": request.user.school_id}

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or ()), *self.hidden_fields(request)]

    def get_fieldsets(self, request, obj=None):
        return _without(super().get_fieldsets(request, obj), self.hidden_fields(request))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        defaults = self.instance_defaults(request)
        if defaults and issubclass(form, InstanceDefaultsMixin):
            attrs = {"instance_defaults": {**form.instance_defaults, **defaults}}
            form = type(form)(form.__name__, (form,), attrs)
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            for attname, value in self.instance_defaults(request).items():
                setattr(obj, attname, value)
        super().save_model(request, obj, form, change)


class SchoolOwnedAdmin(SchoolScopedModelAdmin):
    """Admin for a model that carries its school: superusers see and filter by it."""

    form = ScopedModelForm

    def get_list_display(self, request):
        display = super().get_list_display(request)
        return (*display, "school") if is_superuser(request.user) else display

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        return ("school", *filters) if is_superuser(request.user) else filters

    def get_list_select_related(self, request):
        related = super().get_list_select_related(request)
        if is_superuser(request.user) and isinstance(related, list | tuple):
            return (*related, "school")
        return related


class ScopedInline(SchoolScopedAdmin):
    """An inline: its permissions follow the parent record, its choices the parent's
    school (for a superuser too, once the parent exists)."""

    parent_object = None

    def get_formset(self, request, obj=None, **kwargs):
        # Inline instances are made afresh for each request.
        self.parent_object = obj
        return super().get_formset(request, obj, **kwargs)

    def choice_school_id(self, request):
        if is_superuser(request.user):
            return getattr(self.parent_object, "school_id", None)
        return request.user.school_id


# Inlines ----------------------------------------------------------------------------------


class HalfTermInline(ScopedInline, admin.TabularInline):
    model = HalfTerm
    form = ScopedModelForm
    formset = SchoolOwnedInlineFormSet
    fields = ("name", "start_date", "end_date")
    ordering = ("start_date",)
    max_num = len(HalfTerm.Name.choices)

    def get_extra(self, request, obj=None, **kwargs):
        # Room for the rest of the year's six half-terms, so no JavaScript is needed.
        return self.max_num - (obj.half_terms.count() if obj is not None else 0)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("academic_year")


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


class UserRoleInline(RoleInline):
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


class GuardianLinkInline(ScopedInline, admin.TabularInline):
    model = GuardianLink
    school_path = "pupil__school"
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("guardian", "pupil")


class PupilGuardianLinkInline(GuardianLinkInline):
    fk_name = "pupil"
    fields = ("guardian", "relationship", "parental_responsibility", "contact_priority")
    autocomplete_fields = ("guardian",)
    verbose_name = _("parent or carer")
    verbose_name_plural = _("parents and carers")


class GuardianPupilLinkInline(GuardianLinkInline):
    fk_name = "guardian"
    fields = ("pupil", "relationship", "parental_responsibility", "contact_priority")
    autocomplete_fields = ("pupil",)
    verbose_name = _("child")
    verbose_name_plural = _("children")


# Model admins -----------------------------------------------------------------------------


@admin.register(School)
class SchoolAdmin(SchoolScopedModelAdmin):
    """A school admin may view and change their own school, never add or delete one."""

    list_display = ("name", "slug", "time_zone")
    search_fields = ("name", "slug")
    ordering = ("name",)

    def in_scope(self, request, obj) -> bool:
        return obj.pk == request.user.school_id

    def scope_queryset(self, request, queryset):
        return queryset.filter(pk=request.user.school_id)

    def hidden_fields(self, request):
        return set()

    def instance_defaults(self, request):
        return {}

    def has_add_permission(self, request, obj=None):
        return is_superuser(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_superuser(request.user)

    def get_readonly_fields(self, request, obj=None):
        # The slug names the school across the trust.
        return () if is_superuser(request.user) else ("slug",)

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ("name",)} if is_superuser(request.user) else {}


@admin.register(AcademicYear)
class AcademicYearAdmin(SchoolOwnedAdmin):
    list_display = ("name", "start_date", "end_date")
    search_fields = ("name",)
    ordering = ("-start_date",)
    inlines = [HalfTermInline]


@admin.register(NonSchoolDay)
class NonSchoolDayAdmin(SchoolOwnedAdmin):
    list_display = ("date", "kind", "description")
    list_filter = ("kind",)
    search_fields = ("description",)
    date_hierarchy = "date"
    ordering = ("date",)


@admin.register(YearGroup)
class YearGroupAdmin(SchoolOwnedAdmin):
    list_display = ("__str__", "key_stage")
    ordering = ("number",)

    @admin.display(description=_("Key stage"))
    def key_stage(self, year_group):
        return year_group.key_stage


@admin.register(House)
class HouseAdmin(SchoolOwnedAdmin):
    list_display = ("name",)
    search_fields = ("name",)
    ordering = ("name",)


@admin.register(TutorGroup)
class TutorGroupAdmin(SchoolOwnedAdmin):
    list_display = ("name", "year_group", "room", "tutor_list", "pupil_count")
    list_filter = (("year_group", RelatedOnly),)
    list_select_related = ("year_group",)
    search_fields = ("name", "room")
    ordering = ("year_group__number", "name")
    inlines = [FormTutorInline]

    def get_inlines(self, request, obj):
        # RoleAssignment.clean() needs the tutor group to exist.
        return self.inlines if obj is not None else []

    def get_queryset(self, request):
        tutors = RoleAssignment.objects.filter(role=Role.FORM_TUTOR).select_related("user")
        return (
            super()
            .get_queryset(request)
            .annotate(pupil_count=Count("pupils", distinct=True))
            .prefetch_related(Prefetch("role_assignments", queryset=tutors))
        )

    @admin.display(description=_("Form tutors"))
    def tutor_list(self, tutor_group):
        return ", ".join(str(tutor) for tutor in tutor_group.tutors)

    @admin.display(description=_("Pupils"), ordering="pupil_count")
    def pupil_count(self, tutor_group):
        return tutor_group.pupil_count


@admin.register(Subject)
class SubjectAdmin(SchoolOwnedAdmin):
    list_display = ("name", "code", "leader_list")
    search_fields = ("name", "code")
    ordering = ("name",)
    inlines = [SubjectLeaderInline]

    def get_inlines(self, request, obj):
        # RoleAssignment.clean() needs the subject to exist.
        return self.inlines if obj is not None else []

    def get_queryset(self, request):
        leaders = RoleAssignment.objects.filter(role=Role.SUBJECT_LEADER).select_related("user")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("roleassignment_set", queryset=leaders, to_attr="leaders"))
        )

    @admin.display(description=_("Subject leaders"))
    def leader_list(self, subject):
        return ", ".join(str(assignment.user) for assignment in subject.leaders)


@admin.register(TeachingGroup)
class TeachingGroupAdmin(SchoolOwnedAdmin):
    list_display = (
        "name",
        "subject",
        "year_group",
        "academic_year",
        "teacher_list",
        "pupil_count",
    )
    list_filter = (
        ("academic_year", RelatedOnly),
        ("year_group", RelatedOnly),
        ("subject", RelatedOnly),
    )
    list_select_related = ("subject", "year_group", "academic_year")
    search_fields = ("name", "subject__name", "subject__code")
    ordering = ("year_group__number", "subject__name", "name")
    autocomplete_fields = ("teachers", "pupils")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(pupil_count=Count("pupils", distinct=True))
            .prefetch_related("teachers")
        )

    @admin.display(description=_("Teachers"))
    def teacher_list(self, teaching_group):
        return ", ".join(str(teacher) for teacher in teaching_group.teachers.all())

    @admin.display(description=_("Pupils"), ordering="pupil_count")
    def pupil_count(self, teaching_group):
        return teaching_group.pupil_count


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SchoolOwnedAdmin):
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


@admin.register(Pupil)
class PupilAdmin(SchoolOwnedAdmin):
    fieldsets = (
        (None, {"fields": ("first_name", "last_name", "date_of_birth", "user")}),
        (
            _("School"),
            {"fields": ("school", "upn", "admission_number", "year_group", "tutor_group", "house")},
        ),
        (
            _("Flags"),
            {
                "fields": (
                    "pupil_premium",
                    "free_school_meals",
                    "sen",
                    "eal",
                    "young_carer",
                    "looked_after",
                    "travel_note",
                )
            },
        ),
    )
    list_display = ("name", "upn", "year_group", "tutor_group", "house", "flag_list")
    list_filter = (
        ("year_group", RelatedOnly),
        ("tutor_group", RelatedOnly),
        ("house", RelatedOnly),
        "pupil_premium",
        "free_school_meals",
        "sen",
        "eal",
        "young_carer",
        "looked_after",
    )
    list_select_related = ("year_group", "tutor_group", "house")
    search_fields = ("first_name", "last_name", "=upn", "=admission_number")
    ordering = ("last_name", "first_name")
    autocomplete_fields = ("user",)
    inlines = [PupilGuardianLinkInline]

    @admin.display(description=_("Name"), ordering="last_name")
    def name(self, pupil):
        return f"{pupil.last_name}, {pupil.first_name}"

    @admin.display(description=_("Flags"))
    def flag_list(self, pupil):
        return ", ".join(pupil.flags)


@admin.register(Guardian)
class GuardianAdmin(SchoolOwnedAdmin):
    form = GuardianForm
    fieldsets = (
        (None, {"fields": ("school", "title", "first_name", "last_name", "user")}),
        (
            _("Contact"),
            {
                "fields": (
                    "email",
                    "mobile",
                    "address",
                    "preferred_language",
                    "notification_channel",
                )
            },
        ),
    )
    list_display = (
        "name",
        "email",
        "mobile",
        "preferred_language",
        "notification_channel",
        "children",
    )
    list_filter = ("preferred_language", "notification_channel")
    search_fields = ("first_name", "last_name", "email", "mobile")
    ordering = ("last_name", "first_name")
    autocomplete_fields = ("user",)
    users_from_any_school = ("user",)
    inlines = [GuardianPupilLinkInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("pupils")

    @admin.display(description=_("Name"), ordering="last_name")
    def name(self, guardian):
        return guardian.full_name

    @admin.display(description=_("Children"))
    def children(self, guardian):
        return ", ".join(pupil.full_name for pupil in guardian.pupils.all())


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
