"""The school a school-wide page is about (imports, data protection, reports), and the
page a superuser sees before naming it: every school, each a link back to the same page
with ?school=<slug>. On the report pages a trust leader names a school of their trust the
same way, and chooses among those only."""

from collections.abc import Callable

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .. import access
from ..models import RoleAssignment, School

SCHOOLS_PER_PAGE = 100


def _is_trust_leader(user) -> bool:
    return user.school_id is not None and access.has_role(user, RoleAssignment.Role.TRUST_LEADER)


def page_school(
    request, *, may: Callable, not_found: str, trust_leaders: bool = False
) -> School | None:
    """The school the page is about. A superuser names it with ?school=<slug> (None when
    they have not chosen yet); with `trust_leaders`, so does a trust leader, among their
    trust's schools (another: 404; None until they choose; a school in no trust: their
    own); someone `may(user)` accepts has their own school (another slug: 404); anyone
    else gets 404 with `not_found`."""
    user = request.user
    slug = request.GET.get("school", "")
    if user.is_superuser and slug:
        return get_object_or_404(School, slug=slug)
    if trust_leaders and _is_trust_leader(user):
        if slug:
            return get_object_or_404(
                School.objects.filter(
                    Q(pk=user.school_id) | Q(pk__in=access.trust_schools_of(user))
                ),
                slug=slug,
            )
        school = School.objects.get(pk=user.school_id)
        return None if school.trust_id is not None else school
    if user.school_id is not None and may(user):
        school = School.objects.get(pk=user.school_id)
        if slug and slug != school.slug:
            raise Http404(not_found)
        return school
    if user.is_superuser:
        return None
    raise Http404(not_found)


def choosable_schools(user):
    """The schools offered when none is named: every one to a superuser, a trust leader's
    trust's schools to them, none to anyone else."""
    if user.is_superuser:
        return School.objects.all()
    return access.trust_schools_of(user)


def choose_school(request, *, title: str, about: str):
    page = Paginator(choosable_schools(request.user).order_by("name"), SCHOOLS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "school/choose_school.html",
        {"page": page, "title": title, "about": about, "path": request.path},
    )


def names_school(user) -> bool:
    """Whether the person names the school in the address (a superuser, a trust leader),
    so that every link of the page carries it."""
    return user.is_superuser or _is_trust_leader(user)


def school_query(request, school: School | None) -> str:
    """What each link of such a page carries, so that a superuser stays at their school."""
    return f"?school={school.slug}" if school and names_school(request.user) else ""
