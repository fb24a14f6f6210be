"""Who may open the message pages. The list is for guardians and staff (each sees only
their own threads; pupils get 404); only guardians start a thread; one thread, between the
parent and the form tutor about their child, opens for those two only. Replies are POSTed
to the thread's address: tests/parents/test_messages_access.py checks who may send them."""

from django.urls import reverse
from django.utils import timezone

from parents.models import Message, Thread


def _thread(w):
    now = timezone.now()
    thread = Thread.objects.create(
        school=w.school,
        pupil=w.pupil,
        guardian=w.guardian,
        staff=w.teacher,
        subject="Fractions",
        created_at=now,
        last_message_at=now,
        guardian_read_at=now,
    )
    Message.objects.create(
        school=w.school,
        thread=thread,
        author=w.parent,
        from_guardian=True,
        body="Amara found the fractions hard.",
        sent_at=now,
    )
    return thread


STAFF = {
    "teacher",
    "other_teacher",
    "head_of_year",
    "head_of_house",
    "subject_leader",
    "senior_leader",
    "school_admin",
    "lsa",
    "other_school_staff",
    "other_school_teacher",
}

PAGES = {
    "parents_messages": (
        lambda w: reverse("parents_messages"),
        STAFF | {"parent", "other_parent"},
    ),
    "parents_message_new": (
        lambda w: reverse("parents_message_new"),
        {"parent", "other_parent"},
    ),
    "parents_message_thread": (
        lambda w: reverse("parents_message_thread", args=[_thread(w).pk]),
        {"parent", "teacher"},
    ),
}
