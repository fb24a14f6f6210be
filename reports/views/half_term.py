"""The half-term report: each measure per half-term and for the chosen academic year."""

import functools
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from school.calendar import school_time_zone
from school.exports import csv_response
from school.views.choose_school import choose_school

from ..charts import report_trends
from ..forms.half_term import pick_year
from ..measures import HalfTermReport, half_term_report
from ..measures.cache import ENGAGEMENT_SOURCES
from ..measures.engagement import Engagement, family_engagement
from ..measures.groups import By, Split, group_split
from ..models import ReportSettings
from ..pdf import report_pdf, split_sections
from ..pdf.engagement import engagement_csv_rows, engagement_sections
from .common import chosen_school, report_school


def _filename(school, report: HalfTermReport) -> str:
    return f"half-term-report-{school.slug}-{report.year.name.replace('/', '-')}"


def _csv(school, report: HalfTermReport, engagement: Engagement):
    response, writer = csv_response(_filename(school, report))
    writer.writerow(["Measure", *(period.label for period in report.periods), "Definition"])
    for measure in report.measures:
        writer.writerow([measure.label, *(str(cell) for cell in measure.cells), measure.definition])
    writer.writerows(engagement_csv_rows(engagement))
    return response


def _pdf(school, report: HalfTermReport, generated: str, split: Split, engagement: Engagement):
    response = HttpResponse(
        report_pdf(
            report,
            school_name=school.name,
            generated=generated,
            sections=[*split_sections(split), *engagement_sections(engagement)],
        ),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(school, report)}.pdf"'
    # The school's figures: kept by the reader's browser only, never by a shared cache.
    patch_cache_control(response, private=True, no_store=True)
    return response


def _query(request, school, report: HalfTermReport | None, file_format: str) -> str:
    return urlencode(
        {
            **chosen_school(request, school),
            **({"year": report.year.name} if report else {}),
            "format": file_format,
        }
    )


@login_required
@require_GET
def half_term(request):
    """The measures of seed 001 for one school and academic year (the current one unless
    ?year=<name> picks another), as a table with a trend chart per measure, as CSV
    (?format=csv) and as a PDF for a meeting (?format=pdf), which adds the year's
    splits by Pupil Premium and by SEN."""
    school = report_school(request)
    if school is None:
        return choose_school(
            request,
            title="Half-term report",
            about="Each school's report reads its own pupils. Choose the school to report on.",
        )
    with school_time_zone(school):
        today = timezone.localdate()
        form, year = pick_year(request.GET, school, today)
        report = half_term_report(year, today=today) if year is not None else None
        engagement = None
        if report is not None:
            settings = ReportSettings.for_school(school.pk)
            # Families' engagement: its own three queries (reports/measures/engagement.py),
            # none while the figures kept for the school's marks hold (measures/cache.py).
            engagement = report.marks.cached(
                "engagement",
                ENGAGEMENT_SOURCES,
                (year.pk, today.isoformat(), timezone.get_current_timezone_name()),
                lambda: family_engagement(year, report.periods, settings=settings),
            )
        if report is not None and request.GET.get("format") == "pdf":
            now = timezone.localtime()
            split = group_split(
                year,
                report.periods[-1],
                By.CHARACTERISTICS,
                settings=settings,
                today=today,
            )
            return _pdf(school, report, f"{now.day} {now:%B %Y at %H:%M}", split, engagement)
    if report is not None and request.GET.get("format") == "csv":
        return _csv(school, report, engagement)
    return render(
        request,
        "reports/half_term/report.html",
        {
            "school": school,
            "form": form,
            "report": report,
            "engagement": engagement,
            # Drawn only when the page's kept charts must be drawn again (a callable).
            "trends": functools.cache(lambda: report_trends(report)) if report else [],
            "carried_school": chosen_school(request, school).get("school", ""),
            "csv_query": _query(request, school, report, "csv"),
            "pdf_query": _query(request, school, report, "pdf"),
        },
    )
