"""The groups pupils are in: year groups, houses, tutor groups (with their form tutors),
subjects (with their leaders) and teaching groups."""

from django.contrib import admin
from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _

from ..models import House, RoleAssignment, Subject, TeachingGroup, TutorGroup, YearGroup
from .scoping import SchoolOwnedAdmin
from .users import FormTutorInline, SubjectLeaderInline

Role = RoleAssignment.Role
RelatedOnly = admin.RelatedOnlyFieldListFilter


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
    list_display = (
        "name",
        "year_group",
        "academic_year",
        "archived_on",
        "room",
        "tutor_list",
        "pupil_count",
    )
    list_filter = (("academic_year", RelatedOnly), ("year_group", RelatedOnly))
    list_select_related = ("year_group", "academic_year")
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
        "archived_on",
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
