"""Messages between a guardian and their child's form tutor or teachers: starting a thread
(only to the child's tutor and teachers), replies from both sides, unread counts, the
staff's response times, the parent told of a staff reply (only that parent), plain-text
bodies, bad input refused with nothing saved, and the query budgets."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils.html import escape

from notifications.models import Notification
from parents import messages
from parents.models import Message, Thread
from parents.notices import MESSAGE_REPLY
from tests.factories import GuardianFactory, GuardianLinkFactory, PupilFactory, UserFactory

LONDON = ZoneInfo("Europe/London")
LIST = reverse("parents_messages")
NEW = reverse("parents_message_new")


def at(day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """`day` days after Monday 23/11/2026, in London."""
    return datetime.datetime(2026, 11, 23, hour, minute, tzinfo=LONDON) + datetime.timedelta(
        days=day
    )


def page(thread):
    return reverse("parents_message_thread", args=[thread.pk])


def start(w, *, staff_user=None, pupil=None, guardian=None, subject="Fractions", when=None):
    """A thread begun by a guardian with one message, as the service writes it."""
    guardian = guardian or w.guardian
    pupil = pupil or w.pupil
    link = guardian.links.select_related("pupil").get(pupil=pupil)
    return messages.thread_start(
        user=guardian.user,
        link=link,
        staff=staff_user or w.teacher,
        subject=subject,
        body="Amara found the fractions hard.",
        now=when,
    )


def say(thread, author, body, when, *, as_guardian):
    return messages.message_send(
        author=author, thread=thread, body=body, as_guardian=as_guardian, now=when
    )


@pytest.fixture
def monday(world, time_machine):
    time_machine.move_to(at(0), tick=False)
    return world


# Starting a thread ------------------------------------------------------------------------


def test_the_choices_are_the_childs_form_tutor_and_teachers_only(client, monday):
    w = monday
    client.force_login(w.parent)
    response = client.get(NEW, {"pupil": w.pupil.pk})
    assert response.status_code == 200
    choices = {c.user: c.roles for c in response.context["choices"]}
    assert choices == {
        w.teacher: ["form tutor", "Maths teacher"],
        w.other_teacher: ["English teacher"],
    }
    text = response.content.decode()
    assert "Tess Teacher (form tutor, Maths teacher)" in text
    assert escape(w.head_of_year) not in text
    year8 = client.get(NEW, {"pupil": w.year8_pupil.pk}).context["choices"]
    assert [c.user for c in year8] == [w.other_teacher]  # 8A has no tutor


def test_a_guardian_with_several_children_chooses_one_first(client, monday):
    client.force_login(monday.parent)
    response = client.get(NEW)
    assert response.status_code == 200
    assert response.context["link"] is None
    text = response.content.decode()
    assert f"?pupil={monday.pupil.pk}" in text and f"?pupil={monday.year8_pupil.pk}" in text


def test_a_guardian_with_one_child_goes_straight_to_the_form(client, monday):
    client.force_login(monday.other_parent)
    response = client.get(NEW)
    assert response.context["link"].pupil == monday.classmate


def test_a_guardian_starts_a_thread_with_the_tutor(client, monday):
    w = monday
    client.force_login(w.parent)
    response = client.post(
        NEW,
        {
            "pupil": w.pupil.pk,
            "staff": w.teacher.pk,
            "subject": " Fractions ",
            "body": "Amara found question 4 hard.\nCan you help?",
        },
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"] == page(thread)
    assert (thread.pupil, thread.guardian, thread.staff, thread.subject, thread.school) == (
        w.pupil,
        w.guardian,
        w.teacher,
        "Fractions",
        w.school,
    )
    assert thread.created_at == thread.last_message_at == thread.guardian_read_at == at(0)
    assert thread.staff_read_at is None
    message = Message.objects.get()
    assert (message.author, message.from_guardian, message.body) == (
        w.parent,
        True,
        "Amara found question 4 hard.\nCan you help?",
    )
    assert not Notification.objects.exists()  # staff are not told through the parents' outbox


def test_another_teacher_can_be_chosen(client, monday):
    w = monday
    client.force_login(w.parent)
    data = {"pupil": w.pupil.pk, "staff": w.other_teacher.pk, "subject": "Poem", "body": "Hi"}
    assert client.post(NEW, data).status_code == 302
    assert Thread.objects.get().staff == w.other_teacher


@pytest.mark.parametrize(
    "who", ["head_of_year", "senior_leader", "other_school_teacher", "parent", "lsa"]
)
def test_posting_someone_who_is_not_the_childs_tutor_or_teacher_is_refused(client, monday, who):
    w = monday
    client.force_login(w.parent)
    data = {"pupil": w.pupil.pk, "staff": getattr(w, who).pk, "subject": "Hi", "body": "Hi"}
    response = client.post(NEW, data)
    assert response.status_code == 400
    assert "Choose the form tutor or one of the teachers in the list." in (
        response.content.decode()
    )
    assert not Thread.objects.exists() and not Message.objects.exists()


def test_a_teacher_of_another_child_is_refused_for_this_child(client, monday):
    w = monday
    client.force_login(w.parent)
    data = {"pupil": w.year8_pupil.pk, "staff": w.teacher.pk, "subject": "Hi", "body": "Hi"}
    assert client.post(NEW, data).status_code == 400
    assert not Thread.objects.exists()


def test_an_inactive_teacher_is_not_offered(client, monday):
    w = monday
    w.other_teacher.is_active = False
    w.other_teacher.save()
    client.force_login(w.parent)
    choices = client.get(NEW, {"pupil": w.pupil.pk}).context["choices"]
    assert [c.user for c in choices] == [w.teacher]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"subject": "  "}, "Give your message a subject."),
        ({"subject": "x" * 151}, "at most 150 characters"),
        ({"body": "   "}, "Write your message."),
        ({"body": "x" * 5001}, "at most 5000 characters (it has 5001)"),
        ({"staff": ""}, "Choose whom to write to."),
        ({"staff": "abc"}, "Choose the form tutor or one of the teachers in the list."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(client, monday, changes, message):
    w = monday
    client.force_login(w.parent)
    data = {"pupil": w.pupil.pk, "staff": w.teacher.pk, "subject": "Hi", "body": "Hi"} | changes
    response = client.post(NEW, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Thread.objects.exists() and not Message.objects.exists()


def test_another_familys_or_schools_child_answers_404(client, monday):
    w = monday
    client.force_login(w.parent)
    for pupil in (w.classmate, w.other_school_pupil):
        data = {"pupil": pupil.pk, "staff": w.teacher.pk, "subject": "Hi", "body": "Hi"}
        assert client.post(NEW, data).status_code == 404
        assert client.get(NEW, {"pupil": pupil.pk}).status_code == 404
    assert client.get(NEW, {"pupil": "x"}).status_code == 404
    assert not Thread.objects.exists()


# Replies, notifications and unread counts -------------------------------------------------


def test_a_staff_reply_tells_the_guardian_who_wrote_and_no_one_else(client, monday):
    w = monday
    dad = GuardianFactory(school=w.school, user=UserFactory(email="dad@example.org"))
    GuardianLinkFactory(guardian=dad, pupil=w.pupil)  # parental responsibility too
    thread = start(w)
    client.force_login(w.teacher)
    response = client.post(page(thread), {"body": "Let's go over it on Tuesday."})
    assert response.status_code == 302
    reply = Message.objects.get(from_guardian=False)
    assert (reply.author, reply.body, reply.school) == (
        w.teacher,
        "Let's go over it on Tuesday.",
        w.school,
    )
    notification = Notification.objects.get()
    assert (notification.guardian, notification.pupil, notification.kind) == (
        w.guardian,
        w.pupil,
        MESSAGE_REPLY,
    )
    assert notification.context["subject"] == "Fractions"
    assert notification.context["path"] == page(thread)
    thread.refresh_from_db()
    assert thread.last_message_at == thread.staff_read_at == at(0)


def test_a_guardian_reply_tells_nobody_through_the_outbox(client, monday):
    thread = start(monday)
    client.force_login(monday.parent)
    assert client.post(page(thread), {"body": "One more thing."}).status_code == 302
    assert Message.objects.filter(from_guardian=True).count() == 2
    assert not Notification.objects.exists()


@pytest.mark.parametrize("body, message", [("  ", "Write your message."), ("x" * 5001, "5000")])
def test_a_bad_reply_is_refused_and_nothing_sent(client, monday, body, message):
    thread = start(monday)
    client.force_login(monday.teacher)
    response = client.post(page(thread), {"body": body})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Message.objects.count() == 1 and not Notification.objects.exists()


def test_unread_counts_follow_each_side_reading(client, monday, time_machine):
    w = monday
    thread = start(w, when=at(0, 9))
    say(thread, w.parent, "And question 5.", at(0, 9, 30), as_guardian=True)
    client.force_login(w.teacher)
    listing = client.get(LIST).context["page"]
    assert listing.unread_as_staff == 2 and listing.as_staff[0].unread == 2
    assert "2 unread" in client.get(LIST).content.decode()
    client.get(page(thread))  # reading it
    assert client.get(LIST).context["page"].unread_as_staff == 0

    time_machine.move_to(at(0, 11), tick=False)
    client.post(page(thread), {"body": "Come and see me."})
    client.force_login(w.parent)
    listing = client.get(LIST).context["page"]
    assert listing.unread_as_guardian == 1 and listing.as_guardian[0].unread == 1
    thread_page = client.get(page(thread))
    assert "New" in thread_page.content.decode()
    assert client.get(LIST).context["page"].unread_as_guardian == 0


def test_bodies_are_plain_text(client, monday):
    thread = start(monday)
    say(thread, monday.parent, "<script>alert(1)</script>\nThanks", at(0, 11), as_guardian=True)
    client.force_login(monday.teacher)
    text = client.get(page(thread)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Thanks" in text
    assert "<script>alert" not in text


# Response times ---------------------------------------------------------------------------


def test_response_time_runs_from_the_first_unanswered_message_to_the_reply(client, monday):
    w = monday
    thread = start(w, when=at(0, 9))
    say(thread, w.parent, "Also question 5.", at(0, 10), as_guardian=True)
    say(thread, w.teacher, "See me at break.", at(0, 12), as_guardian=False)  # 3 h
    say(thread, w.teacher, "Bring your book.", at(0, 12, 5), as_guardian=False)  # answers nothing
    say(thread, w.parent, "Thank you.", at(1, 8), as_guardian=True)
    say(thread, w.teacher, "You're welcome.", at(1, 9), as_guardian=False)  # 1 h
    other = start(w, subject="Homework club", when=at(-3, 9))
    say(other, w.teacher, "Yes, Tuesdays.", at(-1, 11), as_guardian=False)  # 2 days 2 h
    old = start(w, subject="Last term", when=at(-45, 9))
    say(old, w.teacher, "Done.", at(-44, 9), as_guardian=False)  # 1 day, over 30 days ago

    client.force_login(w.teacher)
    response = client.get(LIST)
    listing = response.context["page"]
    times = {t.subject: t.response_time for t in listing.as_staff}
    assert times == {
        "Fractions": datetime.timedelta(hours=1),
        "Homework club": datetime.timedelta(days=2, hours=2),
        "Last term": datetime.timedelta(days=1),
    }
    assert listing.responses_counted == 3
    assert (
        listing.average_response
        == (
            datetime.timedelta(hours=3) + datetime.timedelta(hours=1) + datetime.timedelta(hours=50)
        )
        / 3
    )
    text = " ".join(response.content.decode().split())
    assert "Your average response time over the last 30 days: 18 h 0 min (3 replies)" in text
    assert "Last reply took 2 days 2 h" in text

    detail = client.get(page(thread)).context["page"]
    assert [m.response_time for m in detail.messages] == [
        None,
        None,
        datetime.timedelta(hours=3),
        None,
        None,
        datetime.timedelta(hours=1),
    ]


def test_a_thread_waiting_for_a_reply_shows_how_long(client, monday, time_machine):
    w = monday
    start(w, when=at(0, 9))
    time_machine.move_to(at(0, 15, 30), tick=False)
    client.force_login(w.teacher)
    response = client.get(LIST)
    assert response.context["page"].as_staff[0].waited == datetime.timedelta(hours=6, minutes=30)
    assert "Waiting 6 h 30 min" in response.content.decode()
    assert "No replies in the last 30 days" in response.content.decode()


# Access -----------------------------------------------------------------------------------


def test_each_side_lists_only_its_own_threads(client, monday):
    w = monday
    mine = start(w)
    theirs = start(w, guardian=w.other_guardian, pupil=w.classmate, subject="Bartek's book")
    to_colleague = start(w, staff_user=w.other_teacher, subject="The poem")
    client.force_login(w.other_parent)
    assert client.get(LIST).context["page"].as_guardian == [theirs]
    client.force_login(w.other_teacher)
    assert client.get(LIST).context["page"].as_staff == [to_colleague]
    client.force_login(w.teacher)
    assert set(client.get(LIST).context["page"].as_staff) == {mine, theirs}
    client.force_login(w.head_of_year)
    listing = client.get(LIST).context["page"]
    assert listing.as_staff == [] and listing.as_guardian == []


@pytest.mark.parametrize(
    "who", ["other_parent", "other_teacher", "head_of_year", "other_school_staff", "lsa"]
)
def test_someone_elses_thread_answers_404_and_takes_no_reply(client, monday, who):
    w = monday
    thread = start(w)
    client.force_login(getattr(w, who))
    response = client.get(page(thread))
    assert response.status_code == 404
    assert "fractions hard" not in response.content.decode()
    assert client.post(page(thread), {"body": "Hello"}).status_code == 404
    assert Message.objects.count() == 1 and not Notification.objects.exists()
    thread.refresh_from_db()
    assert thread.staff_read_at is None


def test_pupils_get_404_everywhere(client, monday):
    thread = start(monday)
    client.force_login(monday.pupil.user)
    for url in (LIST, NEW, page(thread)):
        assert client.get(url).status_code == 404
    assert client.post(page(thread), {"body": "Hi"}).status_code == 404


def test_a_thread_with_a_tutor_at_another_school_is_never_shown_to_a_namesake(client, monday):
    w = monday
    other_pupil_guardian = GuardianFactory(
        school=w.other_school, user=UserFactory(email="zed.parent@example.org")
    )
    GuardianLinkFactory(guardian=other_pupil_guardian, pupil=w.other_school_pupil)
    theirs = start(
        w,
        guardian=other_pupil_guardian,
        pupil=w.other_school_pupil,
        staff_user=w.other_school_teacher,
    )
    client.force_login(w.teacher)
    assert client.get(page(theirs)).status_code == 404
    client.force_login(w.other_school_teacher)
    assert client.get(page(theirs)).status_code == 200


def test_the_messages_link_is_in_guardians_and_teachers_navigation(client, monday):
    for who, shown in (
        ("parent", True),
        ("teacher", True),
        ("other_teacher", True),
        ("lsa", False),
    ):
        client.force_login(getattr(monday, who))
        text = client.get(reverse("home")).content.decode()
        assert (f'href="{LIST}"' in text) is shown, who


# Query budgets ----------------------------------------------------------------------------


def many_threads(w, count):
    threads = []
    for n in range(count):
        pupil = w.pupil if n == 0 else PupilFactory(tutor_group=w.tg_7a)
        guardian = w.guardian
        if n:
            GuardianLinkFactory(guardian=guardian, pupil=pupil)
            w.maths_7.pupils.add(pupil)
        thread = start(w, pupil=pupil, subject=f"Thread {n}", when=at(0, 8))
        say(thread, w.teacher, "Reply", at(0, 9), as_guardian=False)
        say(thread, w.parent, "Thanks", at(0, 9, 30), as_guardian=True)
        threads.append(thread)
    return threads


@pytest.mark.parametrize("count", [1, 7])
def test_the_staff_list_query_budget_does_not_grow_with_threads(
    client, monday, django_assert_num_queries, count
):
    many_threads(monday, count)
    client.force_login(monday.teacher)
    # session, user, roles, guardian record?, the threads with child, parent and unread
    # counts and waiting times, the replies with their response times
    with django_assert_num_queries(6):
        response = client.get(LIST)
    assert len(response.context["page"].as_staff) == count


@pytest.mark.parametrize("count", [1, 7])
def test_the_guardian_list_query_budget_does_not_grow_with_threads(
    client, monday, django_assert_num_queries, count
):
    many_threads(monday, count)
    client.force_login(monday.parent)
    # session, user, guardian record?, the children, the threads with child, staff and
    # unread counts (the navigation's pupil record? comes with the user)
    with django_assert_num_queries(5):
        response = client.get(LIST)
    assert len(response.context["page"].as_guardian) == count


@pytest.mark.parametrize("count", [1, 9])
def test_the_thread_page_query_budget_does_not_grow_with_messages(
    client, monday, django_assert_num_queries, count
):
    thread = start(monday, when=at(0, 8))
    for n in range(count - 1):
        say(thread, monday.teacher, f"Reply {n}", at(0, 9, n), as_guardian=False)
    client.force_login(monday.teacher)
    # session, user, roles, the thread with child, tutor group, parent and staff, its
    # messages with their authors, marking it read
    with django_assert_num_queries(6):
        response = client.get(page(thread))
    assert len(response.context["page"].messages) == count


def test_the_member_of_staff_is_emailed_when_a_parent_writes(
    client, monday, django_capture_on_commit_callbacks, mailoutbox
):
    w = monday
    client.force_login(w.parent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            NEW,
            {
                "pupil": w.pupil.pk,
                "staff": w.teacher.pk,
                "subject": "Fractions",
                "body": "Amara found question 4 hard.",
            },
        )
    thread = Thread.objects.get()
    (first,) = mailoutbox
    assert first.to == [w.teacher.email]
    assert first.subject == "Message from Ngozi Okafor about Amara Okafor: Fractions"
    assert "Amara found question 4 hard." in first.body and page(thread) in first.body

    with django_capture_on_commit_callbacks(execute=True):
        client.post(page(thread), {"body": "One more thing."})
    assert len(mailoutbox) == 2 and "One more thing." in mailoutbox[1].body

    client.force_login(w.teacher)  # the staff's own reply does not email the staff
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page(thread), {"body": "Happy to help."})
    assert not [m for m in mailoutbox[2:] if w.teacher.email in m.to]


def test_the_staff_email_waits_for_the_commit(
    monday, mailoutbox, django_capture_on_commit_callbacks
):
    w = monday
    link = w.guardian.links.select_related("pupil").get(pupil=w.pupil)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        messages.thread_start(
            user=w.parent, link=link, staff=w.teacher, subject="Fractions", body="Hello."
        )
    # The email waits for the commit: nothing has gone while the transaction is open.
    assert callbacks and mailoutbox == []
