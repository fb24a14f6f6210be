"""The school itself (its time zone), its academic years with their half-terms, and the
days it is closed."""

from django.contrib import admin

from ..models import AcademicYear, HalfTerm, NonSchoolDay, School, Trust
from .scoping import (
    SchoolOwnedAdmin,
    SchoolOwnedInlineFormSet,
    SchoolScopedModelAdmin,
    ScopedInline,
    ScopedModelForm,
    is_superuser,
)


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


@admin.register(School)
class SchoolAdmin(SchoolScopedModelAdmin):
    """A school admin may view and change their own school, never add or delete one."""

    list_display = ("name", "slug", "time_zone", "trust")
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
        # The slug names the school across the trust; which trust it is in is the
        # superuser's to say.
        return () if is_superuser(request.user) else ("slug", "trust")

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ("name",)} if is_superuser(request.user) else {}


@admin.register(Trust)
class TrustAdmin(admin.ModelAdmin):
    """A multi-academy trust, for superusers only: its schools are given it on the school's
    own page (its trust leaders read the trust report, reports/)."""

    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def has_module_permission(self, request):
        return is_superuser(request.user)

    def has_view_permission(self, request, obj=None):
        return is_superuser(request.user)

    def has_add_permission(self, request):
        return is_superuser(request.user)

    def has_change_permission(self, request, obj=None):
        return is_superuser(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_superuser(request.user)


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
