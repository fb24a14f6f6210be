"""Who may do what in work scrutiny. Senior leaders and school admins: everything of their
school. Subject leaders: rounds that take in one of their subjects (and whole-school
rounds), and in them only the homework of their subjects; they run (draw, close, change)
only rounds within their subjects. Teachers: the reviews of the homework they set.
Governors read the share of homework meeting each criterion in the half-term report and
nothing here: these pages name teachers and judge their work, which is a matter for the
school's leaders, not its governing board. Everyone else, and other schools: 404."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from homework.models import Homework
from school import access
from school.models import RoleAssignment

from ..models import ScrutinyReview, ScrutinyRound, ScrutinySample

Role = RoleAssignment.Role
LEADER_ROLES = (Role.SENIOR_LEADER, Role.SCHOOL_ADMIN, Role.SUBJECT_LEADER)
NOT_FOUND = "Work scrutiny is for the school's senior and subject leaders."


def is_leader(user) -> bool:
    """The menu's rule (no query beyond the person's roles)."""
    return access.has_role(user, *LEADER_ROLES)


def edits_checklist(user) -> bool:
    return access.is_school_wide(user)


def sets_homework(user) -> bool:
    """The "My work scrutiny" link's rule: a teacher's reviews are of homework they set."""
    return access.has_role(user, Role.TEACHER)


def led_subject_ids(user) -> list[int] | None:
    """The subjects whose homework this leader scrutinises: None for all of the school's
    (senior leaders, school admins)."""
    if access.is_school_wide(user):
        return None
    return access.scope_ids(user, Role.SUBJECT_LEADER)


def rounds_visible_to(user) -> QuerySet[ScrutinyRound]:
    if not is_leader(user):
        return ScrutinyRound.objects.none()
    rounds = ScrutinyRound.objects.filter(school_id=user.school_id)
    subject_ids = led_subject_ids(user)
    if subject_ids is None:
        return rounds
    scope = ScrutinyRound.subjects.through.objects.filter(scrutinyround_id=OuterRef("pk"))
    return rounds.filter(Exists(scope.filter(subject_id__in=subject_ids)) | ~Exists(scope))


def samples_visible_to(user) -> QuerySet[ScrutinySample]:
    if not is_leader(user):
        return ScrutinySample.objects.none()
    samples = ScrutinySample.objects.filter(
        school_id=user.school_id, round__in=rounds_visible_to(user)
    )
    subject_ids = led_subject_ids(user)
    if subject_ids is None:
        return samples
    return samples.filter(homework__teaching_group__subject_id__in=subject_ids)


def homework_scope(user) -> Q:
    """Homework rows this leader scrutinises (for a queryset of Homework)."""
    subject_ids = led_subject_ids(user)
    if subject_ids is None:
        return Q(school_id=user.school_id)
    return Q(school_id=user.school_id, teaching_group__subject_id__in=subject_ids)


def may_run(user, round: ScrutinyRound, round_subject_ids: list[int]) -> bool:
    """Draw, close and reopen the round: senior leaders and admins; a subject leader when
    every subject of the round is theirs."""
    subject_ids = led_subject_ids(user)
    if subject_ids is None:
        return True
    return bool(round_subject_ids) and set(round_subject_ids) <= set(subject_ids)


def own_reviews(user) -> QuerySet[ScrutinyReview]:
    """Reviews of the homework this person set: never anyone else's."""
    if not access.is_staff_member(user):
        return ScrutinyReview.objects.none()
    return ScrutinyReview.objects.filter(
        school_id=user.school_id,
        sample__homework__in=Homework.objects.filter(school_id=user.school_id, set_by=user),
    )
