"""The pages `make bench` drives, each with the persona who opens it (the demo school's
logins, school/demo/__init__.py), and the rows their addresses need, read from the
database seed_demo built. Needs Django set up."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from homework.models import Assignment, Homework
from school import access
from school.demo import DEMO_LOGINS, DEMO_SLUG
from school.models import Pupil, RoleAssignment, School, User

# Persona -> the demo login it signs in as. The senior leader is the demo school's admin
# (school admin and senior leader).
PERSONAS = {
    "teacher": DEMO_LOGINS["teacher"],
    "pupil": DEMO_LOGINS["pupil"],
    "parent": DEMO_LOGINS["parent"],
    "head of year": DEMO_LOGINS["headofyear"],
    "senior leader": DEMO_LOGINS["admin"],
}
REFERENCE = "reference page"


class PagesError(Exception):
    """The database lacks what a page needs (not seeded by seed_demo?)."""


@dataclass(frozen=True)
class Page:
    name: str
    persona: str
    url: str


def _user(persona: str) -> User:
    try:
        return User.objects.get(email=PERSONAS[persona])
    except User.DoesNotExist:
        raise PagesError(
            f"No {persona} login {PERSONAS[persona]}: is this a seed_demo database?"
        ) from None


def _first(queryset, what: str):
    row = queryset.first()
    if row is None:
        raise PagesError(f"The demo school has no {what}.")
    return row


def pages_list() -> list[Page]:
    """The reference page first, then each persona's main pages, in the issue's order."""
    if not School.objects.filter(slug=DEMO_SLUG).exists():
        raise PagesError("No demo school: build it with seed_demo first.")
    now = timezone.now()
    teacher, pupil_user, parent = _user("teacher"), _user("pupil"), _user("parent")
    head_of_year = _user("head of year")
    _user("senior leader")

    pupil = _first(Pupil.objects.filter(user=pupil_user), "pupil record for the pupil login")
    # The pupil's latest task that is already due: it has a status and often feedback.
    task = _first(
        Assignment.objects.filter(pupil=pupil, due_at__lte=now).order_by("-due_at", "-pk"),
        "task already due for the pupil login",
    )
    child = _first(
        access.guardian_links_of(parent).order_by("pupil_id").values_list("pupil_id", flat=True),
        "child linked to the parent login",
    )
    # The register of the teacher's latest homework already due: hand-ins, marks, misses.
    register = _first(
        Homework.objects.filter(teaching_group__teachers=teacher, due_at__lte=now)
        .exclude(status=Homework.Status.DRAFT)
        .order_by("-due_at", "-pk"),
        "homework already due for the teacher login",
    )
    years = RoleAssignment.objects.filter(
        user=head_of_year, role=RoleAssignment.Role.HEAD_OF_YEAR
    ).values_list("year_group_id", flat=True)
    # The pupil of their year with the most missed deadlines: the longest timeline.
    timeline = _first(
        Pupil.objects.filter(year_group_id__in=list(years))
        .annotate(missed=Count("misses", filter=Q(misses__academic_year__isnull=False)))
        .order_by("-missed", "pk"),
        "pupil in the head of year's year",
    )
    return [
        Page(REFERENCE, "teacher", reverse("bench_reference")),
        Page("teacher's home /", "teacher", reverse("home")),
        Page("pupil planner", "pupil", reverse("planner")),
        Page("a task (pupil)", "pupil", reverse("planner_task", args=[task.pk])),
        Page("parent overview", "parent", reverse("parents_overview")),
        Page("parent's child page", "parent", reverse("parents_child", args=[child])),
        Page("teacher's /homework/", "teacher", reverse("homework_home")),
        Page("a homework register", "teacher", reverse("homework_register", args=[register.pk])),
        Page(
            "pupil timeline (HoY)", "head of year", reverse("sanctions_pupil", args=[timeline.pk])
        ),
        Page("homework club take-up", "senior leader", reverse("clubs_takeup")),
        Page("homework compliance", "senior leader", reverse("homework_compliance")),
        Page("agreement coverage", "senior leader", reverse("parents_agreement_coverage")),
        Page("sanctions dashboard", "head of year", reverse("sanctions_dashboard")),
        Page("detentions", "head of year", reverse("sanctions_detentions")),
        Page("half-term report", "senior leader", reverse("reports_half_term")),
    ]
