"""Who may read the reports: a school's senior leaders, school admins and governors, for
their own school, and superusers, who have no school of their own and choose one
(`?school=<slug>`, carried by every link of the pages). Everyone else gets 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from school import access
from school.models import RoleAssignment, School

Role = RoleAssignment.Role
READERS = (Role.SENIOR_LEADER, Role.SCHOOL_ADMIN, Role.GOVERNOR)
NOT_FOUND = "The reports are for the school's leaders and governors."


def may_read_reports(user) -> bool:
    """The menu's rule."""
    return bool(getattr(user, "is_superuser", False)) or access.has_role(user, *READERS)


def report_school(request) -> School | None:
    """The school the report is about: a reader's own (another slug: 404); a superuser
    names it with ?school=<slug> (None until they choose)."""
    user = request.user
    slug = request.GET.get("school", "")
    if user.is_superuser and slug:
        return get_object_or_404(School, slug=slug)
    if user.school_id is not None and access.has_role(user, *READERS):
        school = School.objects.get(pk=user.school_id)
        if slug and slug != school.slug:
            raise Http404(NOT_FOUND)
        return school
    if user.is_superuser:
        return None
    raise Http404(NOT_FOUND)
