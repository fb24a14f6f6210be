"""The language a page is shown in.

LocaleMiddleware has already chosen one: the language cookie (set by the switcher in
base.html), else the browser's Accept-Language, else English. A choice made in this
browser (the cookie) always wins. Without one, a logged-in guardian sees the language
the school's records give for them, and staff and pupils see English: the product's
staff pages are written in English, and a shared classroom computer's browser language
says nothing about the pupil in front of it. Visitors who are not logged in (the login
and password reset pages) keep the browser's language."""

from django.conf import settings
from django.utils import translation


class GuardianLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            # No session cookie: nobody is logged in, and asking would cost nothing anyway.
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and request.user.is_authenticated
        ):
            language = self._language_for(request.user)
            if language != translation.get_language():
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)

    @staticmethod
    def _language_for(user) -> str:
        # Staff and pupils belong to a school; guardians do not (see User), so only they
        # cost a query: the same one access.is_guardian asks, whose answer is kept for it.
        if user.school_id is not None or user.is_staff:
            return settings.LANGUAGE_CODE
        languages = list(
            user.guardian_records.order_by("pk").values_list("preferred_language", flat=True)[:1]
        )
        if getattr(user, "_is_guardian", None) is None:
            user._is_guardian = bool(languages)
        language = languages[0] if languages else ""
        if language and translation.check_for_language(language):
            return language
        return settings.LANGUAGE_CODE
