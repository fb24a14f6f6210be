"""Changing homework after it is set: editing, setting it again for another class or date,
setting a draft, and deleting (archiving when work was handed in). Only the teachers of
the homework's class may do any of it. The clock starts on Monday 14/09/2026 at 09:00,
so the homework of `homework_world` is due on Thursday 17/09/2026 at 09:00."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from homework.models import Assignment, Attachment, Homework
from homework.services.planner import submission_submit

from .test_setting_form import MONDAY, add_class, form_data, input_tag, new_pupils

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(MONDAY, tick=False)
    return time_machine


@pytest.fixture
def hw(frozen, homework_world):
    return homework_world


def edit_data(**changes):
    data = form_data([], audience="whole", action="save", alternative_for_eal="on")
    data.pop("teaching_groups")
    data.update(alternative_instructions="Do questions 1-5 with the word bank.")
    data.update(changes)
    return data


def test_edit_form_is_prefilled_from_the_homework(client, hw):
    client.force_login(hw.teacher)
    page = client.get(reverse("homework_edit", args=[hw.maths_homework.pk])).content.decode()
    assert 'value="Fractions practice"' in page
    assert 'value="2026-09-17"' in input_tag(page, "due_on")
    assert 'value="09:00"' in input_tag(page, "due_time")
    assert "checked" in input_tag(page, "alternative_for_eal")
    assert "worksheet.pdf" in page
    # The class, hidden, for the workload panel only.
    hidden = input_tag(page, "teaching_groups")
    assert 'type="hidden"' in hidden and f'value="{hw.maths_7.pk}"' in hidden


def test_editing_the_due_date_moves_every_pupils_assignment(client, hw):
    client.force_login(hw.teacher)
    url = reverse("homework_edit", args=[hw.maths_homework.pk])
    response = client.post(url, edit_data(due_on="21/09/2026", due_time="15:30"))
    assert response.status_code == 302
    assert response["Location"] == f"/homework/{hw.maths_homework.pk}/"
    due = datetime.datetime(2026, 9, 21, 15, 30, tzinfo=LONDON)
    hw.maths_homework.refresh_from_db()
    assert hw.maths_homework.due_at == due
    assert set(hw.maths_homework.assignments.values_list("due_at", flat=True)) == {due}
    assert hw.maths_homework.assignments.count() == 2
    page = client.get(response["Location"], follow=True).content.decode()
    assert "Homework updated for 7x/Ma1 (2 pupils)." in page


def test_editing_can_remove_an_attachment_and_add_another(client, hw):
    client.force_login(hw.teacher)
    url = reverse("homework_edit", args=[hw.maths_homework.pk])
    new = SimpleUploadedFile("answers.pdf", b"%PDF-1.4 answers")
    response = client.post(
        url, edit_data(remove_attachments=[hw.maths_attachment.pk], attachments=[new])
    )
    assert response.status_code == 302
    names = list(hw.maths_homework.attachments.values_list("original_name", flat=True))
    assert names == ["answers.pdf"]


def test_editing_to_chosen_pupils_takes_the_others_off(client, hw):
    client.force_login(hw.teacher)
    url = reverse("homework_edit", args=[hw.maths_homework.pk])
    response = client.post(url, edit_data(audience="chosen", pupils=[hw.pupil.pk]))
    assert response.status_code == 302
    assert list(hw.maths_homework.assignments.values_list("pupil", flat=True)) == [hw.pupil.pk]


def test_an_edit_with_errors_changes_nothing(client, hw):
    client.force_login(hw.teacher)
    url = reverse("homework_edit", args=[hw.maths_homework.pk])
    response = client.post(url, edit_data(title="", due_on="21/09/2026"))
    assert "Give the homework a title." in response.content.decode()
    hw.maths_homework.refresh_from_db()
    assert hw.maths_homework.title == "Fractions practice"
    assert timezone_date(hw.maths_homework.due_at) == datetime.date(2026, 9, 17)


def timezone_date(moment):
    return moment.astimezone(LONDON).date()


def test_a_draft_is_edited_and_then_set_from_the_form(client, hw):
    client.force_login(hw.teacher)
    url = reverse("homework_edit", args=[hw.draft_homework.pk])
    page = client.get(url).content.decode()
    assert "Save as draft" in page and "Set homework" in page
    data = edit_data(title="Ratio task", action="set", alternative_instructions="")
    data.pop("alternative_for_eal")
    response = client.post(url, data)
    assert response.status_code == 302
    hw.draft_homework.refresh_from_db()
    assert (hw.draft_homework.title, hw.draft_homework.status) == ("Ratio task", "set")


def test_draft_then_publish(client, hw):
    client.force_login(hw.teacher)
    url = reverse("homework_publish", args=[hw.draft_homework.pk])
    page = client.get(url).content.decode()
    assert "Set “Draft ratio task” now?" in page and "2 pupils" in page
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"/homework/{hw.draft_homework.pk}/"
    hw.draft_homework.refresh_from_db()
    assert hw.draft_homework.status == Homework.Status.SET
    page = client.get(response["Location"], follow=True).content.decode()
    assert "Homework set for 7x/Ma1 (2 pupils)." in page
    # once set, it is no longer a draft to publish
    assert client.post(url).status_code == 404


def test_publishing_a_draft_whose_due_date_passed_warns_first(client, hw, frozen):
    frozen.move_to(datetime.datetime(2026, 9, 18, 9, 0, tzinfo=LONDON), tick=False)
    client.force_login(hw.teacher)
    page = client.get(reverse("homework_publish", args=[hw.draft_homework.pk])).content.decode()
    assert "The due date has already passed" in page


def test_set_again_prefills_todays_date_and_the_same_gap_to_the_due_date(client, hw, frozen):
    frozen.move_to(datetime.datetime(2026, 10, 5, 8, 0, tzinfo=LONDON), tick=False)
    client.force_login(hw.teacher)
    page = client.get(reverse("homework_copy", args=[hw.maths_homework.pk])).content.decode()
    assert 'value="Fractions practice"' in page
    assert 'value="2026-10-05"' in input_tag(page, "set_on")
    assert 'value="2026-10-08"' in input_tag(page, "due_on")  # three days later, as before
    assert 'value="09:00"' in input_tag(page, "due_time")
    assert "checked" in input_tag(page, "keep_attachments", hw.maths_attachment.pk)
    assert "checked" in input_tag(page, "teaching_groups", hw.maths_7.pk)


def test_set_again_for_another_class_copies_the_task_and_its_attachment(client, hw, frozen):
    frozen.move_to(datetime.datetime(2026, 10, 5, 8, 0, tzinfo=LONDON), tick=False)
    second = add_class(hw, "7x/Ma2", new_pupils(hw, 3))
    client.force_login(hw.teacher)
    data = form_data(
        [second],
        set_on="05/10/2026",
        due_on="08/10/2026",
        keep_attachments=[hw.maths_attachment.pk],
        alternative_instructions="Do questions 1-5 with the word bank.",
        alternative_for_eal="on",
    )
    response = client.post(reverse("homework_copy", args=[hw.maths_homework.pk]), data)
    assert response.status_code == 302
    copy = Homework.objects.get(teaching_group=second)
    assert copy.copied_from == hw.maths_homework
    assert copy.assignments.count() == 3
    attachment = copy.attachments.get()
    assert attachment.original_name == "worksheet.pdf"
    assert attachment.file.name == hw.maths_attachment.file.name  # stored once
    assert hw.maths_homework.attachments.count() == 1


def test_set_again_only_for_the_teachers_own_classes(client, hw):
    client.force_login(hw.teacher)
    response = client.post(
        reverse("homework_copy", args=[hw.maths_homework.pk]), form_data([hw.english_7])
    )
    assert "You can set homework only for classes you teach." in response.content.decode()
    assert Homework.objects.filter(copied_from__isnull=False).count() == 0


def test_delete_without_handed_in_work_deletes(client, hw):
    client.force_login(hw.teacher)
    url = reverse("homework_delete", args=[hw.maths_homework.pk])
    page = client.get(url).content.decode()
    assert "Nobody has handed anything in" in page and "Delete homework" in page
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == "/homework/"
    assert not Homework.objects.filter(pk=hw.maths_homework.pk).exists()
    assert not Assignment.objects.filter(homework_id=hw.maths_homework.pk).exists()
    page = client.get("/homework/").content.decode()
    assert "“Fractions practice” for 7x/Ma1 was deleted." in page


def test_delete_with_handed_in_work_archives_after_confirmation(client, hw):
    submission_submit(assignment=hw.pupil_maths_assignment, text="My answers")
    client.force_login(hw.teacher)
    url = reverse("homework_delete", args=[hw.maths_homework.pk])
    page = client.get(url).content.decode()
    assert "1 pupil has handed in work" in page
    assert "will be archived instead of deleted" in page
    hw.maths_homework.refresh_from_db()
    assert hw.maths_homework.status == Homework.Status.SET  # the page alone changes nothing
    response = client.post(url)
    assert response.status_code == 302
    hw.maths_homework.refresh_from_db()
    assert hw.maths_homework.status == Homework.Status.ARCHIVED
    assert hw.maths_homework.assignments.count() == 2
    assert Attachment.objects.filter(homework=hw.maths_homework).exists()
    # an archived homework is neither edited nor deleted again
    assert client.get(reverse("homework_edit", args=[hw.maths_homework.pk])).status_code == 404
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("name", ["homework_edit", "homework_copy", "homework_delete"])
@pytest.mark.parametrize("who", ["other_teacher", "head_of_year", "senior_leader", "pupil"])
def test_only_the_class_teacher_changes_its_homework(client, hw, name, who):
    user = hw.pupil.user if who == "pupil" else getattr(hw, who)
    client.force_login(user)
    url = reverse(name, args=[hw.maths_homework.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data([hw.maths_7])).status_code == 404
    hw.maths_homework.refresh_from_db()
    assert hw.maths_homework.status == Homework.Status.SET
    assert hw.maths_homework.title == "Fractions practice"


def test_another_teachers_draft_cannot_be_published(client, hw):
    client.force_login(hw.other_teacher)
    assert client.post(reverse("homework_publish", args=[hw.draft_homework.pk])).status_code == 404
    hw.draft_homework.refresh_from_db()
    assert hw.draft_homework.status == Homework.Status.DRAFT


# session, user, roles (navigation), the homework (+ class, subject, year), its
# attachments, its pupils, the pupils chosen for the alternative version, the units of
# its subject and year
EDIT_BUDGET = 8


@pytest.mark.parametrize("extra_pupils", [0, 30])
def test_edit_page_query_budget_does_not_grow_with_pupils(
    client, hw, django_assert_num_queries, extra_pupils
):
    hw.maths_7.pupils.add(*new_pupils(hw, extra_pupils))
    client.force_login(hw.teacher)
    with django_assert_num_queries(EDIT_BUDGET):
        response = client.get(reverse("homework_edit", args=[hw.maths_homework.pk]))
    assert response.content.decode().count('name="pupils"') == 2 + extra_pupils


# Each confirmation or prefilled page, named query by query.
PAGE_BUDGETS = {
    # session, user, roles, the homework (+ class, subject, year), its attachments, the
    # teacher's classes, the pupils chosen for the alternative version, the pupils of the
    # ticked class, the units of the teacher's subjects and years
    "homework_copy": (lambda w: w.maths_homework, 9),
    # session, user, roles (navigation), the homework (+ class), work handed in, pupils
    "homework_delete": (lambda w: w.maths_homework, 6),
    # session, user, roles (navigation), the draft (+ class), its pupils
    "homework_publish": (lambda w: w.draft_homework, 5),
}


@pytest.mark.parametrize("extra_pupils", [0, 30])
@pytest.mark.parametrize("name", PAGE_BUDGETS)
def test_page_query_budget_does_not_grow_with_pupils(
    client, hw, django_assert_num_queries, name, extra_pupils
):
    homework_of, budget = PAGE_BUDGETS[name]
    homework = homework_of(hw)
    pupils = new_pupils(hw, extra_pupils)
    hw.maths_7.pupils.add(*pupils)
    homework.assignments.bulk_create(
        Assignment(school=hw.school, homework=homework, pupil=pupil, due_at=homework.due_at)
        for pupil in pupils
    )
    client.force_login(hw.teacher)
    with django_assert_num_queries(budget):
        response = client.get(reverse(name, args=[homework.pk]))
    assert response.status_code == 200
    assert f"{2 + extra_pupils} pupils" in response.content.decode()
