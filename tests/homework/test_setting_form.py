"""Setting homework through the form: for several classes at once, for the whole class
or chosen pupils, with an alternative version, a scheme-of-work unit and attachments; the
two-step pupil list; the page's query budget. The clock stands on Monday 14/09/2026."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homework.models import Assignment, Homework, SchemeOfWorkUnit
from tests.factories import PupilFactory, SubjectFactory, TeachingGroupFactory

LONDON = ZoneInfo("Europe/London")
MONDAY = datetime.datetime(2026, 9, 14, 9, 0, tzinfo=LONDON)


def monday_world(time_machine, world, settings, tmp_path):
    """The world on Monday 14/09/2026 at 09:00, uploads in an empty temporary folder."""
    time_machine.move_to(MONDAY, tick=False)
    settings.MEDIA_ROOT = tmp_path / "media"
    world.media_root = tmp_path / "media"
    return world


@pytest.fixture
def setting_world(time_machine, world, settings, tmp_path):
    return monday_world(time_machine, world, settings, tmp_path)


def stored_files(world) -> list:
    root = world.media_root
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def add_class(world, name, pupils, *, subject=None, year_group=None, teacher=None):
    return TeachingGroupFactory(
        school=world.school,
        academic_year=world.academic_year,
        year_group=year_group or world.y7,
        subject=subject or world.maths,
        name=name,
        teachers=[teacher or world.teacher],
        pupils=pupils,
    )


def new_pupils(world, count):
    return PupilFactory.create_batch(count, tutor_group=world.tg_7a)


def form_data(groups, **changes):
    """A complete, valid "Set homework" post for these classes."""
    data = {
        "teaching_groups": [group.pk for group in groups],
        "audience": "whole",
        "title": "Fractions practice",
        "instructions": "Answer **all** the questions.",
        "resource_links": "",
        "set_on": "14/09/2026",
        "due_on": "17/09/2026",
        "due_time": "16:00",
        "estimated_minutes": "30",
        "submission_mode": "online",
        "unit": "",
        "new_unit_title": "",
        "alternative_instructions": "",
        "action": "set",
    }
    data.update(changes)
    return data


def input_tag(page, name, value=None) -> str:
    """The page's one <input> of this name (and value, for a tick box or radio button)."""
    tags = [
        tag
        for tag in re.findall(r"<input\b[^>]*>", page)
        if f'name="{name}"' in tag and (value is None or f'value="{value}"' in tag)
    ]
    assert len(tags) == 1, tags
    return tags[0]


def pdf(name="worksheet.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 questions", "application/pdf")


def test_setting_for_two_classes_gives_every_pupil_an_assignment_and_says_so(client, setting_world):
    w = setting_world
    second = add_class(w, "7x/Ma2", new_pupils(w, 3))
    client.force_login(w.teacher)
    response = client.post(reverse("homework_new"), form_data([w.maths_7, second]))

    homeworks = Homework.objects.filter(title="Fractions practice").order_by("teaching_group")
    assert [hw.teaching_group for hw in homeworks] == [w.maths_7, second]
    assert response.status_code == 302
    assert response["Location"] == f"/homework/{homeworks[0].pk}/"
    assert all(hw.status == Homework.Status.SET and hw.set_by == w.teacher for hw in homeworks)
    assert Assignment.objects.filter(homework__in=homeworks).count() == 5
    due = datetime.datetime(2026, 9, 17, 16, 0, tzinfo=LONDON)
    assert {a.due_at for a in Assignment.objects.filter(homework__in=homeworks)} == {due}
    assert homeworks[0].instructions_html == "<p>Answer <strong>all</strong> the questions.</p>"
    page = client.get(response["Location"], follow=True).content.decode()
    assert "Homework set for 7x/Ma1 and 7x/Ma2 (5 pupils)" in page


# Setting in bulk: the queries do not grow with the pupils. Session, user, roles, the
# teacher's classes, their pupils, units, non-school day, half-terms; the service's two
# savepoints (and their releases), classes taught, pupils, the homework, the assignments;
# the count for the message: 17. On SQLite 90 assignments take two INSERTs (at most 999
# variables a statement), hence a bound both sizes meet; on PostgreSQL the counts are equal.
SET_QUERY_BOUND = 18


def post_for_three_classes(client, w, size, suffix):
    groups = [add_class(w, f"7{suffix}/Ma{n}", new_pupils(w, size)) for n in range(1, 4)]
    client.force_login(w.teacher)
    data = form_data(groups, title=f"Bulk {size}")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("homework_new"), data)
    assert response.status_code == 302
    assert Assignment.objects.filter(homework__title=f"Bulk {size}").count() == 3 * size
    return len(queries)


@pytest.mark.parametrize("size", [2, 30])
def test_setting_for_three_classes_takes_a_fixed_number_of_queries(
    client, setting_world, django_assert_max_num_queries, size
):
    w = setting_world
    groups = [add_class(w, f"7q/Ma{n}", new_pupils(w, size)) for n in range(1, 4)]
    client.force_login(w.teacher)
    with django_assert_max_num_queries(SET_QUERY_BOUND):
        response = client.post(reverse("homework_new"), form_data(groups))
    assert response.status_code == 302
    assert Assignment.objects.count() == 3 * size


def test_setting_query_count_is_the_same_for_2_and_30_pupils_a_class(client, setting_world):
    w = setting_world
    small = post_for_three_classes(client, w, 2, "s")
    large = post_for_three_classes(client, w, 30, "l")
    assert max(small, large) <= SET_QUERY_BOUND
    if connection.vendor == "postgresql":
        assert small == large


def test_chosen_pupils_only_get_the_homework(client, setting_world):
    w = setting_world
    client.force_login(w.teacher)
    response = client.post(
        reverse("homework_new"),
        form_data([w.maths_7], audience="chosen", pupils=[w.classmate.pk]),
    )
    assert response.status_code == 302
    homework = Homework.objects.get(title="Fractions practice")
    assert not homework.whole_group
    assert list(homework.assignments.values_list("pupil", flat=True)) == [w.classmate.pk]


def test_chosen_pupils_must_include_someone_from_each_ticked_class(client, setting_world):
    w = setting_world
    second = add_class(w, "7x/Ma2", new_pupils(w, 2))
    client.force_login(w.teacher)
    response = client.post(
        reverse("homework_new"),
        form_data([w.maths_7, second], audience="chosen", pupils=[w.pupil.pk]),
    )
    assert response.status_code == 200
    assert "You chose no pupils from 7x/Ma2" in response.content.decode()
    assert not Homework.objects.filter(title="Fractions practice").exists()


def test_pupils_of_another_class_are_never_given_the_homework(client, setting_world):
    w = setting_world
    client.force_login(w.teacher)
    client.post(
        reverse("homework_new"),
        form_data([w.maths_7], audience="chosen", pupils=[w.pupil.pk, w.year8_pupil.pk]),
    )
    homework = Homework.objects.get(title="Fractions practice")
    assert list(homework.assignments.values_list("pupil", flat=True)) == [w.pupil.pk]


def test_the_alternative_version_goes_only_to_flagged_and_chosen_pupils(client, setting_world):
    w = setting_world
    sen_pupil, carer, chosen, plain = new_pupils(w, 4)
    sen_pupil.sen = "support"
    sen_pupil.save()
    carer.young_carer = True
    carer.save()
    group = add_class(w, "7x/Ma2", [w.pupil, sen_pupil, carer, chosen, plain])
    client.force_login(w.teacher)
    response = client.post(
        reverse("homework_new"),
        form_data(
            [group],
            alternative_instructions="Questions 1 to 5, with the word bank.",
            alternative_for_eal="on",
            alternative_for_young_carers="on",
            alternative_pupils=[chosen.pk],
        ),
    )
    assert response.status_code == 302
    homework = Homework.objects.get(title="Fractions practice")
    uses = dict(homework.assignments.values_list("pupil_id", "uses_alternative"))
    assert uses == {
        w.pupil.pk: True,  # EAL
        sen_pupil.pk: False,  # SEN was not ticked
        carer.pk: True,
        chosen.pk: True,
        plain.pk: False,
    }
    assert list(homework.alternative_pupils.all()) == [chosen]


def test_an_alternative_version_needs_its_pupils_and_its_text(client, setting_world):
    w = setting_world
    client.force_login(w.teacher)
    no_text = client.post(reverse("homework_new"), form_data([w.maths_7], alternative_for_eal="on"))
    assert "Write the alternative version" in no_text.content.decode()
    nobody = client.post(
        reverse("homework_new"), form_data([w.maths_7], alternative_instructions="Easier.")
    )
    assert "Choose who gets the alternative version" in nobody.content.decode()
    assert not Homework.objects.exists()


def test_a_class_of_another_teacher_is_refused(client, setting_world):
    w = setting_world
    client.force_login(w.teacher)
    response = client.post(reverse("homework_new"), form_data([w.maths_7, w.english_7]))
    assert response.status_code == 200
    assert "You can set homework only for classes you teach." in response.content.decode()
    assert not Homework.objects.exists()


def test_classes_of_different_subjects_and_years_are_set_together(client, setting_world):
    w = setting_world
    science_8 = add_class(
        w,
        "8x/Sc1",
        [w.year8_pupil],
        subject=SubjectFactory(school=w.school, name="Science", code="Sc"),
        year_group=w.y8,
    )
    english = add_class(w, "7x/En2", [w.classmate], subject=w.english)
    client.force_login(w.teacher)
    response = client.post(reverse("homework_new"), form_data([w.maths_7, science_8, english]))
    assert response.status_code == 302
    assert Homework.objects.filter(title="Fractions practice").count() == 3


def test_a_new_unit_is_made_once_and_reused_next_time(client, setting_world):
    w = setting_world
    client.force_login(w.teacher)
    client.post(reverse("homework_new"), form_data([w.maths_7], new_unit_title="Fractions"))
    unit = SchemeOfWorkUnit.objects.get()
    assert (unit.subject, unit.year_group, unit.title) == (w.maths, w.y7, "Fractions")
    client.post(
        reverse("homework_new"),
        form_data([w.maths_7], title="More fractions", new_unit_title="  fractions "),
    )
    assert SchemeOfWorkUnit.objects.count() == 1
    assert set(Homework.objects.values_list("unit", flat=True)) == {unit.pk}
    # and it is offered on the form from now on
    assert "Fractions" in client.get(reverse("homework_new")).content.decode()
    response = client.post(
        reverse("homework_new"), form_data([w.maths_7], title="Third", unit=str(unit.pk))
    )
    assert response.status_code == 302
    assert Homework.objects.get(title="Third").unit == unit


def test_a_unit_needs_classes_of_one_subject_and_year(client, setting_world):
    w = setting_world
    english = add_class(w, "7x/En2", [w.classmate], subject=w.english)
    client.force_login(w.teacher)
    response = client.post(
        reverse("homework_new"), form_data([w.maths_7, english], new_unit_title="Fractions")
    )
    assert "A scheme-of-work unit belongs to one subject and year" in response.content.decode()
    assert not Homework.objects.exists()
    assert not SchemeOfWorkUnit.objects.exists()


def test_a_unit_of_another_subject_is_refused(client, setting_world):
    w = setting_world
    english = add_class(w, "7x/En2", [w.classmate], subject=w.english)
    unit = SchemeOfWorkUnit.objects.create(
        school=w.school, subject=w.english, year_group=w.y7, title="Poetry"
    )
    client.force_login(w.teacher)
    response = client.post(reverse("homework_new"), form_data([w.maths_7], unit=str(unit.pk)))
    assert english.pk  # the teacher teaches English in Year 7, so the unit is offered
    assert "“Poetry” is a unit of English for Year 7" in response.content.decode()
    assert not Homework.objects.exists()


def test_attachments_are_stored_once_for_every_class(client, setting_world):
    w = setting_world
    second = add_class(w, "7x/Ma2", new_pupils(w, 2))
    client.force_login(w.teacher)
    response = client.post(
        reverse("homework_new"),
        form_data(
            [w.maths_7, second],
            attachments=[pdf(), SimpleUploadedFile("notes.txt", b"Read pages 4-6.\n")],
        ),
    )
    assert response.status_code == 302
    names = set()
    for homework in Homework.objects.all():
        attachments = list(homework.attachments.all())
        assert [a.original_name for a in attachments] == ["notes.txt", "worksheet.pdf"]
        assert [a.content_type for a in attachments] == ["text/plain", "application/pdf"]
        names |= {a.file.name for a in attachments}
    assert len(names) == 2 and len(stored_files(w)) == 2


def test_resource_links_are_kept_one_a_line(client, setting_world):
    w = setting_world
    client.force_login(w.teacher)
    links = "https://www.bbc.co.uk/bitesize\n\n  http://example.org/fractions  \n"
    client.post(reverse("homework_new"), form_data([w.maths_7], resource_links=links))
    homework = Homework.objects.get()
    assert homework.links == ["https://www.bbc.co.uk/bitesize", "http://example.org/fractions"]


def test_save_as_draft_keeps_it_from_pupils_until_it_is_set(client, setting_world):
    w = setting_world
    client.force_login(w.teacher)
    response = client.post(reverse("homework_new"), form_data([w.maths_7], action="draft"))
    homework = Homework.objects.get()
    assert homework.status == Homework.Status.DRAFT
    assert homework.assignments.count() == 2
    page = client.get(response["Location"], follow=True).content.decode()
    assert "Draft saved for 7x/Ma1 (2 pupils)" in page


def test_show_pupils_lists_the_ticked_classes_pupils_and_saves_nothing(client, setting_world):
    w = setting_world
    client.force_login(w.teacher)
    before = client.get(reverse("homework_new")).content.decode()
    assert "Okafor, Amara" not in before
    response = client.post(
        reverse("homework_new"),
        form_data([w.maths_7], action="pupils", title="", audience="chosen"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Okafor, Amara" in page and "Nowak, Bartek" in page
    assert "Give the homework a title" not in page  # no errors until it is saved
    assert "checked" in input_tag(page, "audience", "chosen")
    assert "checked" not in input_tag(page, "audience", "whole")
    assert not Homework.objects.exists()


def test_the_pupil_list_loads_as_a_fragment_for_htmx(client, setting_world):
    w = setting_world
    client.force_login(w.teacher)
    response = client.get(
        reverse("homework_new"),
        {"fragment": "pupils", "teaching_groups": [w.maths_7.pk, w.english_7.pk]},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert "<html" not in page
    assert "Okafor, Amara" in page and 'hx-swap-oob="true"' in page
    assert "7x/En1" not in page  # another teacher's class is not listed


def test_people_who_teach_no_class_cannot_post_the_form(client, setting_world):
    w = setting_world
    client.force_login(w.head_of_year)
    response = client.post(reverse("homework_new"), form_data([w.maths_7]))
    assert response.status_code == 404
    assert not Homework.objects.exists()


def add_classes(world, count, pupils_each):
    for n in range(count):
        add_class(world, f"7b/Ma{n}", new_pupils(world, pupils_each))


# session, user, roles, the teacher's classes (with sizes), the units of their subjects
FORM_BUDGET = 5
# ... and the pupils of the ticked classes
FORM_WITH_CLASSES_BUDGET = 6


@pytest.mark.parametrize(("classes", "pupils_each"), [(0, 0), (6, 30)])
def test_form_page_query_budget_does_not_grow_with_classes_or_pupils(
    client, setting_world, django_assert_num_queries, classes, pupils_each
):
    w = setting_world
    add_classes(w, classes, pupils_each)
    client.force_login(w.teacher)
    with django_assert_num_queries(FORM_BUDGET):
        response = client.get(reverse("homework_new"))
    assert response.status_code == 200
    ticked = {"teaching_groups": [g.pk for g in w.teacher.teaching_groups.all()]}
    with django_assert_num_queries(FORM_WITH_CLASSES_BUDGET):
        response = client.get(reverse("homework_new"), ticked)
    assert response.content.decode().count('name="pupils"') == 2 + classes * pupils_each


def test_the_form_offers_today_and_uk_dates(client, setting_world):
    w = setting_world
    client.force_login(w.teacher)
    page = client.get(reverse("homework_new")).content.decode()
    # The browser shows its date picker in the reader's format (dd/mm/yyyy in the UK).
    assert 'type="date"' in input_tag(page, "set_on")
    assert 'value="2026-09-14"' in input_tag(page, "set_on")
    assert 'value="08:30"' in input_tag(page, "due_time")
    assert "7x/Ma1: Maths, Year 7, 2 pupils" in page
