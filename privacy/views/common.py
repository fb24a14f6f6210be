"""Who may use the data-protection pages: a school's data protection lead (and its school
admins, who hold the role by default), for that school, and superusers, who have no
school of their own and choose one (`?school=<slug>`, carried by every link of the
pages). Everyone else gets 404, as does anything of another school."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from school import access
from school.models import Guardian, Pupil, School
from school.views.choose_school import page_school
from school.views.choose_school import school_query as school_query

NOT_FOUND = "These pages are for the school's data protection lead."


def may_lead(user) -> bool:
    """The menu's rule: a data protection lead (or school admin), or a superuser."""
    return bool(getattr(user, "is_superuser", False)) or access.is_data_protection_lead(user)


def lead_school(request) -> School | None:
    """The school the page is about: a lead's own; a superuser names it with
    ?school=<slug> (None until they choose)."""
    return page_school(request, may=access.is_data_protection_lead, not_found=NOT_FOUND)


def school_ids_for(request) -> list[int] | None:
    """The schools whose objects the user may open on these pages: their own (a lead), or
    any (None, a superuser). Anyone else: 404."""
    user = request.user
    if user.is_superuser:
        return None
    if user.school_id is not None and access.is_data_protection_lead(user):
        return [user.school_id]
    raise Http404(NOT_FOUND)


def _scoped(queryset, request):
    school_ids = school_ids_for(request)
    return queryset if school_ids is None else queryset.filter(school_id__in=school_ids)


def lead_pupil(request, pupil_id: int, queryset=None) -> Pupil:
    """A pupil of the lead's school (any school's for a superuser), else 404."""
    queryset = Pupil.objects.all() if queryset is None else queryset
    return get_object_or_404(_scoped(queryset, request), pk=pupil_id)


def lead_guardian(request, guardian_id: int, queryset=None) -> Guardian:
    """A guardian record of the lead's school (any school's for a superuser), else 404."""
    queryset = Guardian.objects.all() if queryset is None else queryset
    return get_object_or_404(_scoped(queryset, request), pk=guardian_id)
