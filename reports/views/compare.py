"""Before and after: the half-term report of a year beside the school's previous year,
half-term by half-term, with the change (reports/measures/compare.py)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from school.calendar import school_time_zone
from school.exports import csv_response
from school.views.choose_school import choose_school

from ..forms.half_term import pick_year
from ..measures.compare import CHANGE, NO_DATA, Comparison, compare, previous_year
from .common import chosen_school, report_school


def _csv(school, comparison: Comparison):
    response, writer = csv_response(
        f"half-term-compared-{school.slug}-{comparison.year.name.replace('/', '-')}"
    )
    last_name = comparison.last_year.name if comparison.last_year else "last year"
    writer.writerow(
        [
            "Period",
            "Measure",
            comparison.year.name,
            last_name,
            "Change",
            "% change",
            "Definition",
        ]
    )
    for period in comparison.periods:
        for row in period.rows:
            writer.writerow(
                [
                    period.period.label,
                    row.measure.label,
                    str(row.this),
                    NO_DATA if row.last is None else str(row.last),
                    row.difference,
                    row.percent_change,
                    row.measure.definition,
                ]
            )
    return response


@login_required
@require_GET
def half_term_compared(request):
    """Each measure of the chosen year (the current one unless ?year=<name>) beside the
    same half-term of the school's previous year, as a page and as CSV (?format=csv)."""
    school = report_school(request)
    if school is None:
        return choose_school(
            request,
            title="Half-term report compared with last year",
            about="Each school's report reads its own pupils. Choose the school to report on.",
        )
    with school_time_zone(school):
        today = timezone.localdate()
        form, year = pick_year(request.GET, school, today)
        comparison = None
        if year is not None:
            comparison = compare(year, previous_year(year, form.years.values()), today=today)
    if comparison is not None and request.GET.get("format") == "csv":
        return _csv(school, comparison)
    carried = chosen_school(request, school)
    return render(
        request,
        "reports/compare/compared.html",
        {
            "school": school,
            "form": form,
            "comparison": comparison,
            "change_definition": CHANGE,
            "no_data": NO_DATA,
            "carried_school": carried.get("school", ""),
            "report_query": urlencode(
                {**carried, **({"year": comparison.year.name} if comparison else {})}
            ),
            "csv_query": urlencode(
                {
                    **carried,
                    **({"year": comparison.year.name} if comparison else {}),
                    "format": "csv",
                }
            ),
        },
    )
