"""The split of the report's measures by pupil group, on the hand-built school of
tests/reports/fixture.py (groups_school): counts, shares of the roll, the
disproportionality ratio, the flag at the school's threshold and small-group
suppression, each with its known answer."""

from decimal import Decimal
from fractions import Fraction

import pytest

from reports.measures.groups import By, group_split
from reports.measures.periods import periods_of
from reports.models import ReportSettings
from tests.factories import PupilFactory, TutorGroupFactory
from tests.reports.fixture import TODAY, d, groups_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return groups_school()


def split(school, by, period=0, **settings):
    periods = periods_of(school.year)
    chosen = ReportSettings(school=school.school, **settings)
    return group_split(school.year, periods[period], by, settings=chosen, today=TODAY)


def rows(result, key):
    measure = next(m for m in result.measures if m.key == key)
    return {row.group.label: row for row in measure.rows}


def test_each_characteristic_has_its_roll_and_share_of_the_roll(school):
    groups = {g.label: g for g in split(school, By.CHARACTERISTICS).groups}
    assert [g.label for g in groups.values()][0] == "All pupils"
    assert (groups["All pupils"].size, groups["All pupils"].base_share) == (20, 100.0)
    assert (groups["Pupil Premium"].size, groups["Pupil Premium"].base_share) == (5, 25.0)
    assert (groups["Free school meals (FSM)"].size, groups["SEN support"].size) == (5, 4)


def test_the_misses_of_a_group_against_its_share_of_the_roll(school):
    misses = rows(split(school, By.CHARACTERISTICS), "misses")
    # The voided and the excused miss of p0 are not counted.
    assert (misses["All pupils"].count, misses["All pupils"].share) == (8, 100.0)
    pp = misses["Pupil Premium"]
    assert (pp.count, pp.share, pp.ratio, pp.ratio_text, pp.flagged) == (
        4,
        50.0,
        Fraction(2),
        "2.00",
        True,
    )
    assert not misses["All pupils"].flagged


def test_a_ratio_at_the_threshold_is_flagged_and_below_it_is_not(school):
    fsm = rows(split(school, By.CHARACTERISTICS), "misses")["Free school meals (FSM)"]
    assert (fsm.count, fsm.ratio, fsm.flagged) == (3, Fraction(3, 2), True)
    stricter = split(school, By.CHARACTERISTICS, flag_ratio=Decimal("1.51"))
    assert not rows(stricter, "misses")["Free school meals (FSM)"].flagged
    assert rows(stricter, "misses")["Pupil Premium"].flagged


def test_every_family_is_split(school):
    result = split(school, By.CHARACTERISTICS)
    pp = "Pupil Premium"
    expected = {
        "pupils_missing": (8, 4),
        "pupils_with_a_miss": (8, 4),
        "sanctions": (2, 1),
        "detentions_set": (2, 1),
        "detentions_served": (1, 1),
        "detentions_missed": (1, 0),
        "exclusion_days": (0, 0),
        "meetings_held": (0, 0),
        "not_reoffended": (1, 1),
        "club_attendances": (3, 2),
    }
    for key, (everyone, group) in expected.items():
        figures = rows(result, key)
        assert (figures["All pupils"].count, figures[pp].count) == (everyone, group), key
    served = rows(result, "detentions_served")[pp]
    assert (served.share, served.ratio, served.flagged) == (100.0, Fraction(4), True)
    assert rows(result, "exclusion_days")[pp].ratio is None  # nothing to share


def test_the_on_time_rate_is_the_groups_beside_the_schools(school):
    on_time = next(m for m in split(school, By.CHARACTERISTICS).measures if m.key == "on_time")
    by_label = {row.group.label: row for row in on_time.rows}
    # Due in Autumn 1: the Maths task (10), the misses' own homework (8) and p0's voided
    # one (1), the English task (10); the excused one is left out. On time: 7 + 10.
    assert on_time.kind == "rate"
    assert on_time.school_rate == 58.6
    assert by_label["Pupil Premium"].rate == 20.0
    assert by_label["Pupil Premium"].ratio is None and not by_label["Pupil Premium"].flagged
    assert "beside the whole school" in on_time.definition


def test_a_group_under_the_smallest_size_shows_no_figure(school):
    result = split(school, By.CHARACTERISTICS)
    sen = next(g for g in result.groups if g.label == "SEN support")
    assert sen.hidden and result.hidden_text == "fewer than 5"
    misses = rows(result, "misses")["SEN support"]
    assert (misses.count, misses.share, misses.ratio) == (None, None, None)
    # A school that shows groups of 3 or more shows it.
    smaller = split(school, By.CHARACTERISTICS, smallest_group=3)
    sen = rows(smaller, "misses")["SEN support"]
    assert not sen.group.hidden and sen.count == 1


def test_a_leaver_leaves_the_groups_roll_by_the_periods_end(school):
    year = split(school, By.CHARACTERISTICS, period=-1)  # p4 (PP) left on 10/11
    groups = {g.label: g for g in year.groups}
    assert (groups["All pupils"].size, groups["Pupil Premium"].size) == (19, 4)
    assert groups["Pupil Premium"].hidden
    assert rows(year, "misses")["All pupils"].count == 8


def test_a_characteristic_all_but_a_few_pupils_have_is_hidden(school):
    for pupil in school.q + school.r:
        pupil.pupil_premium = True
        pupil.save()
    # 15 Pupil Premium pupils of 20: the five others are the All pupils row less them.
    result = split(school, By.CHARACTERISTICS, smallest_group=6)
    assert next(g for g in result.groups if g.label == "Pupil Premium").hidden
    assert not split(school, By.CHARACTERISTICS).groups[1].hidden


def test_by_year_group_one_small_group_hides_the_next_smallest_too(school):
    result = split(school, By.YEAR_GROUP)
    groups = {g.label: (g.size, g.hidden) for g in result.groups}
    assert groups == {
        "All pupils": (20, False),
        "Year 7": (10, False),
        "Year 8": (6, True),
        "Year 9": (4, True),
    }
    year_7 = rows(result, "misses")["Year 7"]
    assert (year_7.count, year_7.share, year_7.ratio, year_7.flagged) == (
        7,
        87.5,
        Fraction(7, 4),
        True,
    )
    shown = split(school, By.YEAR_GROUP, smallest_group=3)
    assert not any(g.hidden for g in shown.groups)
    assert rows(shown, "misses")["Year 8"].count == 1


def test_by_house_and_by_tutor_group(school):
    houses = rows(split(school, By.HOUSE), "misses")
    assert (houses["North"].count, houses["South"].count, houses["All pupils"].count) == (7, 1, 8)
    tutor_groups = [g.label for g in split(school, By.TUTOR_GROUP).groups]
    assert tutor_groups == ["All pupils", "7K", "8L", "9M"]


def test_by_subject_misses_against_the_share_of_homework_due(school):
    result = split(school, By.SUBJECT)
    misses = rows(result, "misses")
    maths, english = misses["Maths"], misses["English"]
    assert (maths.count, english.count) == (7, 1)
    assert (maths.group.base, english.group.base) == (18, 11)
    assert maths.ratio == Fraction(7, 8) / Fraction(18, 29)
    assert maths.ratio_text == "1.41" and not maths.flagged
    on_time = rows(result, "on_time")
    assert (on_time["Maths"].rate, on_time["English"].rate, on_time["All subjects"].rate) == (
        38.9,
        90.9,
        58.6,
    )
    homework_set = rows(result, "homework_set")
    assert (homework_set["Maths"].count, homework_set["English"].count) == (10, 2)
    assert homework_set["Maths"].ratio is None


def test_only_the_schools_own_pupils_are_counted(school):
    other = groups_school("elsewhere")
    other.builder.miss(other.p[0], d(10, 9))
    assert rows(split(school, By.CHARACTERISTICS), "misses")["Pupil Premium"].count == 4


@pytest.mark.parametrize("more", [0, 10])
@pytest.mark.parametrize(
    ("by", "queries"), [(By.CHARACTERISTICS, 8), (By.TUTOR_GROUP, 8), (By.SUBJECT, 3)]
)
def test_a_split_is_one_query_per_family_whatever_the_size(
    school, more, by, queries, django_assert_num_queries
):
    b = school.builder
    for i in range(more):
        pupil = PupilFactory(tutor_group=school.p[0].tutor_group, pupil_premium=i % 2 == 0)
        b.miss(pupil, d(10, 12))
    periods = periods_of(school.year)
    chosen = ReportSettings(school=school.school)
    # The roll and the seven families (misses, sanctions, bookings, meetings, detentions
    # served, club attendances, homework due); by subject misses, homework due and set.
    with django_assert_num_queries(queries):
        result = group_split(school.year, periods[0], by, settings=chosen, today=TODAY)
    assert rows(result, "misses")[result.groups[0].label].count == 8 + more


def test_a_group_whose_pupils_have_all_left_is_hidden_and_hides_the_next_smallest(school):
    gone = TutorGroupFactory(school=school.school, year_group=school.p[0].year_group, name="7Z")
    leaver = PupilFactory(tutor_group=gone, left_on=d(10, 12))
    school.builder.miss(leaver, d(10, 5))
    result = split(school, By.TUTOR_GROUP, smallest_group=3)
    groups = {g.label: (g.size, g.hidden) for g in result.groups}
    # 7Z has no pupil on roll but a miss: shown as hidden, and the All pupils row less
    # the others would give it away, so the next smallest (9M) is hidden with it.
    assert groups == {
        "All pupils": (20, False),
        "7K": (10, False),
        "7Z": (0, True),
        "8L": (6, False),
        "9M": (4, True),
    }
    assert rows(result, "misses")["All pupils"].count == 9
