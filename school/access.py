"""Who may see what. Every view scopes its querysets through these helpers, so the rules
live in one place: a teacher sees their classes and tutees, a head of year or house their
year or house, senior leaders and school admins their school, a guardian their own
children, a pupil themselves, and nobody anything at another school.

Each helper returns a lazy queryset built from subqueries, so using one costs one query
however many roles the person holds (the person's roles are read once per request).

Leavers: a pupil whose `left_on` has come is off the roll. `pupils_visible_to` still
answers for them, so that history reached from an old object (a homework, a miss, a
message) opens for whoever could see it; every list, register, count and new write also
asks `on_roll` (or `Pupil.objects.on_roll(day)`) with the school's date."""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from . import models
from .models import (
    GuardianLink,
    House,
    Pupil,
    RoleAssignment,
    TeachingGroup,
    TutorGroup,
    YearGroup,
)
from .placements import placed_this_year

Role = RoleAssignment.Role
SCHOOL_WIDE_ROLES = {Role.SENIOR_LEADER, Role.SCHOOL_ADMIN}


def on_roll(day: date, pupil: str = "") -> Q:
    """Rows whose pupil is on the school's roll on `day` (the school's date: inside a
    request `timezone.localdate()`); `pupil` is the path to the pupil from the rows
    filtered ("pupil", "sanction__pupil"), empty for pupils themselves. The one rule of
    `Pupil.objects.on_roll`, for querysets of other models."""
    return models.on_roll(day, pupil)


def roles_of(user) -> list[RoleAssignment]:
    """The user's role assignments at their own school, read once per request."""
    if not getattr(user, "is_authenticated", False) or user.school_id is None:
        return []
    cached = getattr(user, "_role_assignments", None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user, school_id=user.school_id))
        user._role_assignments = cached
    return cached


def has_role(user, *roles) -> bool:
    return any(assignment.role in roles for assignment in roles_of(user))


# Roles that only read the reports (reports/): a governor (their school's) and a trust
# leader (their trust's schools side by side, and the school they are assigned at).
REPORT_ONLY_ROLES = {Role.GOVERNOR, Role.TRUST_LEADER}


def trust_schools_of(user) -> QuerySet[models.School]:
    """The schools whose reports a trust leader reads besides the one they are assigned at:
    those of its trust (itself included). None for anyone else, or a school in no trust."""
    if not has_role(user, Role.TRUST_LEADER):
        return models.School.objects.none()
    return models.School.objects.filter(
        trust_id__isnull=False,
        trust_id=models.School.objects.filter(pk=user.school_id).order_by().values("trust_id")[:1],
    )


def is_staff_member(user) -> bool:
    """Holds a role that works in the school; a governor or trust leader only reads the
    reports (reports/), so such a role alone opens no staff page, list or menu."""
    return any(assignment.role not in REPORT_ONLY_ROLES for assignment in roles_of(user))


def is_school_wide(user) -> bool:
    return has_role(user, *SCHOOL_WIDE_ROLES)


def is_data_protection_lead(user) -> bool:
    """Answers for the school's data-protection duties (privacy/): its data protection
    lead, and its school admins, who hold the role without being given it."""
    return has_role(user, Role.DATA_PROTECTION_LEAD, Role.SCHOOL_ADMIN)


def is_pupil(user) -> bool:
    return getattr(user, "is_authenticated", False) and hasattr(user, "pupil")


def is_guardian(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_is_guardian", None)
    if cached is None:
        cached = user.guardian_records.exists()
        user._is_guardian = cached
    return cached


def scope_ids(user, role) -> list[int]:
    field = RoleAssignment.SCOPE_FIELD[role]
    return [getattr(a, f"{field}_id") for a in roles_of(user) if a.role == role]


def guardian_links_of(user) -> QuerySet[GuardianLink]:
    """The login's links to children as they stand now (one per guardian record and
    child, at any school). Every parent-facing read or write about a child is scoped by
    this or by `still_linked`, so a link the school removes closes everything about that
    child at once: pages, threads, signatures, sign-offs."""
    if not getattr(user, "is_authenticated", False):
        return GuardianLink.objects.none()
    return GuardianLink.objects.filter(guardian__user=user)


def still_linked(guardian_ref: str = "guardian_id", pupil_ref: str = "pupil_id") -> Exists:
    """For a row a guardian record holds about a child (a thread, a signature, a
    sign-off): whether that record is linked to that child now."""
    return Exists(
        GuardianLink.objects.filter(
            guardian_id=OuterRef(guardian_ref), pupil_id=OuterRef(pupil_ref)
        )
    )


def guardian_link_hold(*, guardian_id: int, pupil_id: int) -> GuardianLink | None:
    """The link between a guardian record and a child, locked until the caller's
    transaction ends, so that it cannot be removed half-way through a write that relies
    on it; None when there is none (any more)."""
    return (
        GuardianLink.objects.select_for_update()
        .filter(guardian_id=guardian_id, pupil_id=pupil_id)
        .first()
    )


def pupils_visible_to(user) -> QuerySet[Pupil]:
    if not getattr(user, "is_authenticated", False):
        return Pupil.objects.none()
    visible = Q(pk__in=guardian_links_of(user).values("pupil_id"))
    if user.school_id is not None:
        if is_school_wide(user):
            visible |= Q(school_id=user.school_id)
        elif is_staff_member(user):
            visible |= _staff_pupils(user)
        visible |= Q(user=user, school_id=user.school_id)
    return Pupil.objects.filter(visible)


def _staff_pupils(user) -> Q:
    taught_groups = TeachingGroup.objects.filter(school_id=user.school_id).filter(
        Q(teachers=user) | Q(subject_id__in=scope_ids(user, Role.SUBJECT_LEADER))
    )
    return Q(school_id=user.school_id) & (
        Q(pk__in=taught_groups.values("pupils"))
        | Q(tutor_group_id__in=scope_ids(user, Role.FORM_TUTOR))
        | Q(year_group_id__in=scope_ids(user, Role.HEAD_OF_YEAR))
        | Q(house_id__in=scope_ids(user, Role.HEAD_OF_HOUSE))
        | placed_this_year(
            user.school_id,
            timezone.localdate(),
            year_group_ids=scope_ids(user, Role.HEAD_OF_YEAR),
            tutor_group_ids=scope_ids(user, Role.FORM_TUTOR),
        )
    )


def teaching_groups_visible_to(user) -> QuerySet[TeachingGroup]:
    """Classes whose roster this member of staff may open. Pupils and parents see their
    own classes through `teaching_groups_of_pupil`, never a class list."""
    if not is_staff_member(user):
        return TeachingGroup.objects.none()
    groups = TeachingGroup.objects.filter(school_id=user.school_id)
    if is_school_wide(user):
        return groups
    return groups.filter(
        Q(
            pk__in=TeachingGroup.teachers.through.objects.filter(user=user).values(
                "teachinggroup_id"
            )
        )
        | Q(subject_id__in=scope_ids(user, Role.SUBJECT_LEADER))
        | Q(year_group_id__in=scope_ids(user, Role.HEAD_OF_YEAR))
    )


def tutor_groups_visible_to(user) -> QuerySet[TutorGroup]:
    if not is_staff_member(user):
        return TutorGroup.objects.none()
    groups = TutorGroup.objects.filter(school_id=user.school_id)
    if is_school_wide(user):
        return groups
    return groups.filter(
        Q(pk__in=scope_ids(user, Role.FORM_TUTOR))
        | Q(year_group_id__in=scope_ids(user, Role.HEAD_OF_YEAR))
    )


def year_groups_visible_to(user) -> QuerySet[YearGroup]:
    if not is_staff_member(user):
        return YearGroup.objects.none()
    years = YearGroup.objects.filter(school_id=user.school_id)
    if is_school_wide(user):
        return years
    return years.filter(pk__in=scope_ids(user, Role.HEAD_OF_YEAR))


def houses_visible_to(user) -> QuerySet[House]:
    if not is_staff_member(user):
        return House.objects.none()
    houses = House.objects.filter(school_id=user.school_id)
    if is_school_wide(user):
        return houses
    return houses.filter(pk__in=scope_ids(user, Role.HEAD_OF_HOUSE))
