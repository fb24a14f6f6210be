"""Who may open the work scrutiny pages. Leaders' pages (rounds, a new round, checklist,
results): senior leaders, school admins and subject leaders, and the other school's
senior leader for their own school. A whole-school round and its maths homework: our
senior leader, admin and the maths subject leader. Changing a criterion: senior leaders
and admins. A teacher's own reviews: anyone who teaches (each sees only theirs); a review
of the teacher's maths homework: that teacher alone. Governors read the results in the
half-term report only (tests/reports/test_scrutiny_access.py). Drawing and closing are
POST-only, for those who run the round (test_scrutiny_access.py)."""

from django.urls import reverse

from reports.models import ScrutinyCriterion, ScrutinyRound
from reports.scrutiny import services
from reports.scrutiny.selectors import criteria_of

LEADERS = {"subject_leader", "senior_leader", "school_admin", "other_school_staff"}
OURS = {"subject_leader", "senior_leader", "school_admin"}


def round_of(w) -> ScrutinyRound:
    """A whole-school round of the world's homework, drawn (all of it: 50 each)."""
    round = services.round_create(
        school_id=w.school.pk,
        created_by=w.senior_leader,
        details=services.RoundDetails(
            title="Whole school",
            period_start=w.maths_homework.set_on,
            period_end=w.maths_homework.set_on,
            sample_by=ScrutinyRound.SampleBy.DEPARTMENT,
            per_group=50,
        ),
        subject_ids=[],
        teacher_ids=[],
    )
    services.round_draw(round=round, again=False)
    return round


def maths_sample(w):
    return round_of(w).samples.get(homework=w.maths_homework)


def maths_review(w):
    services.criteria_ensure(school_id=w.school.pk)
    return services.review_save(
        sample=maths_sample(w),
        reviewer=w.senior_leader,
        ratings={c.pk: "met" for c in criteria_of(w.school.pk)},
        comment="Clear and well pitched.",
    )


def criterion_of(w) -> ScrutinyCriterion:
    services.criteria_ensure(school_id=w.school.pk)
    return ScrutinyCriterion.objects.filter(school=w.school).first()


PAGES = {
    "scrutiny_rounds": (lambda w: reverse("scrutiny_rounds"), LEADERS),
    "scrutiny_round_new": (lambda w: reverse("scrutiny_round_new"), LEADERS),
    "scrutiny_checklist": (lambda w: reverse("scrutiny_checklist"), LEADERS),
    "scrutiny_results": (lambda w: reverse("scrutiny_results"), LEADERS),
    "scrutiny_round": (lambda w: reverse("scrutiny_round", args=[round_of(w).pk]), OURS),
    "scrutiny_sample": (lambda w: reverse("scrutiny_sample", args=[maths_sample(w).pk]), OURS),
    "scrutiny_criterion": (
        lambda w: reverse("scrutiny_criterion", args=[criterion_of(w).pk]),
        {"senior_leader", "school_admin"},
    ),
    "scrutiny_mine": (
        lambda w: reverse("scrutiny_mine"),
        {"teacher", "other_teacher", "other_school_teacher"},
    ),
    "scrutiny_reply": (lambda w: reverse("scrutiny_reply", args=[maths_review(w).pk]), {"teacher"}),
}

POST_ONLY = {
    "scrutiny_round_draw": (
        lambda w: reverse("scrutiny_round_draw", args=[round_of(w).pk]),
        {"senior_leader", "school_admin"},
    ),
    "scrutiny_round_close": (
        lambda w: reverse("scrutiny_round_close", args=[round_of(w).pk]),
        {"senior_leader", "school_admin"},
    ),
}
