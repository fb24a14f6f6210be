"""The page a superuser sees on a school's own pages (imports, data protection) before
naming the school: every school, each a link back to the same page with ?school=<slug>."""

from django.core.paginator import Paginator
from django.shortcuts import render

from ..models import School

SCHOOLS_PER_PAGE = 100


def choose_school(request, *, title: str, about: str):
    page = Paginator(School.objects.order_by("name"), SCHOOLS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "school/choose_school.html",
        {"page": page, "title": title, "about": about, "path": request.path},
    )
