"""The new academic year's wizard: only the school's admins open it; the calendar comes
pre-filled from this year's pattern; the answers wait until the dry run is confirmed;
starting the year twice does nothing more; each page costs a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from school.demo.calendar import HALF_TERMS, INSET_DAYS
from school.models import AcademicYear, HalfTerm, NonSchoolDay, Pupil, TutorGroup, YearGroup
from tests.factories import PupilFactory

CALENDAR = reverse("mis_new_year")
CHOICES = reverse("mis_new_year_choices")
CHECK = reverse("mis_new_year_check")
D = datetime.date


@pytest.fixture
def calendar_world(world):
    """The world's 2026/27 with the demo school's half-terms and INSET days."""
    HalfTerm.objects.bulk_create(
        HalfTerm(
            school=world.school,
            academic_year=world.academic_year,
            name=name,
            start_date=first,
            end_date=last,
        )
        for name, first, last in HALF_TERMS
    )
    NonSchoolDay.objects.bulk_create(
        NonSchoolDay(school=world.school, date=day, kind=NonSchoolDay.Kind.INSET)
        for day in INSET_DAYS
    )
    return world


def calendar_post(form) -> dict:
    """The step 1 form's pre-filled values, as the browser would send them back."""
    data = {}
    for name in form.fields:
        value = form.initial.get(name, "")
        data[name] = value.isoformat() if isinstance(value, datetime.date) else value
    return data


def test_the_calendar_is_prefilled_from_this_years_pattern(client, calendar_world):
    client.force_login(calendar_world.school_admin)
    response = client.get(CALENDAR)
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["name"] == "2027/28"
    assert (initial["start_date"], initial["end_date"]) == (D(2027, 9, 1), D(2028, 8, 31))
    # Wednesday 2 September 2026 → Wednesday 1 September 2027; Friday 23 October →
    # Friday 22 October.
    assert (initial["autumn_1_start"], initial["autumn_1_end"]) == (D(2027, 9, 1), D(2027, 10, 22))
    assert initial["inset_days"].splitlines()[0] == "01/09/2027"
    assert len(initial["inset_days"].splitlines()) == 5
    # England's bank holidays that fall in the new half-terms, worked out: Easter 2028 is
    # in the shifted Summer 1 (the admin sees it, and moves the holiday if need be); the
    # spring bank holiday falls in the half-term break.
    assert initial["bank_holidays"].splitlines() == [
        "14/04/2028 Good Friday",
        "17/04/2028 Easter Monday",
        "01/05/2028 Early May bank holiday",
    ]


def test_the_wizard_changes_nothing_until_confirmed_then_starts_the_year_once(
    client, calendar_world
):
    world = calendar_world
    client.force_login(world.school_admin)
    form = client.get(CALENDAR).context["form"]
    data = calendar_post(form)
    data["closures"] = "14/02/2028 Boiler replacement"

    assert client.post(CALENDAR, data).url == CHOICES
    choices = client.get(CHOICES)
    assert choices.context["form"].initial["leaver_years"] == [11, 13]
    assert client.post(CHOICES, {"leaver_years": ["8", "11", "13"]}).url == CHECK

    check = client.get(CHECK)
    plan = check.context["plan"]
    assert plan.errors == []
    assert plan.moves == [(7, 8, 2)]
    assert plan.leavers == [(8, 2)]
    page = check.content.decode()
    assert "This is a dry run: nothing has changed yet." in page
    assert "Start 2027/28" in page
    assert "Autumn 1: 01/09/2027 to 22/10/2027" in page
    assert "Mon 14/02/2028: School closure (Boiler replacement)" in page
    assert not AcademicYear.objects.filter(school=world.school, name="2027/28").exists()
    assert Pupil.objects.get(pk=world.pupil.pk).tutor_group_id == world.tg_7a.pk

    done = client.post(CHECK, follow=True)
    assert done.redirect_chain == [(CALENDAR, 302)]
    page = done.content.decode()
    assert "2027/28 is ready: 2 pupils moved up, 2 leave on 01/09/2027" in page
    assert "has started from 2026/27" in page
    assert reverse("parents_agreement_edit") in page  # the agreement asks to be published
    assert NonSchoolDay.objects.get(school=world.school, date=D(2028, 2, 14)).description == (
        "Boiler replacement"
    )
    pupil = Pupil.objects.select_related("tutor_group").get(pk=world.pupil.pk)
    assert pupil.tutor_group.name == "8A"
    assert Pupil.objects.get(pk=world.year8_pupil.pk).left_on == D(2027, 9, 1)

    # Again: nothing more happens, the steps lead back to the finished page.
    groups = TutorGroup.objects.count()
    assert client.post(CHECK).url == CALENDAR
    assert client.get(CHOICES).url == CALENDAR
    assert TutorGroup.objects.count() == groups


def test_a_bad_calendar_is_refused_with_the_reason_under_each_field(client, calendar_world):
    client.force_login(calendar_world.school_admin)
    data = calendar_post(client.get(CALENDAR).context["form"])
    data.update(
        end_date="2027-08-01",
        autumn_2_start="2027-10-01",
        inset_days="31/02/2028\n01/09/2027\n01/09/2027",
    )
    response = client.post(CALENDAR, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["end_date"] == ["The year must end after it starts."]
    assert "“31/02/2028” is not a date" in errors["inset_days"][0]
    assert "Line 3: 01/09/2027 is listed twice." in errors["inset_days"]
    assert "Nothing was saved" in response.content.decode()


def test_the_dry_run_names_what_stops_the_year(client, calendar_world):
    world = calendar_world
    y13_group = TutorGroup.objects.create(
        school=world.school,
        name="13A",
        year_group=YearGroup.objects.create(school=world.school, number=13),
    )
    PupilFactory(tutor_group=y13_group)
    client.force_login(world.school_admin)
    client.post(CALENDAR, calendar_post(client.get(CALENDAR).context["form"]))
    client.post(CHOICES, {"leaver_years": ["11"]})
    response = client.get(CHECK)
    page = response.content.decode()
    assert "Year 13 has 1 pupil who cannot move up" in page
    assert "Start 2027/28</button>" not in page
    refused = client.post(CHECK)
    assert "Nothing was changed." in refused.content.decode()
    assert not AcademicYear.objects.filter(name="2027/28").exists()


def test_the_steps_in_order(client, calendar_world):
    client.force_login(calendar_world.school_admin)
    for url in (CHOICES, CHECK):  # no calendar yet
        response = client.get(url)
        assert "Start with the calendar" in response.content.decode()
        assert client.post(url).status_code == 200  # nothing to save or start
    client.post(CALENDAR, calendar_post(client.get(CALENDAR).context["form"]))
    assert "Go back to who moves where" in client.get(CHECK).content.decode()
    assert client.post(CHECK).status_code == 200
    assert not AcademicYear.objects.filter(name="2027/28").exists()


@pytest.mark.parametrize("who", ["teacher", "head_of_year", "senior_leader", "parent", "pupil"])
@pytest.mark.parametrize("url", [CALENDAR, CHOICES, CHECK])
def test_only_the_schools_admins_open_the_wizard(client, world, who, url):
    person = getattr(world, who)
    client.force_login(getattr(person, "user", person))
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_another_schools_admin_starts_only_their_own_schools_year(client, calendar_world):
    client.force_login(calendar_world.other_school_staff)
    response = client.get(CALENDAR)
    assert response.context["year"] is None  # their school has entered no year
    assert "No academic year covers today" in response.content.decode()
    assert "No academic year covers today" in client.post(CHECK).content.decode()
    assert not AcademicYear.objects.filter(name="2027/28").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(CALENDAR)
    assert response.status_code == 302 and "login" in response.url


def test_the_menu_offers_the_new_year_to_school_admins_only(client, world):
    client.force_login(world.school_admin)
    assert CALENDAR in client.get(reverse("home")).content.decode()
    client.force_login(world.senior_leader)
    assert CALENDAR not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("extra", [0, 40])
def test_each_step_costs_a_fixed_number_of_queries(
    client, calendar_world, django_assert_max_num_queries, extra
):
    world = calendar_world
    for _ in range(extra):
        PupilFactory(tutor_group=world.tg_7b)
    client.force_login(world.school_admin)
    # session, user, roles, the year of today, the next year if entered, this year's
    # half-terms and INSET days
    with django_assert_max_num_queries(8):
        form = client.get(CALENDAR).context["form"]
    client.post(CALENDAR, calendar_post(form))
    # session, user, roles, the year (and the session saved)
    with django_assert_max_num_queries(6):
        client.get(CHOICES)
    client.post(CHOICES, {"leaver_years": ["11", "13"], "copy_teaching_groups": "on"})
    # session, user, roles, school, the year; the plan: the year entered? overlaps, days
    # known, the old year's last half-term, the roll by year, year groups, placements,
    # tutor groups with their tutors and pupils, classes to archive and to copy
    with django_assert_max_num_queries(19):
        client.get(CHECK)
    client.post(CHECK)
    # the finished page: session, user, roles, the year, the year that followed
    with django_assert_max_num_queries(7):
        client.get(CALENDAR)


def test_a_next_year_already_entered_in_the_admin_is_what_the_calendar_shows(
    client, calendar_world
):
    world = calendar_world
    entered = AcademicYear.objects.create(
        school=world.school, name="2027/28", start_date=D(2027, 9, 1), end_date=D(2028, 8, 31)
    )
    HalfTerm.objects.create(
        school=world.school,
        academic_year=entered,
        name=HalfTerm.Name.AUTUMN_1,
        start_date=D(2027, 9, 6),
        end_date=D(2027, 10, 22),
    )
    NonSchoolDay.objects.create(
        school=world.school, date=D(2027, 9, 6), kind=NonSchoolDay.Kind.INSET, description="Ours"
    )
    client.force_login(world.school_admin)
    initial = client.get(CALENDAR).context["form"].initial
    assert initial["autumn_1_start"] == D(2027, 9, 6)  # theirs, not the pattern's 1 September
    assert "autumn_2_start" not in initial  # the rest is theirs to fill in
    assert initial["inset_days"] == "06/09/2027 Ours"
