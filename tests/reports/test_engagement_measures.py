"""Families' engagement on the hand-built school (tests/reports/engagement_fixture.py):
each measure's definition, who counts and who does not (a child who left, an erased
record, a record with no child, another school), the split by pupil group and by
language, the flag and the suppression of small groups."""

import datetime

import pytest
from django.utils import timezone

from reports.measures.engagement import family_engagement
from reports.measures.periods import periods_of
from reports.models import ReportSettings
from tests.reports.engagement_fixture import LONDON, engagement_school

pytestmark = pytest.mark.django_db

A1, A2, YEAR = range(3)
H = datetime.timedelta(hours=1)


def engagement_of(world):
    with timezone.override(LONDON):
        return family_engagement(
            world.year,
            periods_of(world.year),
            settings=ReportSettings.for_school(world.school.pk),
        )


def cells(engagement, measure, group="all"):
    row = next(r for r in engagement.measure(measure).rows if r.key == group)
    return row.cells


def counts(engagement, measure, group="all"):
    return [(c.count, c.out_of) for c in cells(engagement, measure, group)]


@pytest.fixture
def world():
    return engagement_school()


def test_families_are_records_linked_to_a_child_on_roll(world):
    engagement = engagement_of(world)
    # Autumn 1: Ada's, Ben's and Cal's families; Ben left on 10/11, so not after; the
    # erased record, the record with no child and the other school's never.
    assert [c.count for c in cells(engagement, "families")] == [3, 2, 2]
    assert [c.share for c in cells(engagement, "families", "pupil_premium")] == [33.3, 50.0, 50.0]
    assert [c.count for c in cells(engagement, "families", "eal")] == [1, 1, 1]
    assert [c.count for c in cells(engagement, "families", "lang_pl")] == [2, 1, 1]
    assert [c.count for c in cells(engagement, "families", "lang_en-gb")] == [1, 1, 1]


def test_a_login_counts_from_the_day_it_was_made(world):
    # Ada's mother's login was made on 10/9, Cal's mother's on 3/11; Ben's father has none.
    assert counts(engagement_of(world), "accounts") == [(1, 3), (2, 2), (2, 2)]


def test_opened_the_portal_counts_visits_in_the_period(world):
    engagement = engagement_of(world)
    assert counts(engagement, "opened") == [(1, 3), (2, 2), (2, 2)]
    assert counts(engagement, "opened", "eal") == [(0, 1), (1, 1), (1, 1)]


def test_signed_counts_this_years_published_agreement_by_the_periods_end(world):
    # Cal's mother signed last year's in June and this year's on 21/11.
    assert counts(engagement_of(world), "signed") == [(1, 3), (2, 2), (2, 2)]


def test_signed_off_counts_weeks_against_the_schools_setting(world):
    # N = 2: Ada's mother has two weeks in Autumn 1 and one in Autumn 2; Cal's mother two
    # in Autumn 2 (the week of 16/11 once for both children). The year needs 2 x 2 weeks.
    assert counts(engagement_of(world), "signed_off") == [(1, 3), (1, 2), (0, 2)]
    ReportSettings.objects.filter(school=world.school).update(sign_off_weeks=1)
    # (the year: 1 x 2 weeks, which both have)
    assert counts(engagement_of(world), "signed_off") == [(1, 3), (2, 2), (2, 2)]


def test_answered_the_latest_consultation_that_asked_the_family(world):
    # Autumn 1: the first consultation asked the three families and two answered. By the
    # end of Autumn 2 the second (to 7B only) is Cal's mother's latest, and she did not
    # answer it; Ada's mother's latest is still the first. The draft asks nobody.
    engagement = engagement_of(world)
    assert counts(engagement, "consulted") == [(2, 3), (1, 2), (1, 2)]
    assert counts(engagement, "consulted", "eal") == [(1, 1), (0, 1), (0, 1)]


def test_the_median_time_to_answer_a_parent(world):
    engagement = engagement_of(world)
    reply = cells(engagement, "reply_time")
    # Autumn 1: 2 h (Ada) and 1 h (Ben, on roll then): 1 h 30. Autumn 2: 24 h and 4 h
    # (from the first message, not the second), one unanswered. The year: Ben has left.
    assert [c.median for c in reply] == [1.5 * H, 14 * H, 4 * H]
    assert [(c.count, c.out_of) for c in reply] == [(2, 2), (2, 3), (3, 4)]
    assert [c.median for c in cells(engagement, "reply_time", "pupil_premium")] == [
        2 * H,
        None,
        2 * H,
    ]
    assert [c.median for c in cells(engagement, "reply_time", "lang_pl")][:2] == [H, 14 * H]
    assert engagement.cell_text(engagement.measure("reply_time"), reply[A2]) == (
        "14 h 0 min (2 of 3 answered)"
    )


def test_a_group_well_below_all_families_is_flagged(world):
    engagement = engagement_of(world)
    opened = cells(engagement, "opened", "eal")[A1]
    # The EAL family did not open the portal in Autumn 1: 0% against a third.
    assert opened.ratio == 0 and opened.flagged
    assert not cells(engagement, "opened", "pupil_premium")[A1].flagged  # 100% against 33%
    slower = cells(engagement, "reply_time", "pupil_premium")[A1]  # 2 h against 1 h 30
    assert float(slower.ratio) == pytest.approx(4 / 3) and not slower.flagged


def test_small_groups_are_suppressed():
    world = engagement_school(smallest_group=2)
    engagement = engagement_of(world)
    # Two families in Autumn 2: every group of one is hidden, and a pupil group whose
    # outsiders are fewer than two as well; so are the languages (one each; Urdu, which no
    # family has, is no group and shows its zero).
    hidden = {r.key for r in engagement.measure("signed").rows if r.cells[A2].hidden}
    assert hidden == {
        "pupil_premium",
        "fsm",
        "sen_support",
        "ehcp",
        "eal",
        "young_carer",
        "lang_en-gb",
        "lang_pl",
    }
    assert not cells(engagement, "signed")[A2].hidden
    text = engagement.cell_text(
        engagement.measure("signed"), cells(engagement, "signed", "eal")[A2]
    )
    assert text == "fewer than 2"
    # With five, the school's three families are all hidden.
    ReportSettings.objects.filter(school=world.school).update(smallest_group=5)
    assert all(c.hidden for c in cells(engagement_of(world), "families"))
