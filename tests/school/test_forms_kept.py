"""`{% crispy_kept form %}` (school/templatetags/forms_kept.py): an unbound form's HTML
kept per process, the same as `{% crispy form %}` writes, and never stale: whatever
changes what the form would show changes the key."""

import re

import pytest
from crispy_forms.helper import FormHelper
from django import forms
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from sanctions.forms.dashboard import DashboardFilters
from sanctions.forms.detentions import DetentionSessionForm
from school.models import RoleAssignment
from school.templatetags import forms_kept
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

KEPT = Template("{% load forms_kept %}{% crispy_kept form %}")
CRISPY = Template("{% load crispy_forms_tags %}{% crispy form %}")


def _both(form_of, request):
    context = {"request": request}
    kept = KEPT.render(Context({**context, "form": form_of()}))
    again = KEPT.render(Context({**context, "form": form_of()}))
    crispy = CRISPY.render(Context({**context, "form": form_of()}))
    return kept, again, crispy


@pytest.fixture(autouse=True)
def _nothing_kept():
    forms_kept._kept.clear()
    yield
    forms_kept._kept.clear()


def test_the_kept_html_is_what_crispy_writes(world):
    request = RequestFactory().get("/")
    request.user = world.head_of_year
    for form_of in (
        lambda: DetentionSessionForm(school_id=world.school.pk),
        lambda: DashboardFilters(None, user=world.head_of_year, year=world.academic_year),
        lambda: DashboardFilters(None, user=world.senior_leader, year=world.academic_year),
    ):
        kept, again, crispy = _both(form_of, request)
        assert kept == again == crispy
        assert 'name="room"' in kept or 'name="subject"' in kept
    assert len(forms_kept._kept) == 3  # a head of year's filters are not a senior leader's


def test_a_new_choice_shows_at_once(world):
    request = RequestFactory().get("/")
    before = KEPT.render(
        Context({"request": request, "form": DetentionSessionForm(school_id=world.school.pk)})
    )
    newcomer = UserFactory(
        school=world.school, first_name="Newly", last_name="Appointed", email="new@test.school"
    )
    RoleFactory(user=newcomer, school=world.school, role=RoleAssignment.Role.TEACHER)
    after = KEPT.render(
        Context({"request": request, "form": DetentionSessionForm(school_id=world.school.pk)})
    )
    assert "Newly Appointed" not in before
    assert f'<option value="{newcomer.pk}">Newly Appointed</option>' in after


def test_initial_values_and_the_language_are_part_of_the_key(world):
    request = RequestFactory().get("/")

    def render(**initial):
        form = DetentionSessionForm(school_id=world.school.pk, initial=initial)
        return KEPT.render(Context({"request": request, "form": form}))

    assert 'value="B12"' in render(room="B12")
    assert 'value="C3"' in render(room="C3")
    english = render()
    with translation.override("pl"):
        polish = render()
    assert len(forms_kept._kept) == 4
    assert english.count("<input") == polish.count("<input")


def test_a_bound_form_is_rendered_each_time_with_its_errors(client, world):
    client.force_login(world.head_of_year)
    response = client.post(reverse("sanctions_detentions"), {"what": "single", "room": ""})
    assert response.status_code == 400
    assert "Give the room." in response.content.decode()
    assert forms_kept._kept == {}


def test_a_form_carrying_the_visitors_csrf_token_is_never_kept(rf):
    class WithItsOwnTag(forms.Form):
        name = forms.CharField()

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper = FormHelper()  # writes <form> and the CSRF token

    request = rf.get("/")
    html = KEPT.render(Context({"request": request, "form": WithItsOwnTag(), "csrf_token": "t"}))
    assert 'name="name"' in html
    assert forms_kept._kept == {}


def test_the_detentions_page_shows_the_form_kept_from_the_view_before(client, world):
    client.force_login(world.head_of_year)
    first = client.get(reverse("sanctions_detentions")).content.decode()
    second = client.get(reverse("sanctions_detentions")).content.decode()
    assert len(forms_kept._kept) == 1

    def form_of(page):  # each response's CSRF token is masked afresh
        section = page[page.index('<section aria-labelledby="add-session">') :]
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", section)

    assert form_of(first) == form_of(second)
    assert 'name="room"' in form_of(first)
