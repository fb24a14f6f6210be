"""The report's measures split by pupil group (or subject) for one period, each group
against its share of the roll, with the disproportionality ratio and the school's flag;
as tables and as CSV (?format=csv)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from school import access
from school.calendar import academic_year_for, school_time_zone
from school.exports import csv_response
from school.views.choose_school import choose_school

from .. import charts
from ..forms.groups import YEAR, GroupsForm
from ..measures.groups import By, Split, group_split
from ..measures.periods import periods_of
from ..models import ReportSettings
from .common import chosen_school, report_school
from .settings import EDITORS


def _csv(school, year, split: Split):
    response, writer = csv_response(
        f"report-groups-{school.slug}-{year.name.replace('/', '-')}-{split.by}"
    )
    hidden = split.hidden_text
    base = "Homework due" if split.by_subject else "Pupils on roll"
    writer.writerow(
        [
            "Measure",
            split.by_label,
            base,
            f"% of {base.lower()}",
            "Count",
            "% of the school's",
            "Ratio",
            "Flagged",
            "Rate %",
            "School's rate %",
        ]
    )
    for measure in split.measures:
        for row in measure.rows:
            group = row.group
            if group.hidden:
                figures = [hidden] * 8
            elif measure.kind == "rate":
                figures = [
                    group.base,
                    group.base_share,
                    "",
                    "",
                    "",
                    "",
                    row.rate,
                    measure.school_rate,
                ]
            else:
                ratio = row.ratio_text if measure.kind == "count" and row.ratio else ""
                figures = [
                    group.base,
                    group.base_share,
                    row.count,
                    row.share,
                    ratio,
                    "yes" if row.flagged else "",
                    "",
                    "",
                ]
            writer.writerow(
                [measure.label, group.label, *("" if f is None else f for f in figures)]
            )
    return response


def _charts(split: Split | None) -> list:
    """Bars per pupil group against the roll (reports/charts.py), for each measure with a
    ratio; not by subject, whose shares are of the homework due, not of the roll."""
    if split is None or split.by_subject:
        return []
    return [
        (
            measure.key,
            charts.bars(
                chart_id=f"bars-{measure.key}",
                title=f"{measure.label}: share of the school's against share of the roll",
                rows=[
                    charts.GroupShare(
                        row.group.label,
                        row.share,
                        row.group.base_share,
                        flagged=row.flagged,
                        suppressed=row.group.hidden,
                    )
                    for row in measure.rows
                    if not row.group.is_all
                ],
                smallest=split.smallest_group,
            ),
        )
        for measure in split.measures
        if measure.kind == "count"
    ]


@login_required
@require_GET
def groups(request):
    """Every per-pupil measure for a chosen year and period split by ?by= (pupil
    characteristics, year group, house, tutor group or subject)."""
    school = report_school(request)
    if school is None:
        return choose_school(
            request,
            title="Half-term report by pupil group",
            about="Each school's report reads its own pupils. Choose the school to report on.",
        )
    settings = ReportSettings.for_school(school.pk)
    split = year = None
    with school_time_zone(school):
        today = timezone.localdate()
        current = academic_year_for(school, today)
        data = {"period": YEAR, "by": By.CHARACTERISTICS, **request.GET.dict()}
        data.setdefault("year", current.name if current else "")
        form = GroupsForm(data, school_id=school.pk)
        if not data["year"] and form.years:  # no current year: the school's latest
            data["year"] = next(iter(form.years))
        if form.years and form.is_valid():
            year = form.cleaned_data["year"]
            period = form.chosen_period(periods_of(year))
            if period is not None:
                split = group_split(
                    year, period, form.cleaned_data["by"], settings=settings, today=today
                )
    if split is not None and request.GET.get("format") == "csv":
        return _csv(school, year, split)
    carried = chosen_school(request, school)
    chosen = {name: form[name].value() for name in ("year", "period", "by")} if year else {}
    return render(
        request,
        "reports/groups/groups.html",
        {
            "school": school,
            "form": form,
            "split": split,
            "charts": _charts(split),
            "year": year,
            "settings": settings,
            "carried_school": carried.get("school", ""),
            "school_query": urlencode(carried),
            "csv_query": urlencode({**carried, **chosen, "format": "csv"}),
            "may_change_settings": request.user.is_superuser
            or access.has_role(request.user, *EDITORS),
        },
    )
