"""The child page's task rows are written in Python (parents.overview.tasks_html) rather
than by `_child_tasks.html` a list: the same markup, every value escaped as the template
escapes it, but for whitespace."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from homework.models import Homework
from parents.overview import tasks_html

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
