"""What sanctions adds to a homework's register through homework's registry
(sanctions/register_actions.py): the "Missed deadline" column (a recorded miss with who
recorded it, undo and extend for the class's teachers; a tick box on overdue work not
handed in), the form recording the ticked misses while someone is overdue, and a link to
commend each pupil; staff who only read the register get none of the controls. Reading
the misses costs one query however many pupils have one."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from homework.models import Assignment
from homework.services.marking import assignments_mark_paper
from homework.services.planner import submission_submit
from homework.services.setting import HomeworkDetails, homework_set
from sanctions.models import Miss
from sanctions.services.misses import miss_record
from tests.factories import PupilFactory, TeachingGroupFactory

from .test_misses_recording import overdue_class


def register_html(client, user, homework) -> str:
    client.force_login(user)
    response = client.get(reverse("homework_register", args=[homework.pk]))
    assert response.status_code == 200
    return response.content.decode()


def row_html(html, assignment) -> str:
    start = html.index(f'<tr id="pupil-{assignment.pk}"')
    return html[start : html.index("</tr>", start)]


def test_the_missed_deadline_column_for_every_kind_of_status(client, homework_world):
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
            set_on=timezone.localdate() - datetime.timedelta(days=7),
            due_at=timezone.now() - datetime.timedelta(days=1),
            estimated_minutes=20,
        ),
    )
    handed_in, paper, recorded, excused, overdue, ticked = (
        homework.assignments.get(pupil=pupil) for pupil in pupils
    )
    submission_submit(assignment=handed_in, text="Late")
    assignments_mark_paper(homework=homework, assignment_ids=[paper.pk])
    (miss,) = miss_record(recorder=w.teacher, assignments=[recorded])
    Assignment.objects.filter(pk=excused.pk).update(status=Assignment.Status.EXCUSED)

    html = register_html(client, w.teacher, homework)
    assert '<th scope="col">Missed deadline</th>' in html
    recorded_row = row_html(html, recorded)
    when = timezone.localtime(miss.recorded_at).strftime("%d/%m")
    assert f"Missed (recorded {when} by Tess Teacher)" in recorded_row
    assert reverse("sanctions_miss_void", args=[miss.pk]) in recorded_row
    assert reverse("sanctions_extension", args=[recorded.pk]) in recorded_row
    for row in (overdue, ticked):
        cells = row_html(html, row)
        assert f'id="missed-{row.pk}"' in cells and 'form="misses-form"' in cells
        label = rf'<label[^>]*for="missed-{row.pk}"[^>]*>\s*Missed<span class="visually-hidden">: '
        # As the page writes it: a name such as O'Brien is HTML-escaped.
        assert re.search(label + re.escape(escape(row.pupil.full_name)), cells)
        assert reverse("sanctions_extension", args=[row.pk]) in cells
    for row in (handed_in, paper, excused):
        assert 'name="missed"' not in row_html(html, row)
    assert "Excused" in row_html(html, excused)
    # The form the tick boxes belong to posts to sanctions, with a reason to give.
    assert 'id="misses-form"' in html
    assert reverse("sanctions_miss_record", args=[homework.pk]) in html
    assert 'name="reason"' in html
    # Every pupil can be commended from the register, for this homework.
    commend = reverse("sanctions_commend", args=[ticked.pupil_id])
    assert f"{commend}?assignment={ticked.pk}" in row_html(html, ticked)


@pytest.mark.parametrize("who", ["subject_leader", "head_of_year", "senior_leader"])
def test_staff_who_only_read_the_register_see_the_misses_without_controls(
    client, homework_world, who
):
    w = homework_world
    homework, assignments = overdue_class(w, 3)
    (miss,) = miss_record(recorder=w.teacher, assignments=assignments[:1])
    html = register_html(client, getattr(w, who), homework)
    assert "Missed (recorded" in row_html(html, assignments[0])
    assert reverse("sanctions_miss_void", args=[miss.pk]) not in html
    assert "/extend/" not in html and "/commend/" not in html
    assert 'name="missed"' not in html and 'id="misses-form"' not in html


def test_the_form_is_offered_only_while_someone_is_overdue(client, homework_world):
    w = homework_world
    homework, assignments = overdue_class(w, 2)
    assignments_mark_paper(homework=homework, assignment_ids=[a.pk for a in assignments])
    html = register_html(client, w.teacher, homework)
    assert '<th scope="col">Missed deadline</th>' in html
    assert 'id="misses-form"' not in html and 'name="missed"' not in html


@pytest.mark.parametrize("rows", [1, 30])
def test_the_register_reads_every_miss_in_one_query(
    client, homework_world, django_assert_num_queries, rows
):
    w = homework_world
    homework, assignments = overdue_class(w, rows, name=f"7m/Ma{rows}")
    miss_record(recorder=w.teacher, assignments=assignments)
    client.force_login(w.teacher)
    # session, user, roles, the homework (+ may the viewer mark?, class, subject, year, set
    # by, unit), its attachments, the assignments (+ pupils), the files they handed in,
    # the counted misses (+ who recorded them)
    with django_assert_num_queries(8):
        response = client.get(reverse("homework_register", args=[homework.pk]))
    html = response.content.decode()
    assert html.count("Missed (recorded") == rows
    assert Miss.objects.filter(assignment__homework=homework).count() == rows


# The partials the column's cells and the commend link were rendered by, before they were
# written in Python (sanctions/register_actions.py): the same HTML but for whitespace.
MISSED_CELL = """
{% if item.miss %}
  Missed (recorded {{ item.miss.recorded_at|date:"d/m" }} by {{ item.miss.recorded_by }})
  {% if part.can_change %}
    <a class="btn btn-outline-secondary btn-sm no-print"
       href="{{ item.void }}">Undo<span class="visually-hidden"> the missed deadline of
         {{ row.pupil.full_name }}</span></a>
    <a class="btn btn-outline-secondary btn-sm no-print"
       href="{{ item.extension }}">Extend<span class="visually-hidden"> the deadline of
         {{ row.pupil.full_name }}</span></a>
  {% endif %}
{% elif item.recordable %}
  <input type="checkbox"
         class="form-check-input"
         name="missed"
         value="{{ row.pk }}"
         id="missed-{{ row.pk }}"
         form="misses-form">
  <label class="form-check-label small"
         for="missed-{{ row.pk }}">Missed<span class="visually-hidden">:
         {{ row.pupil.full_name }}</span></label>
  <a class="d-block small no-print"
     href="{{ item.extension }}">Extend<span class="visually-hidden"> the deadline of
         {{ row.pupil.full_name }}</span></a>
{% elif row.status == "missed" %}
  Missed
{% elif row.status == "excused" %}
  Excused
{% else %}
  —
{% endif %}
"""
COMMEND_LINK = """
<a class="d-block small no-print"
   href="{{ item }}&amp;next={{ request.get_full_path|urlencode:"" }}">Commend<span
   class="visually-hidden"> {{ row.pupil.full_name }}</span></a>
"""


def _words(html) -> str:
    return re.sub(r"\s+", " ", html.replace("\n", " ")).replace("> <", "><").strip()


@pytest.mark.parametrize("can_change", [True, False])
@pytest.mark.parametrize("status", ["set", "missed", "excused", "submitted"])
@pytest.mark.parametrize("counted", [True, False])
@pytest.mark.parametrize("recordable", [True, False])
def test_the_cells_written_in_python_are_the_partials_html(can_change, status, counted, recordable):
    from types import SimpleNamespace

    from django.template import Context, Template
    from django.test import RequestFactory

    from sanctions.register_actions import _missed_cell, commend_link
    from school.links import id_url

    pupil = SimpleNamespace(full_name="Zoë O'Brien <b>&")
    row = SimpleNamespace(pk=12, status=status, pupil=pupil, pupil_id=5, has_left=False)
    recorder = type("Recorder", (), {"__str__": lambda self: 'Mr "T" <i>'})()
    miss = SimpleNamespace(pk=3, recorded_at=timezone.now(), recorded_by=recorder)
    miss = miss if counted else None
    void, extension = id_url("sanctions_miss_void"), id_url("sanctions_extension")
    item = {
        "miss": miss,
        "recordable": recordable,
        "void": void(3) if miss and can_change else "",
        "extension": extension(12),
    }
    context = {"row": row, "item": item, "part": {"can_change": can_change}}
    expected = Template(MISSED_CELL).render(Context(context))
    written = _missed_cell(
        row, miss, can_change=can_change, recordable=recordable, void=void, extension=extension
    )
    assert _words(written) == _words(expected)

    request = RequestFactory().get("/homework/9/?a=1&b=ü")
    register = SimpleNamespace(rows=[row])
    link = commend_link(register=register, user=None, can_mark=True, request=request)["rows"][12]
    address = f"{reverse('sanctions_commend', args=[5])}?assignment=12"
    context = {"row": row, "item": address, "request": request}
    assert _words(link) == _words(Template(COMMEND_LINK).render(Context(context)))
