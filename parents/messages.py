"""Message threads between a guardian and their child's form tutor or one of the child's
teachers, one thread per conversation about one child. Each side sees its threads with
unread counts; staff also see how long each thread waited for their reply and their
average over the last 30 days. A reply from staff tells the guardian (only them)."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import (
    Count,
    DateTimeField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.services import email_queue, notification_write
from school import access
from school.calendar import academic_years_for
from school.models import GuardianLink, Pupil, RoleAssignment, TeachingGroup, User

from .models import Message, Thread
from .notices import MESSAGE_REPLY

Role = RoleAssignment.Role
BODY_MAX_LENGTH = 5000
SUBJECT_MAX_LENGTH = Thread._meta.get_field("subject").max_length
THREADS_SHOWN = 100
RESPONSE_WINDOW = datetime.timedelta(days=30)
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


class MessageError(Exception):
    """A request the rules refuse; the message is shown to the person as it is."""


NOT_LINKED_ANY_MORE = gettext_lazy(
    "This child is no longer linked to your account: nothing was sent. Contact the school "
    "if this is a mistake."
)
# Staff pages are in English.
CLOSED_FOR_STAFF = (
    "This parent or carer is no longer linked to the pupil: the conversation is closed and "
    "nothing was sent."
)


# Whom a guardian may write to -------------------------------------------------------------


@dataclass
class StaffChoice:
    user: User
    roles: list = field(default_factory=list)  # "Form tutor", "Maths teacher", ...

    @property
    def label(self) -> str:
        return f"{self.user} ({', '.join(self.roles)})"


def staff_choices(pupil: Pupil, *, today: datetime.date | None = None) -> list[StaffChoice]:
    """The child's form tutors and the teachers of the child's classes this year, active
    staff of the child's school only: two queries."""
    today = today or timezone.localdate()
    choices: dict[int, StaffChoice] = {}
    tutors = (
        RoleAssignment.objects.filter(
            school_id=pupil.school_id,
            role=Role.FORM_TUTOR,
            tutor_group_id=pupil.tutor_group_id,
            user__is_active=True,
            user__school_id=pupil.school_id,
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    for role in tutors:
        choices.setdefault(role.user_id, StaffChoice(role.user)).roles.append(_("form tutor"))
    teaching = (
        TeachingGroup.teachers.through.objects.filter(
            teachinggroup__school_id=pupil.school_id,
            teachinggroup__pupils=pupil,
            teachinggroup__academic_year_id=Subquery(
                academic_years_for(pupil.school_id, today).values("pk")
            ),
            user__is_active=True,
            user__school_id=pupil.school_id,
        )
        .select_related("user", "teachinggroup__subject")
        .order_by("user__last_name", "user__first_name", "user_id", "teachinggroup__subject__name")
    )
    for row in teaching:
        label = _("%(subject)s teacher") % {"subject": row.teachinggroup.subject.name}
        choice = choices.setdefault(row.user_id, StaffChoice(row.user))
        if label not in choice.roles:
            choice.roles.append(label)
    return sorted(choices.values(), key=lambda c: (c.user.last_name, c.user.first_name, c.user.pk))


def duration_text(delta: datetime.timedelta | None) -> str:
    """A duration as people say it: "25 min", "3 h 10 min", "2 days 4 h"."""
    if delta is None:
        return ""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return _("%(m)d min") % {"m": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return _("%(h)d h %(m)d min") % {"h": hours, "m": minutes}
    days, hours = divmod(hours, 24)
    return _("%(d)d days %(h)d h") % {"d": days, "h": hours}


# Reading threads --------------------------------------------------------------------------


def _guardians_threads(user) -> QuerySet[Thread]:
    """A guardian's own threads about the children they are linked to now: once the
    school removes a link, the threads about that child close to them."""
    return Thread.objects.filter(access.still_linked(), guardian__user=user)


def threads_visible_to(user) -> QuerySet[Thread]:
    """A guardian's own threads about their children, and the threads addressed to a
    member of staff at their school. Nobody else's (other families, other staff, pupils,
    other schools, a guardian no longer linked to the child)."""
    if not getattr(user, "is_authenticated", False):
        return Thread.objects.none()
    visible = Q(pk__in=_guardians_threads(user).values("pk"))
    if user.school_id is not None and access.is_staff_member(user):
        visible |= Q(staff=user, school_id=user.school_id)
    return Thread.objects.filter(visible)


def may_use_messages(user) -> bool:
    return access.is_staff_member(user) or access.is_guardian(user)


def _unread(read_field: str, *, from_guardian: bool) -> Coalesce:
    """How many messages from the other side came after this side last read the thread."""
    newer = (
        Message.objects.filter(
            thread=OuterRef("pk"),
            from_guardian=from_guardian,
            sent_at__gt=Coalesce(OuterRef(read_field), Value(EPOCH), output_field=DateTimeField()),
        )
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(newer, output_field=IntegerField()), Value(0))


def _waiting_since() -> Subquery:
    """The guardian's first message after the last staff message: the one awaiting an
    answer (null when staff spoke last)."""
    last_staff = (
        Message.objects.filter(thread=OuterRef(OuterRef("pk")), from_guardian=False)
        .order_by("-sent_at")
        .values("sent_at")[:1]
    )
    first_unanswered = (
        Message.objects.filter(thread=OuterRef("pk"), from_guardian=True)
        .filter(
            sent_at__gt=Coalesce(Subquery(last_staff, output_field=DateTimeField()), Value(EPOCH))
        )
        .order_by("sent_at")
        .values("sent_at")[:1]
    )
    return Subquery(first_unanswered, output_field=DateTimeField())


def _with_details(threads: QuerySet[Thread]) -> QuerySet[Thread]:
    return threads.select_related("pupil__tutor_group", "guardian", "staff")


@dataclass
class ThreadList:
    as_guardian: list = field(default_factory=list)
    as_staff: list = field(default_factory=list)
    unread_as_guardian: int = 0
    unread_as_staff: int = 0
    average_response: datetime.timedelta | None = None
    average_text: str = ""
    responses_counted: int = 0
    children: list = field(default_factory=list)
    is_guardian: bool = False
    is_staff: bool = False
    cut: bool = False


def thread_list(user, *, now: datetime.datetime | None = None) -> ThreadList:
    """The person's threads as a guardian (with unread replies) and as staff (with unread
    messages, how long each waited or took, and their 30-day average), newest first: one
    query per side, one for the guardian's children, one for the staff replies."""
    now = now or timezone.now()
    page = ThreadList(is_guardian=access.is_guardian(user), is_staff=access.is_staff_member(user))
    if page.is_guardian:
        page.children = list(
            access.guardian_links_of(user)
            .filter(access.on_roll(timezone.localdate(now), "pupil"))
            .select_related("pupil")
            .order_by("pupil__last_name", "pupil__first_name", "pupil_id")
        )
        threads = list(
            _with_details(_guardians_threads(user))
            .annotate(unread=_unread("guardian_read_at", from_guardian=False))
            .order_by("-last_message_at", "-pk")[: THREADS_SHOWN + 1]
        )
        page.cut = len(threads) > THREADS_SHOWN
        page.as_guardian = threads[:THREADS_SHOWN]
        page.unread_as_guardian = sum(t.unread for t in page.as_guardian)
    if page.is_staff:
        threads = list(
            _with_details(Thread.objects.filter(school_id=user.school_id, staff=user))
            .annotate(
                unread=_unread("staff_read_at", from_guardian=True),
                waiting_since=_waiting_since(),
            )
            .order_by("-last_message_at", "-pk")[: THREADS_SHOWN + 1]
        )
        page.cut = page.cut or len(threads) > THREADS_SHOWN
        page.as_staff = threads[:THREADS_SHOWN]
        page.unread_as_staff = sum(t.unread for t in page.as_staff)
        since = now - RESPONSE_WINDOW
        replies = staff_replies(
            Q(thread__school_id=user.school_id, thread__staff=user)
            & (Q(thread_id__in=[t.pk for t in page.as_staff]) | Q(sent_at__gte=since))
        )
        latest, recent = {}, []
        for reply in replies:
            latest[reply.thread_id] = reply.response_time  # ordered by sent_at: last wins
            if reply.sent_at >= since:
                recent.append(reply.response_time)
        for thread in page.as_staff:
            thread.response_time = latest.get(thread.pk)
            thread.waited = now - thread.waiting_since if thread.waiting_since else None
            thread.response_text = duration_text(thread.response_time)
            thread.waited_text = duration_text(thread.waited)
        page.responses_counted = len(recent)
        if recent:
            page.average_response = sum(recent, datetime.timedelta()) / len(recent)
            page.average_text = duration_text(page.average_response)
    return page


def staff_replies(condition: Q) -> list[Message]:
    """Staff messages that answered the guardian, each with `asked_at` (the guardian's
    first message since the previous staff message) and `response_time`, oldest first,
    in one query. A staff message that follows another staff message answers nothing."""
    previous_staff = (
        Message.objects.filter(
            thread=OuterRef(OuterRef("thread")),
            from_guardian=False,
            sent_at__lt=OuterRef(OuterRef("sent_at")),
        )
        .order_by("-sent_at")
        .values("sent_at")[:1]
    )
    asked = (
        Message.objects.filter(
            thread=OuterRef("thread"), from_guardian=True, sent_at__lte=OuterRef("sent_at")
        )
        .filter(
            sent_at__gt=Coalesce(
                Subquery(previous_staff, output_field=DateTimeField()), Value(EPOCH)
            )
        )
        .order_by("sent_at")
        .values("sent_at")[:1]
    )
    replies = list(
        Message.objects.filter(condition, from_guardian=False)
        .annotate(asked_at=Subquery(asked, output_field=DateTimeField()))
        .filter(asked_at__isnull=False)
        .order_by("sent_at", "pk")
    )
    for reply in replies:
        reply.response_time = reply.sent_at - reply.asked_at
    return replies


@dataclass
class ThreadPage:
    thread: Thread
    messages: list
    as_guardian: bool
    unread_before: datetime.datetime | None  # messages after this were new to the reader
    response_times: dict = field(default_factory=dict)  # staff message pk -> timedelta


def thread_detail(user, thread_id: int) -> Thread:
    """One thread the person may read, with child, guardian and staff, and whether the
    guardian is still linked to the child (`guardian_linked`: staff read a closed thread
    but cannot answer it). Raises Thread.DoesNotExist otherwise."""
    return (
        _with_details(threads_visible_to(user))
        .annotate(guardian_linked=access.still_linked())
        .get(pk=thread_id)
    )


def thread_page(user, thread: Thread) -> ThreadPage:
    """The thread's messages, oldest first, with each staff reply's response time (from
    the guardian's first message it answered): one query."""
    as_guardian = thread.guardian.user_id == user.pk
    messages = list(thread.messages.select_related("author").order_by("sent_at", "pk"))
    times, asked_at = {}, None
    for message in messages:
        if message.from_guardian:
            asked_at = asked_at or message.sent_at
        elif asked_at is not None:
            times[message.pk] = message.sent_at - asked_at
            asked_at = None
    for message in messages:
        message.response_time = times.get(message.pk)
        message.response_text = duration_text(message.response_time)
    return ThreadPage(
        thread=thread,
        messages=messages,
        as_guardian=as_guardian,
        unread_before=thread.guardian_read_at if as_guardian else thread.staff_read_at,
        response_times=times,
    )


# Services ---------------------------------------------------------------------------------


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise MessageError(_("Write your message."))
    if len(body) > BODY_MAX_LENGTH:
        raise MessageError(
            _("A message can be at most %(limit)d characters.") % {"limit": BODY_MAX_LENGTH}
        )
    return body


@transaction.atomic
def thread_start(
    *,
    user: User,
    link: GuardianLink,
    staff: User,
    subject: str,
    body: str,
    now=None,
) -> Thread:
    """A guardian starts a conversation about their child with the child's form tutor or
    one of their teachers (anyone else is refused)."""
    now = now or timezone.now()
    subject, body = subject.strip(), _clean_body(body)
    if not subject:
        raise MessageError(_("Give your message a subject."))
    if len(subject) > SUBJECT_MAX_LENGTH:
        raise MessageError(
            _("A subject can be at most %(limit)d characters.") % {"limit": SUBJECT_MAX_LENGTH}
        )
    pupil = link.pupil
    if access.guardian_link_hold(guardian_id=link.guardian_id, pupil_id=pupil.pk) is None:
        raise MessageError(NOT_LINKED_ANY_MORE)
    if staff.pk not in {choice.user.pk for choice in staff_choices(pupil)}:
        raise MessageError(
            _("Choose %(name)s's form tutor or one of their teachers.") % {"name": pupil.first_name}
        )
    thread = Thread.objects.create(
        school_id=pupil.school_id,
        pupil=pupil,
        guardian_id=link.guardian_id,
        staff=staff,
        subject=subject,
        created_at=now,
        last_message_at=now,
        guardian_read_at=now,
    )
    Message.objects.create(
        school_id=pupil.school_id,
        thread=thread,
        author=user,
        from_guardian=True,
        body=body,
        sent_at=now,
    )
    _staff_tell(thread, body)
    return thread


def _staff_tell(thread: Thread, body: str) -> None:
    """Email the member of staff a thread is addressed to that a parent has written (after
    commit, through the worker), so nobody has to watch the page for it."""
    if not thread.staff.email or not thread.staff.is_active:
        return
    context = {
        "thread": thread,
        "guardian": thread.guardian,
        "pupil": thread.pupil,
        "body": body,
        "url": settings.SITE_URL.rstrip("/") + reverse("parents_message_thread", args=[thread.pk]),
    }
    with translation.override(settings.LANGUAGE_CODE):  # staff read the school's language
        subject = " ".join(
            render_to_string("parents/email/staff_message_subject.txt", context).split()
        )
        text = render_to_string("parents/email/staff_message.txt", context)
    email_queue(subject=subject, body=text, to=[thread.staff.email])


@transaction.atomic
def message_send(*, author: User, thread: Thread, body: str, as_guardian: bool, now=None):
    """Add a message to the thread from one side. The author has read the thread up to
    now. A reply from staff tells the thread's guardian, and only them, by an outbox row
    written in this transaction."""
    now = now or timezone.now()
    body = _clean_body(body)
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    if access.guardian_link_hold(guardian_id=locked.guardian_id, pupil_id=locked.pupil_id) is None:
        raise MessageError(NOT_LINKED_ANY_MORE if as_guardian else CLOSED_FOR_STAFF)
    message = Message.objects.create(
        school_id=locked.school_id,
        thread=locked,
        author=author,
        from_guardian=as_guardian,
        body=body,
        sent_at=now,
    )
    locked.last_message_at = now
    read_field = "guardian_read_at" if as_guardian else "staff_read_at"
    setattr(locked, read_field, now)
    locked.save(update_fields=["last_message_at", read_field])
    if as_guardian:
        _staff_tell(locked, body)
    else:
        notification_write(
            school_id=locked.school_id,
            guardian_id=locked.guardian_id,
            pupil_id=locked.pupil_id,
            kind=MESSAGE_REPLY,
            context={
                "about": "message",
                "from": str(author),
                "subject": locked.subject,
                "reply": body,
                "path": reverse("parents_message_thread", args=[locked.pk]),
            },
        )
    return message


def thread_mark_read(*, thread: Thread, as_guardian: bool, now=None) -> None:
    """The reader has seen every message so far (one UPDATE, no read of the row)."""
    now = now or timezone.now()
    read_field = "guardian_read_at" if as_guardian else "staff_read_at"
    Thread.objects.filter(pk=thread.pk).update(**{read_field: now})
    setattr(thread, read_field, now)
