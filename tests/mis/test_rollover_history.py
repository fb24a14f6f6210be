"""After the new academic year has started: last year's classes are read-only but still
there, the ladder starts again at zero, and last year's dashboard still shows each pupil
in the year and tutor group they were in then."""

import copy
import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from homework.models import Homework
from homework.services import HomeworkError
from homework.services.setting import HomeworkDetails, homework_publish, homework_set
from mis.rollover.services import Choices, rollover_apply
from parents.agreements.defaults import DEFAULT_TEXT
from parents.agreements.versions import agreement_draft_save, agreement_publish
from sanctions.models import Miss, PupilEscalation, Sanction
from sanctions.services.misses import miss_record
from school.calendar import academic_year_for, groups_year_for
from school.models import (
    AcademicYear,
    Pupil,
    RoleAssignment,
    TeachingGroup,
    TutorGroup,
    YearGroup,
)
from tests.factories import PupilFactory, SubjectFactory, TeachingGroupFactory, UserFactory
from tests.sanctions.helpers import overdue_assignments

from .ctf_builder import ctf_pupils, ctf_xml, upn_make
from .ctf_fixtures import apply as ctf_apply
from .ctf_fixtures import ctf_school_make
from .rollover_helpers import apply, next_year

DASHBOARD = reverse("sanctions_dashboard")
Role = RoleAssignment.Role


def details(title="Task", **changes):
    values = {
        "title": title,
        "instructions": "Do it.",
        "set_on": timezone.localdate(),
        "due_at": timezone.now() + datetime.timedelta(days=2),
        "estimated_minutes": 30,
    }
    values.update(changes)
    return HomeworkDetails(**values)


# Archived classes -------------------------------------------------------------------------


def test_no_homework_is_set_for_last_years_classes_but_they_stay_in_history(client, world):
    (draft,) = homework_set(
        teacher=world.teacher, teaching_groups=[world.maths_7], details=details(), as_draft=True
    )
    apply(world, copy_teaching_groups=True)
    old = TeachingGroup.objects.get(pk=world.maths_7.pk)

    with pytest.raises(HomeworkError) as refused:
        homework_set(teacher=world.teacher, teaching_groups=[old], details=details())
    assert str(refused.value) == (
        "7x/Ma1 is an archived class of a past academic year: homework can no longer be set "
        "or changed for it. Choose a class of this year."
    )
    draft = Homework.objects.select_related("teaching_group").get(pk=draft.pk)
    with pytest.raises(HomeworkError, match="archived class"):
        homework_publish(homework=draft)

    client.force_login(world.teacher)
    form = client.get(reverse("homework_new"))
    offered = [label for _, label in form.context["form"].fields["teaching_groups"].choices]
    assert [label.split(":")[0] for label in offered] == ["8x/Ma1"]  # this year's copy only

    # Publishing the old draft from its page says why, and sets nothing.
    response = client.post(reverse("homework_publish", args=[draft.pk]), follow=True)
    assert "archived class of a past academic year" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Homework.Status.DRAFT

    # The class itself is still there to read, with its pupils.
    roster = client.get(reverse("teaching_group_detail", args=[old.pk]))
    assert roster.status_code == 200
    assert escape(world.pupil.last_name) in roster.content.decode()


def test_a_new_class_of_the_new_year_takes_homework(world):
    apply(world, copy_teaching_groups=True)
    copy = TeachingGroup.objects.get(academic_year__name="2027/28", name="8x/Ma1")
    (homework,) = homework_set(teacher=world.teacher, teaching_groups=[copy], details=details())
    assert set(homework.assignments.values_list("pupil_id", flat=True)) == {
        world.pupil.pk,
        world.classmate.pk,
    }


# The ladder ---------------------------------------------------------------------------


def test_the_ladder_starts_again_at_zero_in_the_new_year(world):
    record_two = overdue_assignments(world, world.pupil, 2)
    miss_record(recorder=world.teacher, assignments=record_two)
    apply(world)
    new_year = AcademicYear.objects.get(school=world.school, name="2027/28")

    # A third miss, in the new year's second week: counted in the new year, from zero.
    in_september = timezone.make_aware(datetime.datetime(2027, 9, 13, 10))
    group = TeachingGroupFactory(
        school=world.school,
        academic_year=new_year,
        year_group=YearGroup.objects.get(school=world.school, number=8),
        subject=SubjectFactory(school=world.school),
        teachers=[world.teacher],
        pupils=[world.pupil],
    )
    (homework,) = homework_set(
        teacher=world.teacher,
        teaching_groups=[group],
        details=details(
            set_on=datetime.date(2027, 9, 6),
            due_at=timezone.make_aware(datetime.datetime(2027, 9, 10, 9)),
        ),
    )
    (third,) = miss_record(
        recorder=world.teacher,
        assignments=list(homework.assignments.filter(pupil=world.pupil)),
        now=in_september,
    )

    assert third.academic_year == new_year
    counted = Miss.objects.filter(pupil=world.pupil, status=Miss.Status.COUNTED)
    assert counted.filter(academic_year=world.academic_year).count() == 2
    assert counted.filter(academic_year=new_year).count() == 1
    assert not Sanction.objects.filter(pupil=world.pupil).exists()  # 2 + 1 is no cycle
    assert (
        PupilEscalation.objects.get(pupil=world.pupil, academic_year=new_year).counted_misses == 1
    )


# Last year's dashboard --------------------------------------------------------------------


@pytest.fixture
def last_year(world):
    """Two misses each for the Year 7 pupil (7A) and a Year 8 pupil (8A), then the next
    year started: they are now in 8A and 9A of 2027/28."""
    for pupil in (world.pupil, world.year8_pupil):
        miss_record(recorder=world.teacher, assignments=overdue_assignments(world, pupil, 2))
    apply(world)
    world.academic_year.refresh_from_db()
    return world


def _rows(response):
    return {
        row.pupil.full_name: (row.pupil.year_group.number, row.pupil.tutor_group.name)
        for row in response.context["board"].pupils
    }


def test_last_years_dashboard_shows_pupils_in_their_groups_of_then(client, last_year):
    world = last_year
    client.force_login(world.senior_leader)
    response = client.get(DASHBOARD)

    assert response.context["board"].year == world.academic_year
    assert _rows(response) == {
        world.pupil.full_name: (7, "7A"),
        world.year8_pupil.full_name: (8, "8A"),
    }
    page = response.content.decode()
    assert "<td>7A</td>" in page and "<td>8A</td>" in page
    assert "<td>9A</td>" not in page

    csv_response = client.get(DASHBOARD, {"format": "csv", "list": "pupils"})
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert sorted(row[:2] for row in rows[1:]) == sorted(
        [[world.pupil.full_name, "7A"], [world.year8_pupil.full_name, "8A"]]
    )


def test_last_years_head_of_year_7_still_sees_last_years_year_7(client, last_year):
    world = last_year
    client.force_login(world.head_of_year)  # head of Year 7
    response = client.get(DASHBOARD)
    assert _rows(response) == {world.pupil.full_name: (7, "7A")}


def test_last_years_tutor_groups_filter_the_dashboard(client, last_year):
    world = last_year
    client.force_login(world.senior_leader)
    response = client.get(DASHBOARD)
    offered = {group.name for group in response.context["filters"].fields["tutor_group"].queryset}
    assert offered == {"7A", "7B", "8A"}  # the groups of then, not 8A/8B/9A of now
    assert all(
        group.archived_on for group in response.context["filters"].fields["tutor_group"].queryset
    )

    by_group = client.get(DASHBOARD, {"tutor_group": world.tg_8a.pk})
    assert _rows(by_group) == {world.year8_pupil.full_name: (8, "8A")}
    by_year = client.get(DASHBOARD, {"year_group": world.y7.pk})
    assert _rows(by_year) == {world.pupil.full_name: (7, "7A")}


@pytest.mark.parametrize("pupils", [1, 8])
def test_last_years_dashboard_costs_one_query_more_whatever_the_pupils(
    client, world, django_assert_num_queries, pupils
):
    for _ in range(pupils):
        pupil = PupilFactory(tutor_group=world.tg_7b)
        miss_record(recorder=world.teacher, assignments=overdue_assignments(world, pupil, 1))
    client.force_login(world.head_of_year)
    with CaptureQueriesContext(connection) as this_year:
        client.get(DASHBOARD)
    apply(world)
    # The same reads as before the new year started, plus the pupils' placements in the
    # rolled-over year (one query, however many pupils are shown).
    with django_assert_num_queries(len(this_year) + 1):
        response = client.get(DASHBOARD)
    assert len(response.context["board"].pupils) == pupils
    assert {row.pupil.tutor_group.name for row in response.context["board"].pupils} == {"7B"}


def test_this_years_groups_are_the_new_ones_with_empty_year_7_groups_for_the_intake(world):
    apply(world)
    new_year = AcademicYear.objects.get(school=world.school, name="2027/28")
    current = TutorGroup.objects.current().filter(school=world.school)
    assert set(current.values_list("name", "year_group__number", "academic_year")) == {
        ("7A", 7, new_year.pk),
        ("7B", 7, new_year.pk),
        ("8A", 8, new_year.pk),
        ("8B", 8, new_year.pk),
        ("9A", 9, new_year.pk),
    }
    assert not current.get(name="7A").pupils.exists()
    assert not current.get(name="7A").role_assignments.exists()  # its tutor followed 8A


def test_this_years_lists_offer_the_new_groups_not_last_years(client, world):
    apply(world)
    client.force_login(world.school_admin)
    home = client.get(reverse("home")).context["page"]
    counts = {year.number: year.tutor_group_count for year in home.school_years}
    assert counts == {7: 2, 8: 2, 9: 1}  # the new 7A and 7B (empty), 8A, 8B and 9A
    accounts = client.get(reverse("parents_accounts"))
    offered = {group.name for group in accounts.context["form"].fields["tutor_group"].queryset}
    assert offered == {"7A", "7B", "8A", "8B", "9A"}
    assert all(
        group.archived_on is None
        for group in accounts.context["form"].fields["tutor_group"].queryset
    )

    client.force_login(world.head_of_year)  # of Year 7: last year's groups have gone on
    (year7,) = client.get(reverse("home")).context["page"].led_years
    assert [(group.name, group.pupil_count) for group in year7.tutor_groups.all()] == [
        ("7A", 0),
        ("7B", 0),
    ]


def test_last_years_tutor_group_lists_who_was_in_it_then(
    client, world, django_assert_max_num_queries
):
    leaver = PupilFactory(tutor_group=world.tg_8a)
    apply(world, leaver_years=(8,))
    client.force_login(world.senior_leader)
    url = reverse("tutor_group_detail", args=[world.tg_7a.pk])
    # session, user, roles, the group with its year and tutors, the pupils, placements
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.context["title"] == "Tutor group 7A, 2026/27"
    assert [p.full_name for p in response.context["pupils"]] == [world.pupil.full_name]
    rows = client.get(url, {"format": "csv"}).content.decode("utf-8-sig").splitlines()
    assert rows[1].split(",")[3:5] == ["7", "7A"]  # as they were, not 8 and 8A

    # A group whose pupils have all left lists them too (history keeps leavers).
    old_8a = client.get(reverse("tutor_group_detail", args=[world.tg_8a.pk]))
    assert len(old_8a.context["pupils"]) == 3
    assert escape(leaver.last_name) in old_8a.content.decode()


def test_home_pages_show_this_years_classes(client, world):
    apply(world, copy_teaching_groups=True)
    client.force_login(world.teacher)
    classes = client.get(reverse("home")).context["page"].classes
    assert [group.name for group in classes] == ["8x/Ma1"]
    client.force_login(world.pupil.user)
    mine = client.get(reverse("home")).context["page"].pupil_classes
    assert sorted(group.name for group in mine) == ["8x/En1", "8x/Ma1"]


# The home-school agreement ----------------------------------------------------------------


def test_the_agreement_asks_to_be_published_again_for_the_new_year(client, world, time_machine):
    text = {**DEFAULT_TEXT, "title": "Our agreement 2026/27"}
    draft = agreement_draft_save(actor=world.school_admin, year=world.academic_year, text=text)
    agreement_publish(actor=world.school_admin, agreement=draft)
    apply(world)
    not_yet = "has not published this year's agreement yet"

    # Until the new year begins, families still sign 2026/27's (the summer gap is its).
    client.force_login(world.parent)
    assert not_yet not in client.get(reverse("parents_agreement")).content.decode()

    time_machine.move_to(timezone.make_aware(datetime.datetime(2027, 9, 10, 12)), tick=False)
    client.force_login(world.parent)
    page = client.get(reverse("parents_agreement")).content.decode()
    assert not_yet in page
    client.force_login(world.school_admin)
    editor = client.get(reverse("parents_agreement_edit")).context["page"]
    assert (editor.year.name, editor.current) == ("2027/28", None)
    assert editor.initial["title"] == "Our agreement 2026/27"  # to publish again


def test_last_years_head_of_year_opens_a_pupils_timeline_with_where_they_were(client, last_year):
    world = last_year
    client.force_login(world.head_of_year)  # of Year 7; the pupil is in Year 8 now
    dashboard = client.get(DASHBOARD).content.decode()
    url = reverse("sanctions_pupil", args=[world.pupil.pk])
    assert url in dashboard
    timeline = client.get(url)
    assert timeline.status_code == 200
    assert "In 2026/27: 7A · Year 7" in timeline.content.decode()
    # Last year's Year 8 was never theirs.
    assert client.get(reverse("sanctions_pupil", args=[world.year8_pupil.pk])).status_code == 404


def test_new_groups_are_formed_for_the_new_year_once_it_is_started(world):
    today = timezone.localdate()
    assert groups_year_for(world.school, today) == world.academic_year
    apply(world)
    new_year = AcademicYear.objects.get(school=world.school, name="2027/28")
    # The year's pages still read 2026/27 (the calendar's year of today); its groups are
    # archived, and new ones (an import's Year 7 intake, its classes) belong to 2027/28.
    assert academic_year_for(world.school, today) == world.academic_year
    assert groups_year_for(world.school, today) == new_year
    assert groups_year_for(world.school, datetime.date(2027, 9, 6)) == new_year


def test_last_years_sanctions_to_serve_name_the_groups_of_then(client, world):
    miss_record(recorder=world.teacher, assignments=overdue_assignments(world, world.pupil, 3))
    apply(world)
    client.force_login(world.senior_leader)
    board = client.get(DASHBOARD).context["board"]
    assert [row.sanction.pupil.tutor_group.name for row in board.pending] == ["7A"]
    response = client.get(DASHBOARD, {"format": "csv", "list": "sanctions"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:2] == [world.pupil.full_name, "7A"]


# The next import ------------------------------------------------------------------------


def test_the_intakes_import_fills_the_new_year_7_groups(db):
    """A school imported from its CTF starts the next year; the MIS's August file (everyone
    moved up, a new Year 7 pupil in 7A) then changes only what it should."""
    school = ctf_school_make()
    year = AcademicYear.objects.create(
        school=school,
        name="2026/27",
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2027, 8, 31),
    )
    roll = ctf_pupils(6)
    ctf_apply(school, ctf_xml(roll))
    admin = UserFactory(school=school)
    rollover_apply(
        school=school, from_year=year, new_year=next_year(), choices=Choices(), actor=admin
    )

    august = []
    for pupil in copy.deepcopy(roll):
        number = int(pupil["year"])
        if number == 11:
            continue  # left
        pupil.update(year=str(number + 1), reg_group=f"{number + 1}{pupil['reg_group'][-1]}")
        august.append(pupil)
    joiner = copy.deepcopy(roll[0])
    joiner.update(
        upn=upn_make("9991234", 500), forename="Noor", year="7", reg_group="7A", contacts=[]
    )
    august.append(joiner)
    applied = ctf_apply(school, ctf_xml(august), today=datetime.date(2027, 8, 20))

    assert applied.errors == []
    noor = Pupil.objects.select_related("tutor_group__academic_year").get(
        school=school, first_name="Noor"
    )
    assert (noor.tutor_group.name, noor.tutor_group.academic_year.name) == ("7A", "2027/28")
    assert noor.tutor_group.archived_on is None
    # The moved-up pupils were already where the file says: no change for them; the Year
    # 11 leaver, missing from the MIS's file, keeps the leaving date the new year gave.
    assert [(c.action, c.label) for c in applied.changes if c.action != "add"] == []
    leaver = Pupil.objects.get(school=school, upn=roll[4]["upn"])
    assert leaver.left_on == next_year().start_date
