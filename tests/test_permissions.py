"""Every page against every persona: who gets it, who gets 404, and that anonymous
visitors are sent to log in. A URL added to the project without a row here fails
`test_every_url_is_in_the_permission_table`."""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.html import escape

# Each of the ~900 cases reads one world: it is built once (tests/conftest.py).
pytestmark = pytest.mark.shared_world

PERSONAS = [
    "teacher",
    "other_teacher",
    "head_of_year",
    "head_of_house",
    "subject_leader",
    "senior_leader",
    "school_admin",
    "lsa",
    "pupil_user",
    "parent",
    "other_parent",
    "other_school_staff",
    "other_school_teacher",
]
EVERYONE = set(PERSONAS)

# url name -> (how to build it from the world, the personas who get 200; others get 404)
PAGES = {
    "home": (lambda w: reverse("home"), EVERYONE),
    "pupil_detail": (
        lambda w: reverse("pupil_detail", args=[w.pupil.pk]),
        {
            "teacher",
            "other_teacher",
            "head_of_year",
            "head_of_house",
            "subject_leader",
            "senior_leader",
            "school_admin",
            "pupil_user",
            "parent",
        },
    ),
    "tutor_group_detail": (
        lambda w: reverse("tutor_group_detail", args=[w.tg_7a.pk]),
        {"teacher", "head_of_year", "senior_leader", "school_admin"},
    ),
    "teaching_group_detail": (
        lambda w: reverse("teaching_group_detail", args=[w.maths_7.pk]),
        {"teacher", "head_of_year", "subject_leader", "senior_leader", "school_admin"},
    ),
    "year_group_detail": (
        lambda w: reverse("year_group_detail", args=[w.y7.pk]),
        {"head_of_year", "senior_leader", "school_admin"},
    ),
    "house_detail": (
        lambda w: reverse("house_detail", args=[w.house_a.pk]),
        {"head_of_house", "senior_leader", "school_admin"},
    ),
}

# Each app's rows live beside its tests, in tests/<app>/permission_rows*.py: a PAGES dict of
# the same shape, built from the `homework_world` fixture; optionally POST_ONLY (actions that
# answer GET with 405) and SECRET_ADDRESS (pages reached by a secret address instead of a
# login, e.g. a calendar feed), whose access that app's tests check themselves.
CHECKED_BY_APP_TESTS = set()
for _rows in sorted(Path(__file__).parent.glob("*/permission_rows*.py")):
    _module = importlib.import_module(f"tests.{_rows.parent.name}.{_rows.stem}")
    PAGES.update(_module.PAGES)
    CHECKED_BY_APP_TESTS |= getattr(_module, "SECRET_ADDRESS", set())
    CHECKED_BY_APP_TESTS |= set(getattr(_module, "POST_ONLY", {}))
    CHECKED_BY_APP_TESTS |= getattr(_module, "PUBLIC", set())  # e.g. the steps of signing in

# Pages anyone may open without logging in (Django's own account pages).
PUBLIC = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}
# Logged-in account pages every persona may use for their own account.
OWN_ACCOUNT = {"password_change", "password_change_done"}


def persona(world, name):
    return world.pupil.user if name == "pupil_user" else getattr(world, name)


def _url_names(resolver, namespace=None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from _url_names(entry, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def test_every_url_is_in_the_permission_table():
    missing = (
        set(_url_names(get_resolver())) - set(PAGES) - PUBLIC - OWN_ACCOUNT - CHECKED_BY_APP_TESTS
    )
    assert not missing, f"add these URLs to tests/test_permissions.py: {sorted(missing)}"


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", PERSONAS)
def test_page_answers_each_persona_with_200_or_404(client, homework_world, page, who):
    build_url, allowed = PAGES[page]
    client.force_login(persona(homework_world, who))
    response = client.get(build_url(homework_world))
    assert response.status_code == (200 if who in allowed else 404)


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, homework_world, page):
    url = PAGES[page][0](homework_world)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", ["password_change", "password_change_done"])
def test_account_pages_need_a_login(client, world, page):
    assert client.get(reverse(page)).status_code == 302
    client.force_login(world.parent)
    assert client.get(reverse(page)).status_code == 200


def test_a_404_shows_no_data_of_the_hidden_pupil(client, world):
    client.force_login(world.other_parent)
    response = client.get(reverse("pupil_detail", args=[world.pupil.pk]))
    assert response.status_code == 404
    assert escape(world.pupil.last_name) not in response.content.decode()
