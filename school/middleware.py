"""The language and the time zone a page is shown in.

LocaleMiddleware has already chosen one: the language cookie (set by the switcher in
base.html), else the browser's Accept-Language, else English. A choice made in this
browser (the cookie) always wins. Without one, a logged-in guardian sees the language
saved on their guardian records (their own choice, made with the switcher or on the
notifications page, else the school's records), and staff and pupils see English: the
product's staff pages are written in English, and a shared classroom computer's browser
language says nothing about the pupil in front of it. Visitors who are not logged in (the
login and password reset pages) keep the browser's language.

A guardian's saved language is also the language of their emails and text messages, so
it is kept on the request (`request.guardian_language`): when the page's language differs
from it (a language chosen before logging in, or on another device), the switcher offers
to keep the page's language for messages too."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone, translation

from .calendar import zone_named
from .language import guardian_language, is_guardian_login
from .models import Guardian, School


class GuardianLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.guardian_language = ""
        # No session cookie: nobody is logged in, and asking would cost nothing anyway.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and is_guardian_login(request.user):
            # One query, the same one access.is_guardian asks, whose answer is kept for it.
            request.guardian_language = guardian_language(request.user)
        language = self._language_for(request)
        if language and language != translation.get_language():
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)

    @staticmethod
    def _language_for(request) -> str:
        if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            return ""  # LocaleMiddleware has applied the browser's own choice
        if request.guardian_language:
            return request.guardian_language
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            return settings.LANGUAGE_CODE  # staff, pupils, and logins with no record
        return ""


# The school's time zone ------------------------------------------------------------------

TIME_ZONE_SESSION_KEY = "school_time_zone"


def login_time_zone(user) -> str:
    """The time zone of the school this login views ("" for none): a member of staff's or
    a pupil's own school; for a guardian, the school of their first guardian record (the
    oldest). A parent whose children are at schools in different zones of a trust sees
    their pages in that one school's zone, so that the pages they read agree with each
    other; each message they are sent is still written in the zone of the school sending
    it (notifications/channels.py). A login with neither (a superuser, a guardian with no
    record yet) sees the site's zone."""
    if user.school_id is not None:
        zones = School.objects.filter(pk=user.school_id)
    else:
        zones = School.objects.filter(
            pk__in=Guardian.objects.filter(user=user).order_by("pk").values("school_id")[:1]
        )
    return zones.values_list("time_zone", flat=True).first() or ""


@receiver(user_logged_in)
def _time_zone_remember(sender, request, user, **kwargs):
    """Asked once at login and kept in the session, so that no page pays a query for it
    (a school that changes its zone is seen in the new one from each person's next login)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[TIME_ZONE_SESSION_KEY] = login_time_zone(user)


class SchoolTimeZoneMiddleware:
    """Pages are shown in the time zone of the school being viewed (login_time_zone):
    "today", this week, due times and every date a page computes or prints are the
    school's, not the server's. Visitors who are not logged in see the site's zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = ""
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            name = request.session.get(TIME_ZONE_SESSION_KEY)
            if name is None and request.user.is_authenticated:
                # A session from before the zone was kept: ask once, then keep it.
                name = request.session[TIME_ZONE_SESSION_KEY] = login_time_zone(request.user)
        if not name:
            return self.get_response(request)
        with timezone.override(zone_named(name)):
            return self.get_response(request)
