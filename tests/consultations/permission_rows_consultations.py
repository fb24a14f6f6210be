"""Who may open the consultations' pages. Senior leaders and school admins write, send
and read results (the other school's head reaches their own school's list, never this
school's consultations); a guardian asked answers (every family is asked here); nobody
else gets more than 404. Removing a question, reminding and tagging an answer are POST
only: tests/consultations/test_leaders.py checks who may do them."""

from django.urls import reverse

from .conftest import consultation_build

LEADERS = {"senior_leader", "school_admin"}
OWN_SCHOOL_PAGES = LEADERS | {"other_school_staff"}


def _sent(w):
    return consultation_build(w).pk


def _draft(w):
    return consultation_build(w, sent=False).pk


PAGES = {
    "consultations_list": (lambda w: reverse("consultations_list"), OWN_SCHOOL_PAGES),
    "consultations_new": (lambda w: reverse("consultations_new"), OWN_SCHOOL_PAGES),
    "consultations_tags": (lambda w: reverse("consultations_tags"), OWN_SCHOOL_PAGES),
    "consultations_detail": (
        lambda w: reverse("consultations_detail", args=[_sent(w)]),
        LEADERS,
    ),
    "consultations_edit": (lambda w: reverse("consultations_edit", args=[_draft(w)]), LEADERS),
    "consultations_question_add": (
        lambda w: reverse("consultations_question_add", args=[_draft(w)]),
        LEADERS,
    ),
    "consultations_send": (lambda w: reverse("consultations_send", args=[_draft(w)]), LEADERS),
    "consultations_results": (
        lambda w: reverse("consultations_results", args=[_sent(w)]),
        LEADERS,
    ),
    "consultations_csv": (lambda w: reverse("consultations_csv", args=[_sent(w)]), LEADERS),
    "consultations_outcome": (
        lambda w: reverse("consultations_outcome", args=[_sent(w)]),
        LEADERS,
    ),
    "consultations_answer": (
        lambda w: reverse("consultations_answer", args=[_sent(w)]),
        {"parent", "other_parent"},
    ),
}
POST_ONLY = {
    "consultations_question_delete",
    "consultations_remind",
    "consultations_answer_tags",
}
