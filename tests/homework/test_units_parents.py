"""What the parent's child page shows of the scheme of work: per subject, the units the
child's classes are taught this month and next (from the classes' unit dates), with the
department's links for parents. Only the child's own classes; never another family's;
two queries whatever the number of classes, units or links."""

import datetime
import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homework.models import SchemeOfWorkUnit, UnitPlan, UnitResource
from tests.factories import SubjectFactory, TeachingGroupFactory

D = datetime.date


def plan(w, group, title, starts_on, ends_on, links=()):
    unit, _ = SchemeOfWorkUnit.objects.get_or_create(
        school=w.school, subject=group.subject, year_group=group.year_group, title=title
    )
    UnitPlan.objects.create(
        school=w.school, teaching_group=group, unit=unit, starts_on=starts_on, ends_on=ends_on
    )
    for link_title, url in links:
        UnitResource.objects.create(school=w.school, unit=unit, title=link_title, url=url)
    return unit


@pytest.fixture
def taught(world, time_machine):
    """Wednesday 4th November 2026."""
    time_machine.move_to(datetime.datetime(2026, 11, 4, 12, 0), tick=False)
    w = world
    plan(
        w,
        w.maths_7,
        "Fractions",
        D(2026, 11, 2),
        D(2026, 11, 27),
        links=[("BBC Bitesize: fractions", "https://www.bbc.co.uk/bitesize/fractions")],
    )
    plan(w, w.maths_7, "Ratio", D(2026, 11, 30), D(2026, 12, 18))
    plan(w, w.maths_7, "Algebra", D(2027, 1, 5), D(2027, 2, 12))  # after next month
    plan(w, w.maths_7, "Place value", D(2026, 9, 2), D(2026, 10, 23))  # over
    plan(w, w.english_7, "Poetry", D(2026, 12, 1), D(2026, 12, 18))
    plan(w, w.maths_8, "Expanding brackets", D(2026, 11, 2), D(2026, 11, 27))
    science = TeachingGroupFactory(
        school=w.school,
        academic_year=w.academic_year,
        year_group=w.y7,
        subject=SubjectFactory(school=w.school, name="Science", code="Sc"),
        name="7x/Sc1",
        teachers=[w.other_teacher],
        pupils=[w.classmate],
    )
    plan(w, science, "Cells (classmate's class only)", D(2026, 11, 2), D(2026, 11, 27))
    return w


def child_page(client, user, pupil):
    client.force_login(user)
    response = client.get(reverse("parents_child", args=[pupil.pk]))
    assert response.status_code == 200
    return response


def learning_section(html: str) -> str:
    return html.split('id="learning"', 1)[1].split("</section>", 1)[0]


def test_the_parent_sees_each_subjects_units_this_month_and_next(client, taught):
    response = child_page(client, taught.parent, taught.pupil)
    units = response.context["units"]
    by_subject = {
        row.subject_name: (
            [plan.title for plan in row.this_month],
            [plan.title for plan in row.next_month],
        )
        for row in units.subjects
    }
    assert by_subject == {
        "English": ([], ["Poetry"]),
        "Maths": (["Fractions", "Ratio"], []),
    }
    section = learning_section(response.content.decode())
    assert "November" in section and "December" in section
    assert "02/11/2026 to 27/11/2026" in section
    assert 'href="https://www.bbc.co.uk/bitesize/fractions"' in section
    for hidden in ("Algebra", "Place value", "Expanding brackets", "Cells"):
        assert hidden not in section


def test_month_names_follow_the_parents_language(client, taught):
    taught.guardian.preferred_language = "pl"
    taught.guardian.save(update_fields=["preferred_language"])
    section = learning_section(child_page(client, taught.parent, taught.pupil).content.decode())
    assert "Listopad" in section or "listopad" in section


def test_each_child_shows_their_own_classes_units(client, taught):
    section = learning_section(
        child_page(client, taught.parent, taught.year8_pupil).content.decode()
    )
    assert "Expanding brackets" in section and "Fractions" not in section


def test_another_family_sees_only_their_own_childs_units(client, taught):
    section = learning_section(
        child_page(client, taught.other_parent, taught.classmate).content.decode()
    )
    assert "Cells (classmate" in section and "Fractions" in section
    assert "Poetry" not in section  # Amara's English class, not Bartek's
    response = client.get(reverse("parents_child", args=[taught.pupil.pk]))
    assert response.status_code == 404


def test_without_dates_the_page_says_so(client, world, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 4, 12, 0), tick=False)
    section = learning_section(child_page(client, world.parent, world.pupil).content.decode())
    assert "has not shared the topics" in section


def _queries(client, w) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("parents_child", args=[w.pupil.pk]))
    return len(queries)


@pytest.mark.parametrize("rows", [1, 6])
def test_the_units_cost_two_queries_whatever_the_rows(client, world, time_machine, rows):
    time_machine.move_to(datetime.datetime(2026, 11, 4, 12, 0), tick=False)
    client.force_login(world.parent)
    client.get(reverse("parents_child", args=[world.pupil.pk]))  # warm the session
    without = _queries(client, world)
    for number in range(rows):
        plan(
            world,
            world.maths_7 if number % 2 else world.english_7,
            f"Unit {number}",
            D(2026, 11, 2),
            D(2026, 12, 4),
            links=[(f"Link {number}-{n}", "https://example.org") for n in range(rows)],
        )
    # The dated units of the child's classes, then their links (with no unit dated, the
    # first finds none and the second is not asked).
    assert _queries(client, world) == without + 1
    units = child_page(client, world.parent, world.pupil).context["units"]
    assert sum(len(row.this_month) for row in units.subjects) == rows


# The subjects' cards as `_child_units.html` wrote them, a unit and a link at a time.
UNITS_TEMPLATE = """{% for subject in units.subjects %}
<div class="col">
<div class="card h-100">
<div class="card-body">
<h3 class="h6 card-title">{{ subject.subject_name }}</h3>
{% for month, plans in subject.months %}
<p class="small fw-semibold mb-1">{{ month }}</p>
<ul class="list-unstyled mb-2">
{% for plan in plans %}
<li class="mb-1">
<span class="fw-semibold">{{ plan.title }}</span>
<span class="small text-body-secondary">{{ plan.dates_text }}</span>
{% if plan.links %}
<ul class="small mb-0">
{% for link in plan.links %}
<li>
<a href="{{ link.url }}" rel="noopener noreferrer">{{ link.title }}</a>
</li>
{% endfor %}
</ul>
{% endif %}
</li>
{% endfor %}
</ul>
{% endfor %}
</div>
</div>
</div>
{% endfor %}"""


def test_the_cards_written_in_python_are_the_templates(client, taught):
    plan(
        taught,
        taught.english_7,
        'Poems <b>&</b> "songs"',
        D(2026, 11, 2),
        D(2026, 11, 27),
        links=[("Read <this> & that", 'https://example.org/?a=1&b="2"')],
    )
    response = child_page(client, taught.parent, taught.pupil)
    units = response.context["units"]
    written = str(units.subjects_html)
    expected = Template(UNITS_TEMPLATE).render(Context({"units": units}))
    squeeze = lambda html: re.sub(r"\s*([<>])\s*", r"\1", re.sub(r"\s+", " ", html)).strip()  # noqa: E731
    assert squeeze(written) == squeeze(expected)
    assert squeeze(written) in squeeze(response.content.decode())
    assert "Poems &lt;b&gt;&amp;&lt;/b&gt; &quot;songs&quot;" in written
    assert 'href="https://example.org/?a=1&amp;b=&quot;2&quot;"' in written
    assert "Read &lt;this&gt; &amp; that" in written
