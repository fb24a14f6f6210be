"""The head of year / head of house dashboard and the pupil timeline (reads in
sanctions/selectors/dashboard.py)."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.safestring import mark_safe

from school import access
from school.calendar import academic_year_for
from school.exports import csv_response
from school.links import id_url, short_day
from school.looked import pupil_looked_at
from school.models import School
from school.placements import placements_of

from ..forms.dashboard import DashboardFilters
from ..models import MeetingWith
from ..selectors.dashboard import (
    Dashboard,
    dashboard_for,
    may_excuse_for,
    may_use_dashboard,
    pastoral_pupils,
    timeline_of,
)
from ..selectors.detentions import DETENTION_ROLES
from ..selectors.meetings import MEETING_ROLES
from ..services.policy import policy_current


def _day(value) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _pupil(pupil) -> list[str]:
    return [pupil.full_name, pupil.tutor_group.name]


def _meeting_with(record) -> str:
    return record.get_meeting_with_display() if record.meeting_with else ""


def _pupil_rows(board):
    for row in board.pupils:
        yield [
            *_pupil(row.pupil),
            row.counted,
            row.open,
            row.to_next,
            row.completed,
            row.next_step.detention_minutes,
            _meeting_with(row.next_step),
        ]


def _pending_rows(rows):
    for row in rows:
        sanction, booking = row.sanction, row.booking
        yield [
            *_pupil(sanction.pupil),
            sanction.cycle,
            sanction.step_number,
            sanction.detention_minutes,
            _meeting_with(sanction),
            _day(timezone.localtime(sanction.created_at)),
            row.label,
            _day(booking.session.date) if booking else "",
            booking.session.room if booking else "",
        ]


def _session_rows(board):
    for session in board.sessions:
        yield [
            session.get_kind_display(),
            _day(session.date),
            f"{session.start_time:%H:%M}–{session.end_time:%H:%M}",
            session.room,
            str(session.supervisor or ""),
            session.taken,
            session.capacity,
            session.mine,
        ]


def _exclusion_rows(board):
    yield from _pending_rows(board.exclusions)
    yield from _pending_rows(board.waiting_exclusion)


def _meeting_rows(board):
    for meeting in board.meetings:
        yield [
            *_pupil(meeting.pupil),
            meeting.get_meeting_with_display(),
            str(meeting.owner or "No owner yet"),
            "Yes" if meeting.parents_invited else "No",
            meeting.sanction.cycle,
            _day(timezone.localtime(meeting.created_at)),
        ]


def _absence_rows(board):
    for row in board.absences:
        booking = row.booking
        yield [
            *_pupil(booking.sanction.pupil),
            booking.session.get_kind_display(),
            _day(booking.session.date),
            booking.notes,
            row.label,
            _day(row.exclusion.session.date) if row.exclusion else "",
        ]


PUPILS_SHOWN = 50


def _sanction_words() -> Callable[[int, str], str]:
    """A sanction's words ("60-minute detention + meeting with form tutor"), each
    meeting's name translated once a page rather than once a row."""
    meetings = {
        value: f" + meeting with {str(label).lower()}" for value, label in MeetingWith.choices
    }

    def words(minutes: int, meeting_with: str) -> str:
        if not meeting_with:
            return f"{minutes}-minute detention"
        meeting = meetings.get(meeting_with) or f" + meeting with {meeting_with.lower()}"
        return f"{minutes}-minute detention{meeting}"

    return words


# The pupils' and the sanctions' rows, the page's two long lists, written in one pass
# (a fraction of what the template's tags cost a row), in the partials' markup, each
# value escaped as the template escaped it.
_PUPIL_ROW = (
    '<tr>\n<th scope="row">\n<a href="{}">{}</a>\n{}</th>\n<td>{}</td>\n<td>{}</td>\n{}'
    "<td>{}</td>\n<td>{}</td>\n<td>{}</td>\n<td>{}</td>\n</tr>\n"
)
_FLAG = '<span class="badge text-bg-light border me-1">{}</span>'
_PENDING_ROW = (
    '<tr>\n<th scope="row">\n<a href="{}">{}</a>\n</th>\n<td>{}</td>\n<td>{}</td>\n'
    '<td>{}</td>\n<td>\n<span class="stage-{}">{}</span>\n{}</td>\n<td>{}</td>\n</tr>\n'
)


def _e(value) -> str:
    """What conditional_escape writes, without making a SafeString a value."""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


def _pupil_row_html(row, with_subject: bool) -> str:
    flags = ""
    if row.flagged:
        badges = "".join(_FLAG.format(_e(flag)) for flag in row.flags)
        flags = f'<span class="pupil-flags">\n{badges}\n</span>\n'
    subject = f"<td>{_e(row.in_subject)}</td>\n" if with_subject else ""
    return _PUPIL_ROW.format(
        _e(row.url),
        _e(row.name),
        flags,
        _e(row.group),
        row.counted_text,
        subject,
        row.open_text,
        row.to_next_text,
        row.completed_text,
        _e(row.next_text),
    )


def _pending_row_html(row) -> str:
    where = ""
    if row.booking is not None:
        link = _e(row.session_text)
        if row.session_url:
            link = f'<a href="{_e(row.session_url)}">{link}</a>'
        where = f'<div class="small">\n{link}\n</div>\n'
    return _PENDING_ROW.format(
        _e(row.url),
        _e(row.name),
        _e(row.group),
        row.sanction.cycle,
        _e(row.sanction_text),
        _e(row.stage),
        _e(row.label),
        where,
        _e(row.since),
    )


def _rows_shown(board: Dashboard, pupils_shown, *, may_open_sanctions: bool) -> None:
    """Each row the page lists gets its words and links in one pass (one reverse a URL,
    not one a row; no include a row), as the tags and filters the partials used wrote them;
    the two long lists' rows are written whole (`board.pupils_html`, `board.pending_html`)."""
    pupil_url = id_url("sanctions_pupil")
    session_urls = {
        False: id_url("sanctions_detention_session"),
        True: id_url("sanctions_exclusion_session"),
    }
    meeting_url = id_url("sanctions_meeting")

    def session_link(session) -> tuple[str, str]:
        """A session's day (and time, for a detention) and room, and the address of its
        register when the viewer has one."""
        exclusion = session.is_exclusion
        at = "" if exclusion else f" {session.start_time:%H:%M}"
        text = f"{short_day(session.date)}{at}, {session.room}"
        return (session_urls[exclusion](session.pk) if may_open_sanctions else ""), text

    sanction_words = _sanction_words()
    for row in pupils_shown:
        pupil, step = row.pupil, row.next_step
        row.url = pupil_url(pupil.pk)
        row.name, row.group = f"{pupil.last_name}, {pupil.first_name}", pupil.tutor_group.name
        row.flags = pupil.flags
        row.flagged = bool(row.flags or pupil.travel_note)
        row.next_text = sanction_words(step.detention_minutes, step.meeting_with)
        # Figures as text: the template would localise each number (as str() writes it).
        row.counted_text, row.open_text = str(row.counted), str(row.open)
        row.to_next_text, row.completed_text = str(row.to_next), str(row.completed)
    with_subject = board.subject is not None
    board.pupils_html = mark_safe(
        "".join(_pupil_row_html(row, with_subject) for row in pupils_shown)
    )
    for row in board.pending:
        sanction = row.sanction
        row.url = pupil_url(sanction.pupil_id)
        pupil = sanction.pupil
        row.name, row.group = f"{pupil.last_name}, {pupil.first_name}", pupil.tutor_group.name
        row.sanction_text = sanction_words(sanction.detention_minutes, sanction.meeting_with)
        row.since = _day(timezone.localtime(sanction.created_at))
        if row.booking is not None:
            row.session_url, row.session_text = session_link(row.booking.session)
    board.pending_html = mark_safe("".join(_pending_row_html(row) for row in board.pending))
    for row in board.exclusions:
        row.session_url, row.session_text = session_link(row.exclusion.session)
        row.late = row.exclusion.session.date < board.today
    for row in (*board.exclusions, *board.waiting_exclusion):
        row.url = pupil_url(row.sanction.pupil_id)
        row.detention_day = _day(row.detention.session.date) if row.detention else ""
    for session in board.sessions:
        exclusion, day = session.is_exclusion, short_day(session.date)
        if may_open_sanctions:
            session.url = session_urls[exclusion](session.pk)
            session.label = f"{'Internal exclusion' if exclusion else 'Detention'} {day}"
        else:
            session.url, session.label = "", f"{session.get_kind_display()} {day}"
        session.times = f"{session.start_time:%H:%M}–{session.end_time:%H:%M}"
        session.full = session.taken >= session.capacity
    top = board.trend_max or 1
    for row in board.trend:
        half_term = row.half_term
        row.name = half_term.get_name_display()
        row.dates = f"{half_term.start_date:%d/%m}–{half_term.end_date:%d/%m}"
        row.top = top
    for meeting in board.meetings:
        meeting.url = pupil_url(meeting.pupil_id)
        meeting.meeting_url = meeting_url(meeting.pk)
    for row in board.absences:
        row.url = pupil_url(row.booking.sanction.pupil_id)
    for failed in board.failed:
        failed.notification.url = pupil_url(failed.notification.pupil_id)


_SANCTION = ["Cycle", "Step", "Detention (minutes)", "Meeting", "Created"]
_WHERE = ["Where it stands", "Date", "Room"]


@dataclass(frozen=True)
class CsvList:
    """One list of the dashboard offered as a CSV download (`?format=csv&list=<key>`)."""

    title: str
    header: Sequence[str]
    rows: Callable[[Dashboard], Iterable[Sequence]]


CSV_LISTS = {
    "pupils": CsvList(
        "pupils closest to the next sanction",
        [
            "Pupil",
            "Tutor group",
            "Counted misses",
            "Misses this cycle",
            "To next sanction",
            "Completed cycles",
            "Next detention (minutes)",
            "Next meeting",
        ],
        _pupil_rows,
    ),
    "sanctions": CsvList(
        "sanctions to serve",
        ["Pupil", "Tutor group", *_SANCTION, *_WHERE],
        lambda board: _pending_rows(board.pending),
    ),
    "sessions": CsvList(
        "this week's sessions",
        ["Kind", "Date", "Time", "Room", "Supervisor", "Places taken", "Capacity", "Our pupils"],
        _session_rows,
    ),
    "exclusions": CsvList(
        "internal exclusion",
        ["Pupil", "Tutor group", *_SANCTION, *_WHERE],
        _exclusion_rows,
    ),
    "meetings": CsvList(
        "meetings to arrange",
        ["Pupil", "Tutor group", "Meeting with", "Owner", "Parents invited", "Cycle", "Since"],
        _meeting_rows,
    ),
    "absences": CsvList(
        "unauthorised absences",
        ["Pupil", "Tutor group", "Missed", "Date", "Notes", "What followed", "Exclusion day"],
        _absence_rows,
    ),
}


def _dashboard_csv(board, which: str):
    listed = CSV_LISTS[which]
    response, writer = csv_response(f"sanctions-{which}-{board.year.name.replace('/', '-')}")
    writer.writerow(listed.header)
    writer.writerows(listed.rows(board))
    return response


@login_required
def sanctions_dashboard(request):
    """Heads of year and house (their years and houses) and senior leaders (the school):
    who is closest to the next sanction, where each sanction to serve stands, this week's
    sessions, internal exclusion, meetings to arrange, unauthorised absences and the
    trend; each list also as CSV. Anyone else gets 404."""
    if not may_use_dashboard(request.user):
        raise Http404("The sanctions dashboard is for heads of year and house.")
    today = timezone.localdate()
    year = academic_year_for(request.user.school_id, today)
    filters = DashboardFilters(
        request.GET if set(request.GET) - {"format", "list", "pupils"} else None,
        user=request.user,
        year=year,
    )
    policy = policy_current(school=School(pk=request.user.school_id))
    wanted = request.GET.get("format")
    # The pupils closest to their next sanction first; the rest on asking (and in the CSV).
    every_pupil = wanted == "csv" or request.GET.get("pupils") == "all"
    board = dashboard_for(
        request.user,
        filters,
        today=today,
        policy=policy,
        year=year,
        pupils_shown=None if every_pupil else PUPILS_SHOWN,
    )
    which = request.GET.get("list", "")
    download_error = ""
    if wanted == "csv":
        if which not in CSV_LISTS:
            titles = "; ".join(listed.title for listed in CSV_LISTS.values())
            download_error = f"Choose which list to download: {titles}."
        elif board.year is None or (filters.is_bound and not filters.is_valid()):
            download_error = "Nothing to download: fix the filters first."
        else:
            return _dashboard_csv(board, which)
    query = request.GET.copy()
    for key in ("format", "list", "pupils"):
        query.pop(key, None)
    pupils_shown = board.pupils
    # A school admin reads the dashboard but runs no register nor meeting.
    may_open_sanctions = access.has_role(request.user, *DETENTION_ROLES)
    _rows_shown(board, pupils_shown, may_open_sanctions=may_open_sanctions)
    return render(
        request,
        "sanctions/dashboard/dashboard.html",
        {
            "board": board,
            "pupils_shown": pupils_shown,
            "pupils_folded": board.pupils_total - len(pupils_shown),
            "filters": filters,
            "download_error": download_error,
            "query": query.urlencode(),
            "may_open_sanctions": may_open_sanctions,
        },
    )


@login_required
def sanctions_pupil(request, pupil_id):
    """A pupil's timeline of misses, sanctions, detentions and exclusion days, meetings,
    commendations and audit entries, for the staff who look after them (form tutor, head
    of year or house, senior leaders); 404 for anyone else."""
    pupils = pastoral_pupils(request.user)
    pupil = get_object_or_404(
        pupils.select_related("tutor_group", "year_group", "house"), pk=pupil_id
    )
    pupil_looked_at(request, pupil, "Sanctions timeline")
    return render(
        request,
        "sanctions/dashboard/timeline.html",
        {
            "pupil": pupil,
            "left": pupil.left_on is not None and pupil.left_on <= timezone.localdate(),
            "timeline": timeline_of(pupil),
            "placements": placements_of(pupil),
            "may_excuse": may_excuse_for(request.user, pupil),
            "may_use_dashboard": may_use_dashboard(request.user),
            "may_open_meetings": access.has_role(request.user, *MEETING_ROLES),
        },
    )
