"""A guardian opened the parents' pages today (PortalVisit): the half-term report counts
the families who did in each half-term (reports/measures/engagement.py).

Written at most once a day per login, cheaply: the day recorded is kept in the session,
so a request on a day already recorded writes and reads nothing; the first parents' page
of a day costs two queries (the login's guardian records, one insert), and logging in
records the day at once (a parent who logs in has opened the portal), so the pages after
it pay nothing. A login with guardian records at several schools of a trust is recorded
at each; staff and pupils have no guardian record and write nothing. A visit's day is
the school's date."""

import datetime

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from school.calendar import zone_named
from school.models import Guardian

from .models import PortalVisit

SESSION_KEY = "parents_portal_visit_day"


def portal_visit_record(*, user, now: datetime.datetime | None = None) -> int:
    """Record that `user` opened the parents' pages now, at each school where they have a
    guardian record (not erased): one visit per record and day, the day in the school's
    time zone. Returns how many records there were (two queries; none written twice)."""
    now = now or timezone.now()
    records = list(
        Guardian.objects.filter(user=user, erased_at__isnull=True).values_list(
            "pk", "school_id", "school__time_zone"
        )
    )
    if records:
        PortalVisit.objects.bulk_create(
            [
                PortalVisit(
                    school_id=school_id,
                    guardian_id=guardian_id,
                    day=timezone.localtime(now, zone_named(zone)).date(),
                )
                for guardian_id, school_id, zone in records
            ],
            ignore_conflicts=True,
        )
    return len(records)


def _site_day() -> str:
    # The session's day is the site's (settings.TIME_ZONE), not the zone active in the
    # request: logging in runs before the person's school zone is active, and the pages
    # after it must find the day it remembered (the visits themselves use each school's).
    return timezone.localtime(timezone.now(), zone_named(settings.TIME_ZONE)).date().isoformat()


def _remember(request) -> None:
    request.session[SESSION_KEY] = _site_day()


def _recorded_today(request) -> bool:
    return request.session.get(SESSION_KEY) == _site_day()


@receiver(user_logged_in, dispatch_uid="parents_portal_visit_at_login")
def _visit_at_login(sender, request, user, **kwargs):
    if request is None or getattr(request, "session", None) is None:
        return
    portal_visit_record(user=user)
    _remember(request)


class PortalVisitMiddleware:
    """Records the visit when a logged-in person opens one of the parents' pages (a view of
    the parents app) and the session has no visit for today yet."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "__module__", "").startswith("parents.views"):
            return None
        session = getattr(request, "session", None)
        if session is None or _recorded_today(request):
            return None
        if request.user.is_authenticated:
            portal_visit_record(user=request.user)
            _remember(request)
        return None
