"""Who may manage what in the school admin, and the pieces every school-owned admin is
built from: the scoped form (everything a row points at belongs to its school), the
formset that gives inline rows their school, and the base admins that scope querysets,
choice lists and autocompletes to the school admin's own school."""

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import router
from django.db.models import DateField as ModelDateField
from django.db.models import Exists, OuterRef, Q
from django.forms.models import BaseInlineFormSet, InlineForeignKeyField
from django.utils.translation import gettext_lazy as _

from ..access import has_role
from ..forms_fields import BoundedDateField
from ..models import Guardian, Pupil, RoleAssignment, School, SchoolOwned, User

Role = RoleAssignment.Role


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


class SchoolOwnedInlineFormSet(BaseInlineFormSet):
    """Rows added through an inline take their school from the record they belong to."""

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["instance_defaults"] = {"school_id": self.instance.school_id}
        return kwargs


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
