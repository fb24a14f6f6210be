"""Take-up: attendance per night and half-term, pupil groups against the school."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from school.exports import csv_response

from ..selectors.takeup import GROUPS, club_takeup, takeup_viewer


def _csv(year, clubs):
    response, writer = csv_response(f"club-take-up-{year.name.replace('/', '-')}")
    header = ["Club", "Period", "Sessions", "Attendances", "Per night", "Unique pupils", "Rewards"]
    for _, label, _ in GROUPS:
        header += [f"{label} attendees", f"{label} % of attendees", f"{label} % of school"]
    writer.writerow(header)
    for result in clubs:
        for period in [*result.half_terms, result.year]:
            row = [
                result.club.name,
                period.label,
                period.sessions,
                period.attendances,
                "" if period.per_night is None else period.per_night,
                period.unique_pupils,
                period.rewards,
            ]
            for group in period.groups:
                row += [
                    group.attendees,
                    "" if group.attendee_share is None else group.attendee_share,
                    "" if group.school_share is None else group.school_share,
                ]
            writer.writerow(row)
    return response


def _nights_csv(year, clubs):
    response, writer = csv_response(f"club-nights-{year.name.replace('/', '-')}")
    writer.writerow(["Club", "Date", "Start", "Pupils"])
    for result in clubs:
        for night in result.nights:
            writer.writerow(
                [
                    result.club.name,
                    night["date"].strftime("%d/%m/%Y"),
                    night["start_time"].strftime("%H:%M"),
                    night["attended"],
                ]
            )
    return response


@login_required
@require_GET
def clubs_takeup(request):
    """Per club over the academic year: attendance per night and per half-term, unique
    pupils and the pupil groups among them against the school (CSV with ?format=csv, the
    nights with ?format=csv&list=nights)."""
    user = request.user
    if not takeup_viewer(user):
        raise Http404("Take-up is for leaders and heads of year.")
    year, clubs = club_takeup(user, today=timezone.localdate())
    if request.GET.get("format") == "csv":
        if year is None:
            raise Http404("The school has no academic year yet.")
        if request.GET.get("list") == "nights":
            return _nights_csv(year, clubs)
        return _csv(year, clubs)
    return render(
        request,
        "clubs/takeup/takeup.html",
        {"year": year, "clubs": clubs, "groups": GROUPS},
    )
