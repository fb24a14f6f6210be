"""The language switcher."""

from django.conf import settings
from django.views.i18n import set_language

from .. import language


def language_switch(request):
    """Django's set_language (a POST sets the language cookie and returns to `next`; a GET
    changes nothing); for a logged-in guardian the choice is also saved on their records,
    so that emails and text messages follow the site. Staff and pupils keep a cookie."""
    response = set_language(request)
    if request.method == "POST" and language.is_guardian_login(request.user):
        chosen = request.POST.get("language", "")
        if chosen in dict(settings.LANGUAGES):
            language.guardian_language_save(user=request.user, language=chosen)
    return response
