"""The language switcher (Django's set_language, POST /i18n/setlang/) is open to everyone,
logged in or not: it only sets the visitor's language cookie. tests/school/test_i18n.py
checks it."""

from django.urls import reverse

PAGES = {}
POST_ONLY = {
    "set_language": (lambda w: reverse("set_language"), set()),
}
