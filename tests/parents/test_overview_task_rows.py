"""The child page's task rows are written in Python (parents.overview.tasks_html) rather
than by `_child_tasks.html` a list: the same markup, every value escaped as the template
escapes it, but for whitespace."""

import re

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from homework.models import Homework
from parents.overview import Ladder, ladder_html, misses_html, returned_html, tasks_html
from sanctions.models import EscalationPolicy, EscalationStep, Miss

from .test_overview import build_family


def _squeeze(html: str) -> str:
    return re.sub(r"\s*([<>])\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize("all_lists", [False, True])
def test_task_rows_are_the_templates_rows(client, world, time_machine, all_lists):
    w = build_family(world, time_machine)
    Homework.objects.filter(pk=w.fractions.pk).update(
        title="Fractions <b>\"&\" 'quotes'</b>",
        help_at_home="Ask them <i>why</i>.\nThen & again",
    )
    Homework.objects.filter(pk=w.poem.pk).update(help_at_home="Read it aloud")
    w.maths_7.subject.__class__.objects.filter(pk=w.maths_7.subject_id).update(
        name="Maths & <Stats>"
    )
    client.force_login(w.parent)
    url = reverse("parents_child", args=[w.pupil.pk]) + ("?all=1" if all_lists else "")
    response = client.get(url)
    page = response.context["page"]
    content = _squeeze(response.content.decode())
    days = [day for day in page.days if day.tasks]
    assert days and page.overdue
    assert any(task.assignment.returned_at and task.help_note for d in days for task in d.tasks)
    assert "Fractions &lt;b&gt;&quot;&amp;&quot; &#x27;quotes&#x27;&lt;/b&gt;" in content
    assert "Ask them &lt;i&gt;why&lt;/i&gt;.<br>Then &amp; again" in content
    for tasks, show_date in [(day.tasks, False) for day in days] + [(page.overdue, True)]:
        template = render_to_string(
            "parents/overview/_child_tasks.html",
            {"tasks": tasks, "show_date": show_date, "full": True, "words": page.words},
        )
        written = str(tasks_html(tasks, page.words, show_date=show_date, full=True))
        assert _squeeze(written) == _squeeze(template)
        assert _squeeze(written) in content


def test_the_overviews_task_rows_are_the_templates_rows(client, world, time_machine):
    w = build_family(world, time_machine)
    Homework.objects.filter(pk=w.poem.pk).update(title='Poem <i>&</i> "autumn"')
    client.force_login(w.parent)
    response = client.get(reverse("parents_overview"))
    overview = response.context["overview"]
    content = _squeeze(response.content.decode())
    assert "Poem &lt;i&gt;&amp;&lt;/i&gt; &quot;autumn&quot;" in content
    lists = [(card.overdue, card.overdue_html) for card in overview.cards]
    lists += [(card.this_week, card.this_week_html) for card in overview.cards]
    assert any(tasks for tasks, _ in lists)
    for tasks, written in lists:
        template = render_to_string(
            "parents/overview/_child_tasks.html",
            {"tasks": tasks, "show_date": True, "words": overview.words},
        )
        assert _squeeze(written) == _squeeze(template)
        assert _squeeze(written) in content


# The child page's returned cards as its template wrote them, a row at a time.
RETURNED_TEMPLATE = """{% load i18n %}
{% for assignment in page.returned %}
<article class="card mb-2">
<div class="card-body">
<div class="d-flex justify-content-between align-items-start gap-2">
<div class="text-break">
<h3 class="h6 mb-0">{{ assignment.homework.title }}</h3>
<div class="small text-body-secondary">
{{ assignment.subject_name }} · {{ assignment.homework.set_by }}
· {% blocktranslate with day=assignment.returned_day %}returned {{ day }}{% endblocktranslate %}
</div>
</div>
{% if assignment.mark %}
<span class="badge text-bg-success flex-shrink-0">{{ assignment.mark }}</span>
{% endif %}
</div>
{% if assignment.feedback %}
<div class="border rounded p-2 mt-2 bg-body-tertiary small text-break">
{{ assignment.feedback|linebreaks }}
</div>
{% endif %}
</div>
</article>
{% endfor %}
"""


def test_the_returned_cards_are_the_templates_cards(client, world, time_machine):
    w = build_family(world, time_machine)
    Homework.objects.filter(pk=w.fractions.pk).update(title="Fractions <b>&</b>")
    w.fractions.assignments.filter(pupil=w.pupil).update(mark="<7/10>")
    client.force_login(w.parent)
    response = client.get(reverse("parents_child", args=[w.pupil.pk]))
    page = response.context["page"]
    assert page.returned
    assert any(row.feedback for row in page.returned)
    written = _squeeze(returned_html(page.returned))
    template = Template(RETURNED_TEMPLATE).render(Context({"page": page}))
    assert written == _squeeze(template)
    content = _squeeze(response.content.decode())
    assert written in content
    assert "Fractions &lt;b&gt;&amp;&lt;/b&gt;" in written
    assert "&lt;7/10&gt;" in written
    assert "Check question 4 &lt;script&gt;alert(1)&lt;/script&gt;" in written


# The overview card's returned work as its template wrote it, a row at a time.
CARD_RETURNED_TEMPLATE = """{% for assignment in card.returned %}
<li class="list-group-item">
<div class="d-flex justify-content-between align-items-start gap-2">
<div class="text-break">
<span class="fw-semibold">{{ assignment.homework.title }}</span>
<div class="small text-body-secondary">
{{ assignment.subject_name }} · {{ assignment.returned_day }}
</div>
</div>
{% if assignment.mark %}
<span class="badge text-bg-success flex-shrink-0">{{ assignment.mark }}</span>
{% endif %}
</div>
{% if assignment.feedback %}
<p class="small mb-0 mt-1 text-break">{{ assignment.feedback|truncatewords:30 }}</p>
{% endif %}
</li>
{% endfor %}"""


def test_the_overviews_returned_work_is_the_templates(client, world, time_machine):
    w = build_family(world, time_machine)
    Homework.objects.filter(pk=w.fractions.pk).update(title="Fractions <b>&</b>")
    w.fractions.assignments.filter(pupil=w.pupil).update(
        mark="<7/10>", feedback=" ".join(f"w{n} <&>" for n in range(40))
    )
    client.force_login(w.parent)
    response = client.get(reverse("parents_overview"))
    cards = response.context["overview"].cards
    assert any(card.returned for card in cards)
    content = _squeeze(response.content.decode())
    for card in cards:
        written = _squeeze(card.returned_html)
        assert written == _squeeze(Template(CARD_RETURNED_TEMPLATE).render(Context({"card": card})))
        assert written in content
    written = "".join(card.returned_html for card in cards)
    assert "Fractions &lt;b&gt;&amp;&lt;/b&gt;" in written and "&lt;7/10&gt;" in written
    assert "w14 &lt;&amp;&gt; …" in written and "w15" not in written  # 30 words


def _ladders():
    policy = EscalationPolicy(misses_per_cycle=3, is_current=True)
    step = EscalationStep(detention_minutes=30, meeting_with="form_tutor")
    plain = EscalationStep(detention_minutes=60, meeting_with="")
    return [
        Ladder(misses_this_year=0, misses_this_cycle=0, cycles_completed=0, policy=None),
        Ladder(misses_this_year=1, misses_this_cycle=1, cycles_completed=0, policy=policy),
        Ladder(
            misses_this_year=5,
            misses_this_cycle=2,
            cycles_completed=1,
            policy=policy,
            next_step=step,
        ),
        Ladder(
            misses_this_year=22,
            misses_this_cycle=1,
            cycles_completed=7,
            policy=policy,
            next_step=plain,
        ),
        Ladder(
            misses_this_year=3,
            misses_this_cycle=0,
            cycles_completed=2,
            policy=policy,
            next_step=step,
        ),
    ]


@pytest.mark.parametrize("language", ["en", "pl", "ur"])
def test_the_ladder_is_the_templates_ladder(language):
    with translation.override(language):
        for ladder in _ladders():
            template = render_to_string("parents/overview/_child_ladder.html", {"ladder": ladder})
            assert _squeeze(str(ladder_html(ladder))) == _squeeze(template)


def test_the_pages_show_the_ladder_written_in_python(client, world, time_machine):
    w = build_family(world, time_machine)
    client.force_login(w.parent)
    response = client.get(reverse("parents_overview"))
    content = _squeeze(response.content.decode())
    for card in response.context["overview"].cards:
        template = render_to_string("parents/overview/_child_ladder.html", {"ladder": card.ladder})
        assert _squeeze(str(ladder_html(card.ladder))) == _squeeze(template)
        assert _squeeze(template) in content
    response = client.get(reverse("parents_child", args=[w.pupil.pk]))
    page = response.context["page"]
    template = render_to_string("parents/overview/_child_ladder.html", {"ladder": page.ladder})
    assert _squeeze(template) in _squeeze(response.content.decode())


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_missed_deadlines_are_the_templates_rows(client, world, time_machine, language):

    w = build_family(world, time_machine)
    misses = Miss.objects.filter(pupil=w.pupil)
    assert misses.count() > 1
    Miss.objects.filter(pk=misses.first().pk).update(status=Miss.Status.EXCUSED)
    Homework.objects.filter(pk__in=misses.values("assignment__homework")).update(
        title='Essay <b>"&"</b>'
    )
    subject = misses.first().assignment.homework.teaching_group.subject
    subject.__class__.objects.filter(pk=subject.pk).update(name="Maths & <Stats>")
    w.guardian.preferred_language = language
    w.guardian.save(update_fields=["preferred_language"])
    client.force_login(w.parent)
    response = client.get(reverse("parents_child", args=[w.pupil.pk]))
    page = response.context["page"]
    assert any(miss.status == Miss.Status.EXCUSED for miss in page.misses)
    with translation.override(language):
        template = render_to_string("parents/overview/_child_misses.html", {"misses": page.misses})
        written = str(misses_html(page.misses))
    assert "Essay &lt;b&gt;&quot;&amp;&quot;&lt;/b&gt;" in written
    assert "Maths &amp; &lt;Stats&gt;" in written
    assert _squeeze(written) == _squeeze(template)
    assert _squeeze(written) in _squeeze(response.content.decode())
