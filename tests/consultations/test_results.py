"""Results as they come in: counts and shares, the scale's spread and mean, response
rates by year and pupil group (small groups suppressed), names only when the
consultation is named, the same in the CSV."""

import csv
import io

from django.urls import reverse
from django.utils.html import escape

from consultations import services
from consultations.models import Question
from consultations.results import results_for
from consultations.selectors import consultation_for_leader
from tests.factories import GuardianFactory, GuardianLinkFactory, PupilFactory

from .conftest import consultation_build, option


def answer(consultation, guardian, *, single="Always", multiple=(), scale=None, text=""):
    q = consultation.q
    answers = {
        q[Question.Kind.SINGLE].pk: str(option(consultation, Question.Kind.SINGLE, single).pk),
        q[Question.Kind.MULTIPLE].pk: [
            str(option(consultation, Question.Kind.MULTIPLE, m).pk) for m in multiple
        ],
        q[Question.Kind.SCALE].pk: scale,
        q[Question.Kind.TEXT].pk: text,
    }
    services.response_save(
        consultation=consultation, guardian_id=guardian.pk, answers=answers, language="en-gb"
    )


def families(world, n, **pupil_fields):
    guardians = []
    for k in range(n):
        pupil = PupilFactory(tutor_group=world.tg_8a, **pupil_fields)
        guardian = GuardianFactory(school=world.school, first_name=f"Family{k}", last_name="Zed")
        GuardianLinkFactory(guardian=guardian, pupil=pupil)
        guardians.append(guardian)
    return guardians


def test_counts_shares_scale_and_mean(world, consultation):
    answer(consultation, world.guardian, single="Always", multiple=("A club", "Guides"), scale="5")
    answer(consultation, world.other_guardian, single="Rarely", multiple=("A club",), scale="2")
    results = results_for(consultation_for_leader(world.senior_leader, consultation.pk))
    single, multiple, scale, text = results.questions
    assert [(o.text, o.count, o.share) for o in single.options] == [
        ("Always", 1, 50),
        ("Rarely", 1, 50),
    ]
    assert [(o.text, o.count, o.share) for o in multiple.options] == [
        ("A club", 2, 100),
        ("Guides", 1, 50),
        ("Texts", 0, 0),
    ]
    assert [o.count for o in scale.scale] == [0, 1, 0, 0, 1] and scale.mean == 3.5
    assert text.texts == []
    assert (results.overall.asked, results.overall.answered) == (2, 2)


def test_response_rates_by_year_and_group_show_who_is_not_answering(world, consultation):
    pp = families(world, 6, pupil_premium=True)
    for guardian in pp[:2]:
        answer(consultation, guardian, scale="3")
    results = results_for(consultation_for_leader(world.senior_leader, consultation.pk))
    assert (results.overall.asked, results.overall.answered) == (8, 2)
    year8 = next(r for r in results.by_year if r.label == "Year 8")
    # The parent's year 8 child, and the six new families.
    assert (year8.asked, year8.answered, year8.not_answered, year8.suppressed) == (7, 2, 5, False)
    year7 = next(r for r in results.by_year if r.label == "Year 7")
    assert year7.suppressed  # two families: fewer than five
    groups = {r.label: r for r in results.by_group}
    assert (groups["Pupil Premium"].asked, groups["Pupil Premium"].answered) == (6, 2)
    assert groups["Pupil Premium"].share == 33
    assert groups["Young carer"].suppressed


def test_the_page_hides_small_groups(client, world, consultation):
    client.force_login(world.senior_leader)
    html = client.get(reverse("consultations_results", args=[consultation.pk])).content.decode()
    assert "Fewer than 5 families" in html


def test_anonymous_results_and_csv_show_no_names(client, world, consultation):
    answer(consultation, world.guardian, scale="4", text='=HYPERLINK("x") please')
    client.force_login(world.senior_leader)
    html = client.get(reverse("consultations_results", args=[consultation.pk])).content.decode()
    assert "please" in html
    assert escape(world.guardian.last_name) not in html
    assert escape(world.guardian.first_name) not in html
    download = client.get(reverse("consultations_csv", args=[consultation.pk]))
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0][:2] == ["Language", "Do you know the homework?"]
    assert world.guardian.first_name not in download.content.decode()
    assert rows[1][-1].startswith("'=HYPERLINK")  # a formula is never run by a spreadsheet


def test_named_results_and_csv_show_names_to_leaders(client, world):
    consultation = consultation_build(world, anonymous=False)
    answer(consultation, world.guardian, scale="4", text="More clubs")
    client.force_login(world.senior_leader)
    html = client.get(reverse("consultations_results", args=[consultation.pk])).content.decode()
    assert escape(world.guardian.full_name) in html
    download = client.get(reverse("consultations_csv", args=[consultation.pk]))
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0][0] == "Parent or carer" and rows[1][0] == world.guardian.full_name


def test_parents_never_see_other_parents_answers(client, world):
    consultation = consultation_build(world, anonymous=False)
    answer(consultation, world.guardian, scale="4", text="My private view")
    client.force_login(world.other_parent)
    for url in (
        reverse("parents_overview"),
        reverse("consultations_answer", args=[consultation.pk]),
    ):
        html = client.get(url).content.decode()
        assert "My private view" not in html and escape(world.guardian.last_name) not in html
    assert client.get(reverse("consultations_results", args=[consultation.pk])).status_code == 404
    assert client.get(reverse("consultations_csv", args=[consultation.pk])).status_code == 404
