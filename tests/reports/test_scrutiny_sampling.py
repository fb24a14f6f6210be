"""Drawing a round's sample: N at random from each department or each teacher, only
homework set (not drafts) in the period and in the round's scope, the same sample from the
same seed, drawing again explicit and refused once reviewing has started."""

import pytest

from reports.models import ScrutinyRound, ScrutinySample
from reports.scrutiny import ScrutinyError, services
from reports.scrutiny.sampling import candidates, draw
from reports.scrutiny.selectors import criteria_of
from tests.reports.scrutiny_fixture import drawn_ids, new_round, rate_all, scrutiny_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return scrutiny_school()


def test_a_department_sample_takes_n_of_each_subjects_set_homework_in_the_period(s):
    round = new_round(s, per_group=2)
    assert services.round_draw(round=round, again=False) == 4
    drawn = set(drawn_ids(round))
    maths = {h.pk for h in s.mo_set + s.max_set}
    english = {h.pk for h in s.eve_set + [s.eve_archived]}
    assert len(drawn & maths) == 2
    assert len(drawn & english) == 2
    # Never a draft, homework set outside the period or another school's.
    assert not drawn & {s.mo_draft.pk, s.mo_before.pk, s.other_homework.pk}


def test_a_teacher_sample_takes_n_of_each_teacher_and_all_of_a_smaller_set(s):
    round = new_round(s, sample_by=ScrutinyRound.SampleBy.TEACHER, per_group=3)
    services.round_draw(round=round, again=False)
    drawn = set(drawn_ids(round))
    assert len(drawn & {h.pk for h in s.mo_set}) == 3
    assert drawn >= {h.pk for h in s.max_set}  # Max set only two
    assert drawn >= {h.pk for h in s.eve_set} | {s.eve_archived.pk}
    assert len(drawn) == 8


def test_a_round_draws_only_from_its_departments_and_teachers(s):
    maths_only = new_round(s, subjects=[s.maths], per_group=50)
    services.round_draw(round=maths_only, again=False)
    assert set(drawn_ids(maths_only)) == {h.pk for h in s.mo_set + s.max_set}

    max_only = new_round(s, subjects=[s.maths], teachers=[s.max_], per_group=50)
    services.round_draw(round=max_only, again=False)
    assert set(drawn_ids(max_only)) == {h.pk for h in s.max_set}


def test_the_same_seed_draws_the_same_sample(s):
    round = new_round(s, sample_by=ScrutinyRound.SampleBy.TEACHER, per_group=2)
    services.round_draw(round=round, again=False)
    first = drawn_ids(round)
    rows = candidates(round, subject_ids=[], teacher_ids=[])
    for _ in range(5):
        assert draw(rows, seed=round.seed, per_group=2, by_teacher=True) == first
    # Another round given the same seed draws the same homework.
    twin = new_round(s, sample_by=ScrutinyRound.SampleBy.TEACHER, per_group=2)
    ScrutinyRound.objects.filter(pk=twin.pk).update(seed=round.seed)
    services.round_draw(round=ScrutinyRound.objects.get(pk=twin.pk), again=False)
    assert drawn_ids(twin) == first


def test_seeds_differ_in_what_they_draw():
    rows = [(pk, 1, 1) for pk in range(1, 101)]
    samples = {tuple(draw(rows, seed=seed, per_group=5, by_teacher=False)) for seed in range(20)}
    assert len(samples) > 15


def test_drawing_again_is_explicit_and_takes_a_new_seed(s):
    round = new_round(s, per_group=1)
    services.round_draw(round=round, again=False)
    seed = ScrutinyRound.objects.get(pk=round.pk).seed
    with pytest.raises(ScrutinyError, match="drawn already"):
        services.round_draw(round=round, again=False)
    services.round_draw(round=round, again=True)
    assert ScrutinyRound.objects.get(pk=round.pk).seed != seed
    assert ScrutinySample.objects.filter(round=round).count() == 2


def test_the_sample_stays_once_a_homework_of_it_is_reviewed(s):
    round = new_round(s, per_group=1)
    services.round_draw(round=round, again=False)
    services.criteria_ensure(school_id=s.school.pk)
    sample = round.samples.first()
    services.review_save(
        sample=sample,
        reviewer=s.sue,
        ratings=rate_all(criteria_of(s.school.pk)),
        comment="Clear.",
    )
    before = drawn_ids(round)
    with pytest.raises(ScrutinyError, match="has been reviewed"):
        services.round_draw(round=round, again=True)
    assert drawn_ids(round) == before


def test_a_closed_round_draws_nothing(s):
    round = new_round(s)
    services.round_close(round=round, close=True)
    with pytest.raises(ScrutinyError, match="closed"):
        services.round_draw(round=round, again=False)
    assert not round.samples.exists()
