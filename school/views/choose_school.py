"""The school a school-wide page is about (imports, data protection, reports), and the
page a superuser sees before naming it: every school, each a link back to the same page
with ?school=<slug>."""

from collections.abc import Callable

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from ..models import School

SCHOOLS_PER_PAGE = 100


def page_school(request, *, may: Callable, not_found: str) -> School | None:
    """The school the page is about. A superuser names it with ?school=<slug> (None when
    they have not chosen yet); someone `may(user)` accepts has their own school (another
    slug: 404); anyone else gets 404 with `not_found`."""
    user = request.user
    slug = request.GET.get("school", "")
    if user.is_superuser and slug:
        return get_object_or_404(School, slug=slug)
    if user.school_id is not None and may(user):
        school = School.objects.get(pk=user.school_id)
        if slug and slug != school.slug:
            raise Http404(not_found)
        return school
    if user.is_superuser:
        return None
    raise Http404(not_found)


def choose_school(request, *, title: str, about: str):
    page = Paginator(School.objects.order_by("name"), SCHOOLS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "school/choose_school.html",
        {"page": page, "title": title, "about": about, "path": request.path},
    )


def school_query(request, school: School | None) -> str:
    """What each link of such a page carries, so that a superuser stays at their school."""
    return f"?school={school.slug}" if school and request.user.is_superuser else ""
