"""Pupils and their guardians, each linked to the other on its own page. A guardian's
login may also stand behind guardian records at other schools of a trust."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import history
from ..models import Guardian, GuardianLink, PersonChange, Pupil, User
from .scoping import SchoolOwnedAdmin, ScopedInline, ScopedModelForm

RelatedOnly = admin.RelatedOnlyFieldListFilter


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


class PersonHistoryAdmin(SchoolOwnedAdmin):
    """Keeps who changed what in a pupil's or a guardian's record here, and in their
    links to each other (school/history.py); a new record is its own history."""

    person = ""  # "pupil" or "guardian"

    def save_model(self, request, obj, form, change):
        names = [name for name in form.changed_data if name in form.base_fields] if change else []
        before = {}
        if names:
            before = history.values_shown(type(obj).objects.get(pk=obj.pk), names)
        super().save_model(request, obj, form, change)
        if names:
            history.person_changes_record(
                **{self.person: obj},
                before=before,
                after=history.values_shown(obj, names),
                actor=request.user,
                source=PersonChange.Source.SETUP,
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is not GuardianLink:
            return super().save_formset(request, form, formset, change)
        deleted = {id(link_form) for link_form in formset.deleted_forms}
        found = []  # (link, its values before or None, whether it goes)
        for link_form in formset.forms:
            link = link_form.instance
            if id(link_form) in deleted:
                if link.pk is not None:
                    found.append((link, history.link_values(link), True))
            elif link_form.has_changed():
                before = None
                if link.pk is not None:
                    before = {key: link_form.initial.get(key) for key in history.LINK_FIELDS}
                found.append((link, before, False))
        super().save_formset(request, form, formset, change)
        rows = []
        for link, before, goes in found:
            rows += history.link_change_rows(
                pupil=link.pupil,
                guardian=link.guardian,
                before=before,
                after=None if goes else history.link_values(link),
                actor=request.user,
                source=PersonChange.Source.SETUP,
            )
        history.person_changes_save(rows)


@admin.register(Pupil)
class PupilAdmin(PersonHistoryAdmin):
    person = "pupil"
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
class GuardianAdmin(PersonHistoryAdmin):
    person = "guardian"
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
