"""The weekly sign-off (the online "homework diary signature", seeds 001 and 002): each
week a guardian confirms, for each child, that they have seen the week's homework, with
an optional comment to the tutor. Form tutors see who has and has not signed in their
group, read the comments and reply once; heads of year read their year's groups. A
comment left unanswered for more than two school days is highlighted."""

import datetime
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homework.models import Assignment, Homework
from notifications.services import notification_write
from school import access
from school.calendar import school_days, week_start
from school.models import (
    GuardianLink,
    Pupil,
    RoleAssignment,
    TutorGroup,
    User,
)

from .models import WeeklySignOff
from .notices import MESSAGE_REPLY

Role = RoleAssignment.Role
COMMENT_MAX_LENGTH = 2000
REPLY_MAX_LENGTH = 2000
OVERDUE_AFTER_SCHOOL_DAYS = 2
EARLIER_WEEKS_SHOWN = 5


class SignOffError(Exception):
    """A request the rules refuse; the message is shown to the person as it is."""


NOT_LINKED_ANY_MORE = gettext_lazy(
    "This child is no longer linked to your account: nothing was saved. Contact the school "
    "if this is a mistake."
)


def _week_bounds(monday: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(monday + datetime.timedelta(days=7), datetime.time.min)
    )
    return start, end


# School days ------------------------------------------------------------------------------


def school_days_between(days: list, after: datetime.date, before: datetime.date) -> int:
    """How many of the sorted `days` lie strictly between the two dates."""
    return max(0, bisect_left(days, before) - bisect_right(days, after))


# The guardian's page ----------------------------------------------------------------------


def homework_title(assignment: Assignment) -> str:
    """The title of the version of the task the pupil is given. Homework has one title for
    both versions, so the alternative version is marked rather than renamed."""
    title = assignment.homework.title
    if assignment.uses_alternative and assignment.homework.has_alternative:
        return _("%(title)s (support version)") % {"title": title}
    return title


@dataclass
class ChildWeek:
    link: GuardianLink
    homework: list = field(default_factory=list)
    sign_off: WeeklySignOff | None = None
    earlier: list = field(default_factory=list)  # earlier weeks' sign-offs with a comment

    @property
    def pupil(self) -> Pupil:
        return self.link.pupil

    @property
    def guardian(self):
        return self.link.guardian


@dataclass
class GuardianWeek:
    week_start: datetime.date
    children: list

    @property
    def week_end(self) -> datetime.date:
        return self.week_start + datetime.timedelta(days=6)


def guardian_links(user) -> QuerySet[GuardianLink]:
    """The person's links to their children on roll, at every school, with pupil and
    guardian (a child who has left has no week to sign off nor teachers to write to)."""
    return (
        access.guardian_links_of(user)
        .filter(access.on_roll(timezone.localdate(), "pupil"))
        .select_related("pupil__school", "pupil__tutor_group", "guardian")
        .order_by("pupil__last_name", "pupil__first_name", "pupil_id")
    )


def guardian_week(user, *, today: datetime.date | None = None) -> GuardianWeek:
    """Each child's homework due this week (Monday to Sunday), this guardian's sign-off
    of it, and their earlier weeks' comments with the tutor's replies: three queries."""
    today = today or timezone.localdate()
    monday = week_start(today)
    start, end = _week_bounds(monday)
    links = list(guardian_links(user))
    pupil_ids = [link.pupil_id for link in links]
    children = {(link.guardian_id, link.pupil_id): ChildWeek(link) for link in links}
    by_pupil = {}
    for child in children.values():
        by_pupil.setdefault(child.link.pupil_id, []).append(child)
    assignments = (
        Assignment.objects.filter(
            pupil_id__in=pupil_ids,
            homework__status=Homework.Status.SET,
            due_at__gte=start,
            due_at__lt=end,
        )
        .select_related("homework__teaching_group__subject")
        .order_by("due_at", "homework__teaching_group__subject__name", "pk")
    )
    for assignment in assignments:
        assignment.title = homework_title(assignment)
        for child in by_pupil.get(assignment.pupil_id, []):
            child.homework.append(assignment)
    earliest = monday - datetime.timedelta(weeks=EARLIER_WEEKS_SHOWN)
    sign_offs = (
        WeeklySignOff.objects.filter(
            guardian_id__in={link.guardian_id for link in links},
            pupil_id__in=pupil_ids,
            week_start__gte=earliest,
            week_start__lte=monday,
        )
        .select_related("replied_by")
        .order_by("-week_start", "pk")
    )
    for sign_off in sign_offs:
        child = children.get((sign_off.guardian_id, sign_off.pupil_id))
        if child is None:
            continue
        if sign_off.week_start == monday:
            child.sign_off = sign_off
        elif sign_off.comment:
            child.earlier.append(sign_off)
    return GuardianWeek(week_start=monday, children=list(children.values()))


def guardian_link_for(user, pupil_id: int) -> GuardianLink:
    """The person's link to this child (raises GuardianLink.DoesNotExist for any other)."""
    link = guardian_links(user).filter(pupil_id=pupil_id).first()
    if link is None:
        raise GuardianLink.DoesNotExist
    return link


# The tutor's page -------------------------------------------------------------------------


def tutor_groups_for_sign_off(user) -> QuerySet[TutorGroup]:
    """The groups whose sign-off the person reads: the groups they tutor and their year's
    groups as head of year, this year's (not those a new year archived). Nobody else's (no
    query: roles are cached)."""
    if not access.is_staff_member(user):
        return TutorGroup.objects.none()
    return (
        TutorGroup.objects.current()
        .filter(school_id=user.school_id)
        .filter(
            Q(pk__in=access.scope_ids(user, Role.FORM_TUTOR))
            | Q(year_group_id__in=access.scope_ids(user, Role.HEAD_OF_YEAR))
        )
        .select_related("year_group")
    )


def may_read_sign_offs(user) -> bool:
    return access.has_role(user, Role.FORM_TUTOR, Role.HEAD_OF_YEAR)


def may_reply(user, pupil: Pupil) -> bool:
    """Only the pupil's form tutor answers comments (heads of year read)."""
    return pupil.school_id == user.school_id and pupil.tutor_group_id in access.scope_ids(
        user, Role.FORM_TUTOR
    )


@dataclass
class PupilRow:
    pupil: Pupil
    sign_offs: list = field(default_factory=list)

    @property
    def signed(self) -> bool:
        return bool(self.sign_offs)


@dataclass
class TutorWeek:
    group: TutorGroup
    week_start: datetime.date
    rows: list
    may_reply: bool

    @property
    def week_end(self) -> datetime.date:
        return self.week_start + datetime.timedelta(days=6)

    @property
    def signed_count(self) -> int:
        return sum(1 for row in self.rows if row.signed)

    @property
    def comments(self) -> list:
        return [s for row in self.rows for s in row.sign_offs if s.comment]

    @property
    def unanswered_count(self) -> int:
        return sum(1 for s in self.comments if not s.reply)

    @property
    def overdue_count(self) -> int:
        return sum(1 for s in self.comments if s.overdue)


def tutor_week(
    user, group: TutorGroup, monday: datetime.date, *, now: datetime.datetime | None = None
) -> TutorWeek:
    """The group's pupils (with how many parents may sign for each), the week's
    sign-offs with who signed and who replied, and the school days that tell which
    comments are overdue: four queries, however big the group."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    pupils = list(
        Pupil.objects.on_roll(today)
        .filter(school_id=group.school_id, tutor_group=group)
        .annotate(parent_count=Count("guardian_links", distinct=True))
        .order_by("last_name", "first_name", "pk")
    )
    rows = {pupil.pk: PupilRow(pupil) for pupil in pupils}
    sign_offs = list(
        WeeklySignOff.objects.filter(
            school_id=group.school_id, pupil__tutor_group=group, week_start=monday
        )
        .select_related("guardian", "replied_by")
        .order_by("signed_at", "pk")
    )
    waiting = [s for s in sign_offs if s.comment and not s.reply]
    first = min((timezone.localdate(s.signed_at) for s in waiting), default=today)
    days = school_days(school_id=group.school_id, start=min(first, today), end=today)
    for sign_off in sign_offs:
        signed_day = timezone.localdate(sign_off.signed_at)
        sign_off.overdue = (
            bool(sign_off.comment)
            and not sign_off.reply
            and school_days_between(days, signed_day, today) >= OVERDUE_AFTER_SCHOOL_DAYS
        )
        if sign_off.pupil_id in rows:
            rows[sign_off.pupil_id].sign_offs.append(sign_off)
    return TutorWeek(
        group=group,
        week_start=monday,
        rows=list(rows.values()),
        may_reply=group.pk in access.scope_ids(user, Role.FORM_TUTOR),
    )


def sign_off_for_reply(user, sign_off_id: int) -> WeeklySignOff:
    """A sign-off of a pupil whose form tutor the person is (raises
    WeeklySignOff.DoesNotExist otherwise, heads of year included: they read)."""
    return WeeklySignOff.objects.select_related("pupil", "guardian").get(
        pk=sign_off_id,
        school_id=user.school_id,
        pupil__tutor_group_id__in=access.scope_ids(user, Role.FORM_TUTOR),
    )


# Services ---------------------------------------------------------------------------------


@transaction.atomic
def sign_off_record(
    *, user: User, link: GuardianLink, comment: str = "", now=None
) -> WeeklySignOff:
    """The guardian has seen this week's homework of the linked child. Once a week: a
    second try is refused with a message and changes nothing."""
    now = now or timezone.now()
    comment = comment.strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise SignOffError(
            _("A comment can be at most %(limit)d characters.") % {"limit": COMMENT_MAX_LENGTH}
        )
    pupil = link.pupil
    if access.guardian_link_hold(guardian_id=link.guardian_id, pupil_id=pupil.pk) is None:
        raise SignOffError(NOT_LINKED_ANY_MORE)
    monday = week_start(timezone.localdate(now))
    done = _("You have already signed off this week's homework for %(name)s.") % {
        "name": pupil.first_name
    }
    if WeeklySignOff.objects.filter(
        pupil_id=pupil.pk, guardian_id=link.guardian_id, week_start=monday
    ).exists():
        raise SignOffError(done)
    try:
        with transaction.atomic():
            return WeeklySignOff.objects.create(
                school_id=pupil.school_id,
                pupil_id=pupil.pk,
                guardian_id=link.guardian_id,
                week_start=monday,
                signed_by=user,
                signed_at=now,
                comment=comment,
            )
    except IntegrityError:  # the same guardian signing in two tabs at once
        raise SignOffError(done) from None


@transaction.atomic
def sign_off_reply(*, actor: User, sign_off: WeeklySignOff, reply: str, now=None):
    """The tutor answers the guardian's comment, once. The guardian who wrote it (only
    they) is told, by an outbox row written in this transaction."""
    now = now or timezone.now()
    reply = reply.strip()
    if not reply:
        raise SignOffError("Write your reply.")
    if len(reply) > REPLY_MAX_LENGTH:
        raise SignOffError(f"A reply can be at most {REPLY_MAX_LENGTH} characters.")
    locked = WeeklySignOff.objects.select_for_update().get(pk=sign_off.pk)
    if access.guardian_link_hold(guardian_id=locked.guardian_id, pupil_id=locked.pupil_id) is None:
        # Nothing about the child goes to someone the school has unlinked from them.
        raise SignOffError(
            f"{locked.guardian.full_name} is no longer linked to {locked.pupil.first_name}: "
            "the reply cannot be sent."
        )
    if not locked.comment:
        raise SignOffError("This sign-off has no comment to reply to.")
    if locked.reply:
        raise SignOffError("This comment has already been answered.")
    locked.reply, locked.replied_by, locked.replied_at = reply, actor, now
    locked.save(update_fields=["reply", "replied_by", "replied_at"])
    notification_write(
        school_id=locked.school_id,
        guardian_id=locked.guardian_id,
        pupil_id=locked.pupil_id,
        kind=MESSAGE_REPLY,
        context={
            "about": "weekly_sign_off",
            "from": str(actor),
            "week_start": locked.week_start.isoformat(),
            "comment": locked.comment,
            "reply": reply,
            "path": reverse("parents_signoff"),
        },
    )
    return locked
