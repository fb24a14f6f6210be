"""The register of one homework: its details, every pupil's status as the clock moves past
the due time, what each pupil handed in, a draft's banner, the CSV export, and a query
budget that does not grow with the pupils."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from homework.models import Assignment
from homework.services.marking import MarkEntry, assignments_mark_paper, marking_save
from homework.services.planner import submission_submit
from homework.services.setting import HomeworkDetails, homework_set
from tests.factories import PupilFactory, TeachingGroupFactory


def register_url(homework):
    return reverse("homework_register", args=[homework.pk])


def get_register(client, user, homework, **params):
    client.force_login(user)
    response = client.get(register_url(homework), params)
    assert response.status_code == 200
    return response


def row_html(html, assignment):
    """The register's table row of one pupil."""
    start = html.index(f'<tr id="pupil-{assignment.pk}"')
    return html[start : html.index("</tr>", start)]


def test_register_shows_the_homework_details_and_attachments(client, homework_world):
    w = homework_world
    homework = w.maths_homework
    html = get_register(client, w.teacher, homework).content.decode()
    assert "Fractions practice" in html
    assert "7x/Ma1" in html and "Maths" in html
    assert f"{timezone.localdate():%d/%m/%Y} by Tess Teacher" in html
    assert timezone.localtime(homework.due_at).strftime("%d/%m/%Y %H:%M") in html
    assert "30 minutes" in html
    assert "Hand in online" in html
    assert "<p>Do the Fractions practice task.</p>" in html
    assert "Do questions 1-5 with the word bank." in html
    assert "For pupils with English as an additional language" in html
    assert "1 pupil gets it:" in html and "Amara Okafor" in html
    assert f"/homework/attachments/{w.maths_attachment.pk}/" in html
    assert "worksheet.pdf" in html


def test_register_lists_pupils_in_surname_order_with_the_alternative_marker(client, homework_world):
    w = homework_world
    html = get_register(client, w.teacher, w.maths_homework).content.decode()
    # Nowak before Okafor
    assert html.index("Nowak, Bartek") < html.index("Okafor, Amara")
    assert "Alternative version" in row_html(html, w.pupil_maths_assignment)
    assert "Alternative version" not in row_html(html, w.classmate_maths_assignment)


def test_register_status_changes_from_not_yet_due_to_overdue_at_the_due_time(
    client, homework_world
):
    w = homework_world
    due = w.maths_homework.due_at
    with time_machine.travel(due - datetime.timedelta(minutes=1), tick=False):
        html = get_register(client, w.teacher, w.maths_homework).content.decode()
    assert "Not yet due" in row_html(html, w.pupil_maths_assignment)
    with time_machine.travel(due + datetime.timedelta(minutes=1), tick=False):
        html = get_register(client, w.teacher, w.maths_homework).content.decode()
    assert "Overdue" in row_html(html, w.pupil_maths_assignment)
    assert "Not yet due" not in html


def test_register_shows_every_kind_of_status(client, homework_world):
    w = homework_world
    pupils = PupilFactory.create_batch(6, tutor_group=w.tg_7a)
    group = TeachingGroupFactory(
        school=w.school,
        academic_year=w.academic_year,
        year_group=w.y7,
        subject=w.maths,
        name="7y/Ma2",
        teachers=[w.teacher],
        pupils=pupils,
    )
    (homework,) = homework_set(
        teacher=w.teacher,
        teaching_groups=[group],
        details=HomeworkDetails(
            title="Statuses",
            instructions="Do it.",
            set_on=timezone.localdate(),
            due_at=timezone.now() + datetime.timedelta(days=1),
            estimated_minutes=20,
        ),
    )
    on_time, late, paper, missed, excused, overdue = (
        homework.assignments.get(pupil=pupil) for pupil in pupils
    )
    due = homework.due_at
    submission_submit(assignment=on_time, text="On time", now=due - datetime.timedelta(hours=1))
    assignments_mark_paper(
        homework=homework, assignment_ids=[paper.pk], now=due + datetime.timedelta(hours=1)
    )
    Assignment.objects.filter(pk=missed.pk).update(status=Assignment.Status.MISSED)
    Assignment.objects.filter(pk=excused.pk).update(status=Assignment.Status.EXCUSED)
    with time_machine.travel(due + datetime.timedelta(hours=2), tick=False):
        submission_submit(assignment=late, text="Late")
        html = get_register(client, w.teacher, homework).content.decode()
    assert "Handed in<" in row_html(html, on_time)
    assert "Handed in late" in row_html(html, late)
    assert "Handed in on paper" in row_html(html, paper)
    assert "Missed" in row_html(html, missed)
    assert "Excused" in row_html(html, excused)
    assert "Overdue" in row_html(html, overdue)
    handed_in_at = timezone.localtime(due - datetime.timedelta(hours=1))
    assert handed_in_at.strftime("%d/%m/%Y %H:%M") in row_html(html, on_time)
    # What the apps above add to each row (tick boxes for a missed deadline) is tested with
    # their registrations, in tests/sanctions/test_register_actions.py.


def test_register_shows_the_work_handed_in_and_the_self_assessment(client, homework_world):
    w = homework_world
    submission_submit(
        assignment=w.pupil_maths_assignment,
        text="Three quarters is 0.75",
        files=[SimpleUploadedFile("answers.pdf", b"%PDF-1.4 answers", "application/pdf")],
        confidence=4,
        reflection="Mixed numbers were hard.",
    )
    upload = w.pupil_maths_assignment.files.get()
    html = get_register(client, w.teacher, w.maths_homework).content.decode()
    row = row_html(html, w.pupil_maths_assignment)
    assert "<details>" in row and "Three quarters is 0.75" in row
    assert f"/planner/files/{upload.pk}/" in row and "answers.pdf" in row
    assert "Confidence 4/5" in row and "Mixed numbers were hard." in row


def test_register_offers_the_teacher_mark_feedback_and_paper_inputs(client, homework_world):
    w = homework_world
    submission_submit(assignment=w.classmate_maths_assignment, text="Done")
    html = get_register(client, w.teacher, w.maths_homework).content.decode()
    pupil_row = row_html(html, w.pupil_maths_assignment)
    assert f'name="a{w.pupil_maths_assignment.pk}-mark"' in pupil_row
    assert f'name="a{w.pupil_maths_assignment.pk}-feedback"' in pupil_row
    assert "Mark or grade for Amara Okafor" in pupil_row
    assert 'name="paper"' in pupil_row and 'form="paper-form"' in pupil_row
    assert f'value="{w.pupil_maths_assignment.pk}"' in pupil_row
    # Work already handed in online cannot be ticked as handed in on paper.
    assert 'name="paper"' not in row_html(html, w.classmate_maths_assignment)
    assert reverse("homework_register_save", args=[w.maths_homework.pk]) in html
    assert reverse("homework_register_paper", args=[w.maths_homework.pk]) in html
    assert reverse("homework_return", args=[w.maths_homework.pk]) in html


def test_staff_who_only_read_the_register_see_marks_without_inputs(client, homework_world):
    w = homework_world
    marking_save(
        teacher=w.teacher,
        homework=w.maths_homework,
        entries=[MarkEntry(w.pupil_maths_assignment.pk, "B+", "Good method.")],
    )
    html = get_register(client, w.subject_leader, w.maths_homework).content.decode()
    row = row_html(html, w.pupil_maths_assignment)
    assert "B+" in row and "Good method." in row
    assert "<input" not in html.split("<main", 1)[1].replace('type="hidden"', "")
    assert "Return marked work" not in html


def test_a_draft_register_tells_the_teacher_pupils_cannot_see_it_and_offers_publish(
    client, homework_world
):
    w = homework_world
    html = get_register(client, w.teacher, w.draft_homework).content.decode()
    assert "Draft: pupils cannot see this yet" in html
    assert f"/homework/{w.draft_homework.pk}/publish/" in html
    assert f"/homework/{w.draft_homework.pk}/edit/" in html
    assert "Save marks and feedback" not in html


@pytest.mark.parametrize("who", ["subject_leader", "head_of_year", "senior_leader"])
def test_a_draft_register_is_hidden_from_staff_who_do_not_teach_the_class(
    client, homework_world, who
):
    client.force_login(getattr(homework_world, who))
    assert client.get(register_url(homework_world.draft_homework)).status_code == 404


def test_register_downloads_as_csv(client, homework_world):
    w = homework_world
    submission_submit(
        assignment=w.pupil_maths_assignment,
        text="Answer",
        confidence=3,
        reflection="OK",
        now=w.maths_homework.due_at - datetime.timedelta(hours=1),
    )
    marking_save(
        teacher=w.teacher,
        homework=w.maths_homework,
        entries=[MarkEntry(w.pupil_maths_assignment.pk, "8/10", "Neat, check step 2.")],
    )
    response = get_register(client, w.subject_leader, w.maths_homework, format="csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Surname", "First name", "Status", "Handed in"]
    header = rows[0]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert list(by_name) == ["Nowak", "Okafor"]
    amara = by_name["Okafor"]
    assert amara["Status"] == "Handed in"
    handed_in = timezone.localtime(w.maths_homework.due_at - datetime.timedelta(hours=1))
    assert amara["Handed in"] == handed_in.strftime("%d/%m/%Y %H:%M")
    assert amara["Alternative version"] == "Y"
    assert (amara["Confidence"], amara["Reflection"]) == ("3", "OK")
    assert (amara["Mark"], amara["Feedback"], amara["Returned"]) == (
        "8/10",
        "Neat, check step 2.",
        "",
    )
    assert by_name["Nowak"]["Status"] == "Not yet due"


def class_homework(world, size):
    """A maths class of `size` pupils with homework due tomorrow; every pupil has handed in
    an answer and a file, and has a mark."""
    pupils = PupilFactory.create_batch(size, tutor_group=world.tg_7a)
    group = TeachingGroupFactory(
        school=world.school,
        academic_year=world.academic_year,
        year_group=world.y7,
        subject=world.maths,
        name=f"7z/Ma{size}",
        teachers=[world.teacher],
        pupils=pupils,
    )
    (homework,) = homework_set(
        teacher=world.teacher,
        teaching_groups=[group],
        details=HomeworkDetails(
            title="Budget",
            instructions="Work it out.",
            set_on=timezone.localdate(),
            due_at=timezone.now() + datetime.timedelta(days=1),
            estimated_minutes=20,
            alternative_instructions="An easier version.",
            alternative_pupil_ids=[pupils[0].pk],
        ),
        files=[SimpleUploadedFile("sheet.pdf", b"%PDF-1.4 sheet", "application/pdf")],
    )
    for assignment in homework.assignments.all():
        submission_submit(
            assignment=assignment,
            text="Answer",
            files=[SimpleUploadedFile("work.pdf", b"%PDF-1.4 work", "application/pdf")],
        )
    marking_save(
        teacher=world.teacher,
        homework=homework,
        entries=[MarkEntry(a.pk, "5", "Fine") for a in homework.assignments.all()],
    )
    return homework


@pytest.mark.parametrize("who", ["teacher", "subject_leader"])
@pytest.mark.parametrize("rows", [1, 50])
def test_register_query_budget_does_not_grow_with_pupils(
    client, homework_world, django_assert_num_queries, rows, who
):
    homework = class_homework(homework_world, rows)
    client.force_login(getattr(homework_world, who))
    # session, user, roles, the homework (+ may the viewer mark?, class, subject, year, set
    # by, unit), its attachments, the assignments (+ pupils), the files they handed in,
    # and what the apps above homework add to the rows (one query: see
    # tests/sanctions/test_register_actions.py for its budget with rows recorded as missed)
    with django_assert_num_queries(8):
        response = client.get(register_url(homework))
    assert response.status_code == 200
    assert len(response.context["register"].rows) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_return_confirmation_query_budget_does_not_grow_with_pupils(
    client, homework_world, django_assert_num_queries, rows
):
    homework = class_homework(homework_world, rows)
    client.force_login(homework_world.teacher)
    # session, user, roles, the homework (+ may the viewer mark?, class), the marked work
    # waiting to be returned, counted
    with django_assert_num_queries(5):
        response = client.get(reverse("homework_return", args=[homework.pk]))
    assert response.status_code == 200
    assert response.context["count"] == rows


# What a row's cell was when the register rendered it with crispy's field tag.
CRISPY_CELL = (
    '<div id="div_{{ field.auto_id }}" class="mb-3">\n'
    '  <label for="{{ field.id_for_label }}" class="form-label visually-hidden">'
    "{{ field.label }}</label>\n"
    "  {% if field.errors %}\n"
    "    {% crispy_field field 'class' 'form-control form-control-sm is-invalid' %}\n"
    '    <div id="{{ field.errors.field_id }}_error" class="invalid-feedback">\n'
    "      {% for error in field.errors %}\n"
    '        <span id="error_{{ forloop.counter }}_{{ field.auto_id }}">'
    "<strong>{{ error }}</strong></span>\n"
    "      {% endfor %}\n"
    "    </div>\n"
    "  {% else %}\n"
    "    {% crispy_field field 'class' 'form-control form-control-sm' %}\n"
    "  {% endif %}\n"
    "</div>"
)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"a7-mark": "", "a7-feedback": ""},
        {"a7-mark": 'A* "best" <b>&', "a7-feedback": "Line one\r\n<i>two</i> & 'three'"},
        {"a7-mark": "x" * 30, "a7-feedback": "y" * 5001},
    ],
)
def test_the_rows_cells_are_written_as_crispy_and_djangos_templates_write_them(data):
    """MarkForm writes its two cells in Python (a register renders two a pupil): the
    markup of crispy's field tag with Django's widget templates, escaped, with the
    widget's classes and, on an error, aria-invalid, aria-describedby and the messages."""
    import re
    from types import SimpleNamespace

    from django.forms.renderers import DjangoTemplates
    from django.template import Context, Template

    from homework.forms.marking import MarkForm

    pupil = SimpleNamespace(full_name="Zoë O'Brien")
    cell = Template("{% load crispy_forms_field %}" + CRISPY_CELL)
    for mark, feedback in (("B+ <ok>", 'Said "well" & done'), ("", "")):
        assignment = SimpleNamespace(pk=7, mark=mark, feedback=feedback, pupil=pupil)
        written = MarkForm(data, assignment=assignment)
        templated = MarkForm(data, assignment=assignment)
        templated.renderer = DjangoTemplates()
        for form in (written, templated):
            form.is_valid()
        for name in ("mark", "feedback"):
            expected = cell.render(Context({"field": templated[name]}))
            expected = re.sub(r">\n\s+<", "><", expected)
            assert getattr(written, f"{name}_cell") == expected
            assert "<b>" not in expected and "<i>" not in expected
    if data and len(data["a7-mark"]) > 20:
        assert 'aria-invalid="true"' in written.mark_cell


@pytest.mark.parametrize(
    "mark, feedback",
    [("", ""), ("B+ <ok>", 'Said "well" & done\nLine <i>two</i>'), ("7/10", "")],
)
def test_the_opening_rows_cells_are_the_forms(mark, feedback):
    """As the register opens, each row's cells are written without a MarkForm a pupil
    (OpeningRow): the same markup as the form's unbound cells, and no errors."""
    from types import SimpleNamespace

    from homework.forms.marking import MarkForm, OpeningRow

    pupil = SimpleNamespace(full_name="Zoë O'Brien <b>")
    assignment = SimpleNamespace(pk=41, mark=mark, feedback=feedback, pupil=pupil)
    form, row = MarkForm(assignment=assignment), OpeningRow(assignment)
    assert row.mark_cell == form.mark_cell
    assert row.feedback_cell == form.feedback_cell
    assert not row.errors and not form.errors


def test_the_rows_written_in_python_are_the_templates_rows(client, homework_world, monkeypatch):
    """The view writes each pupil's row (`_row_html`); the template's `pupils_table` writes
    the same markup, but for whitespace, when a part has a template of its own: the same
    page both ways, for the teacher (inputs, tick boxes) and staff who only read it, with
    every status, work handed in (text and files), marks, feedback, a return and a
    miss."""
    import re

    from homework.services.marking import homework_return
    from homework.views import marking as views
    from sanctions.services.misses import miss_record

    w = homework_world
    pupils = PupilFactory.create_batch(6, tutor_group=w.tg_7a, last_name="O'Neil <b>")
    group = TeachingGroupFactory(
        school=w.school,
        academic_year=w.academic_year,
        year_group=w.y7,
        subject=w.maths,
        name="7y/Ma2",
        teachers=[w.teacher],
        pupils=pupils,
    )
    (homework,) = homework_set(
        teacher=w.teacher,
        teaching_groups=[group],
        details=HomeworkDetails(
            title="Rows",
            instructions="Do it.",
            set_on=timezone.localdate(),
            due_at=timezone.now() + datetime.timedelta(days=1),
            estimated_minutes=20,
        ),
    )
    on_time, late, paper, missed, excused, overdue = (
        homework.assignments.get(pupil=pupil) for pupil in pupils
    )
    due = homework.due_at
    submission_submit(
        assignment=on_time,
        text="Line <one>\nand & two",
        files=[SimpleUploadedFile("a <b>.pdf", b"%PDF-1.4 a", "application/pdf")],
        confidence=3,
        reflection='Hard "bits" & <i>',
        now=due - datetime.timedelta(hours=1),
    )
    assignments_mark_paper(
        homework=homework, assignment_ids=[paper.pk], now=due + datetime.timedelta(hours=1)
    )
    Assignment.objects.filter(pk=excused.pk).update(status=Assignment.Status.EXCUSED)
    with time_machine.travel(due + datetime.timedelta(hours=2), tick=False):
        submission_submit(assignment=late, text="Late")
        marking_save(
            teacher=w.teacher,
            homework=homework,
            entries=[
                MarkEntry(assignment_id=on_time.pk, mark="7/10 <ok>", feedback="Good.\nMore & <b>"),
                MarkEntry(assignment_id=paper.pk, mark="B", feedback=""),
            ],
        )
        homework_return(homework=homework)
        marking_save(
            teacher=w.teacher,
            homework=homework,
            entries=[MarkEntry(assignment_id=late.pk, mark="", feedback="Later")],
        )
        miss_record(recorder=w.teacher, assignments=[missed])

        def words(html):
            table = html[html.index("<tbody>") : html.index("</tbody>")]
            return re.sub(r"\s+", " ", table).replace("> <", "><").replace("> ", ">")

        for user in (w.teacher, w.head_of_year):
            written = get_register(client, user, homework).content.decode()
            monkeypatch.setattr(views, "_row_html", lambda *args: None)
            templated = get_register(client, user, homework).content.decode()
            monkeypatch.undo()
            assert "<tr id=" in written and words(written).replace(" <", "<") == words(
                templated
            ).replace(" <", "<")
