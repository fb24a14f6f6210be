"""The language a page is shown in.

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
from django.utils import translation

from .language import guardian_language, is_guardian_login


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
