"""The data-protection home, the search for a person, and each person's page, where every
area of privacy shows its part (privacy/navigation.py's panel places)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from school.models import Guardian, Pupil
from school.panels import panels_for
from school.views.choose_school import choose_school

from ..forms.people import PeopleSearchForm
from ..navigation import PRIVACY_GUARDIAN, PRIVACY_PUPIL
from ..selectors.people import PEOPLE_PER_PAGE, guardians_found, pupils_found
from .common import lead_guardian, lead_pupil, lead_school, school_query


def _choose_school(request):
    return choose_school(
        request,
        title="Data protection",
        about="Each school is the controller of its own data. Choose the school whose "
        "records to open.",
    )


@login_required
@require_GET
def privacy_home(request):
    school = lead_school(request)
    if school is None:
        return _choose_school(request)
    return render(
        request,
        "privacy/people/home.html",
        {
            "school": school,
            "school_query": school_query(request, school),
            "search": PeopleSearchForm(),
        },
    )


@login_required
@require_GET
def people_search(request):
    school = lead_school(request)
    if school is None:
        return _choose_school(request)
    search = PeopleSearchForm(request.GET)
    words = search.query.strip()
    pupils = guardians = None
    if words:
        pupils = Paginator(pupils_found(school.pk, words), PEOPLE_PER_PAGE).get_page(
            request.GET.get("page")
        )
        guardians = Paginator(guardians_found(school.pk, words), PEOPLE_PER_PAGE).get_page(
            request.GET.get("guardians_page")
        )
    return render(
        request,
        "privacy/people/search.html",
        {
            "school": school,
            "school_query": school_query(request, school),
            "words": words,
            "search": search,
            "pupils": pupils,
            "guardians": guardians,
        },
    )


@login_required
@require_GET
def privacy_pupil(request, pupil_id: int):
    pupil = lead_pupil(
        request,
        pupil_id,
        queryset=Pupil.objects.select_related("school", "year_group", "tutor_group"),
    )
    return render(
        request,
        "privacy/people/pupil.html",
        {
            "pupil": pupil,
            "school": pupil.school,
            "school_query": school_query(request, pupil.school),
            "panels": panels_for(
                PRIVACY_PUPIL,
                pupil=pupil,
                user=request.user,
                query=school_query(request, pupil.school),
            ),
        },
    )


@login_required
@require_GET
def privacy_guardian(request, guardian_id: int):
    guardian = lead_guardian(
        request, guardian_id, queryset=Guardian.objects.select_related("school")
    )
    return render(
        request,
        "privacy/people/guardian.html",
        {
            "guardian": guardian,
            "school": guardian.school,
            "school_query": school_query(request, guardian.school),
            "children": guardian.links.select_related("pupil").order_by(
                "pupil__last_name", "pupil__first_name"
            ),
            "panels": panels_for(
                PRIVACY_GUARDIAN,
                guardian=guardian,
                user=request.user,
                query=school_query(request, guardian.school),
            ),
        },
    )
