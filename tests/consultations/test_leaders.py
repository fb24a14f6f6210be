"""Leaders write a consultation, add questions, send it (families told in their language,
by their channel), remind those who have not answered, and publish "you said, we did",
which every family asked sees on their overview. Bad input changes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations import notices, services
from consultations.models import Answer, Consultation, Option, Outcome, Question, Response, Tag
from notifications.channels import notification_render
from notifications.models import Notification
from parents.models import Agreement
from school.models import Guardian

from .conftest import answers_data, consultation_build


def consultation_form(**changes):
    today = timezone.localdate()
    data = {
        "title": "Homework at home",
        "introduction": "How is homework going?",
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=7)).isoformat(),
        "anonymous": "on",
        "title_pl": "Zadania domowe w domu",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_leader_writes_a_draft_in_english_with_a_polish_title(client, world):
    client.force_login(world.senior_leader)
    response = client.post(
        reverse("consultations_new"), consultation_form(year_groups=[world.y7.pk])
    )
    consultation = Consultation.objects.get()
    assert response["Location"] == reverse("consultations_detail", args=[consultation.pk])
    assert consultation.status == Consultation.Status.DRAFT
    assert consultation.translations == {"pl": {"title": "Zadania domowe w domu"}}
    assert list(consultation.year_groups.all()) == [world.y7]
    assert consultation.school == world.school and consultation.created_by == world.senior_leader


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": ""}, "Give it a title."),
        ({"title": "   "}, "Give it a title."),
        ({"opens_on": "31/02/2027"}, "Enter a real date."),
        ({"closes_on": "9999-12-31"}, "Enter a date in the years"),
        ({"opens_on": "2027-01-10", "closes_on": "2027-01-09"}, "It must close on or after"),
        ({"year_groups": ["999999"]}, "Choose year groups from the list."),
        ({"pupil_groups": ["rich"]}, "Choose pupil groups from the list."),
        ({"agreement": "999999"}, "Choose a draft agreement from the list."),
        ({"policy_link": "javascript:alert(1)"}, "Enter a web address"),
        ({"policy_text": "Our policy"}, "Give the policy&#x27;s title."),
        ({"title": "x" * 151}, "at most 150 characters"),
        ({"title_pl": "x" * 151}, "at most 150 characters"),
    ],
)
def test_bad_input_on_the_consultation_form_changes_nothing(client, world, changes, message):
    client.force_login(world.senior_leader)
    response = client.post(reverse("consultations_new"), consultation_form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Consultation.objects.exists()


def test_another_schools_groups_cannot_be_chosen(client, world):
    client.force_login(world.senior_leader)
    response = client.post(
        reverse("consultations_new"), consultation_form(year_groups=[world.other_y7.pk])
    )
    assert "Choose year groups from the list." in response.content.decode()
    assert not Consultation.objects.exists()


def test_a_draft_agreement_can_be_attached_and_parents_read_it_beside_the_questions(client, world):
    agreement = Agreement.objects.create(
        school=world.school,
        academic_year=world.academic_year,
        version=1,
        title="Our agreement 2026",
        school_commitments="Set clear homework.",
        teacher_commitments="Mark it.",
        parent_commitments="Encourage.",
        pupil_commitments="Do it.",
    )
    client.force_login(world.senior_leader)
    client.post(reverse("consultations_new"), consultation_form(agreement=agreement.pk))
    consultation = Consultation.objects.get()
    assert consultation.agreement == agreement
    Consultation.objects.filter(pk=consultation.pk).update(status=Consultation.Status.SENT)
    client.force_login(world.parent)
    html = client.get(reverse("consultations_answer", args=[consultation.pk])).content.decode()
    assert "Our agreement 2026" in html and "Set clear homework." in html


def question_form(**changes):
    data = {"kind": "single", "text": "Do you know the homework?", "options": "Yes\nNo"}
    data.update(changes)
    return data


def test_questions_of_each_kind_with_translated_answers(client, world):
    consultation = consultation_build(world, sent=False)
    client.force_login(world.school_admin)
    url = reverse("consultations_question_add", args=[consultation.pk])
    response = client.post(
        url,
        question_form(
            kind="multiple", options="A club\nGuides", options_pl="Klub\nPoradniki", required="on"
        ),
    )
    assert response.status_code == 302
    question = consultation.questions.order_by("-position").first()
    assert question.kind == "multiple" and question.required and question.position == 5
    assert [(o.text, o.translations) for o in question.options.all()] == [
        ("A club", {"pl": "Klub"}),
        ("Guides", {"pl": "Poradniki"}),
    ]
    client.post(url, question_form(kind="text", options="", text="Anything else?"))
    assert consultation.questions.order_by("-position").first().kind == "text"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"text": ""}, "Write the question."),
        ({"kind": "essay"}, "Choose a kind of question from the list."),
        ({"options": "Only one"}, "Give at least two answers"),
        ({"options": "Same\nSame"}, "Each answer must be different."),
        ({"options_pl": "Tak"}, "Give one answer in Polski for each English answer (2)"),
        ({"kind": "scale", "options": "A\nB"}, "Only single and multiple choice"),
        ({"options": "\n".join(str(n) for n in range(13))}, "Give at most 12 answers."),
    ],
)
def test_bad_input_on_the_question_form_changes_nothing(client, world, changes, message):
    consultation = consultation_build(world, sent=False)
    before = Question.objects.count(), Option.objects.count()
    client.force_login(world.senior_leader)
    response = client.post(
        reverse("consultations_question_add", args=[consultation.pk]), question_form(**changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (Question.objects.count(), Option.objects.count()) == before


def test_a_sent_consultation_cannot_be_changed(client, world, consultation):
    client.force_login(world.senior_leader)
    question = consultation.q[Question.Kind.TEXT]
    client.post(reverse("consultations_question_delete", args=[consultation.pk, question.pk]))
    assert Question.objects.filter(pk=question.pk).exists()
    response = client.post(
        reverse("consultations_question_add", args=[consultation.pk]), question_form()
    )
    assert response.status_code == 302
    assert consultation.questions.count() == 4
    client.post(
        reverse("consultations_edit", args=[consultation.pk]), consultation_form(title="New")
    )
    consultation.refresh_from_db()
    assert consultation.title == "Homework at home"


def test_a_draft_question_can_be_removed(client, world):
    consultation = consultation_build(world, sent=False)
    client.force_login(world.senior_leader)
    question = consultation.q[Question.Kind.TEXT]
    client.post(reverse("consultations_question_delete", args=[consultation.pk, question.pk]))
    assert not Question.objects.filter(pk=question.pk).exists()


def test_sending_tells_each_family_asked_once_in_their_language(client, world, mailoutbox):
    Guardian.objects.filter(pk=world.guardian.pk).update(preferred_language="pl")
    consultation = consultation_build(world, sent=False)
    client.force_login(world.senior_leader)
    url = reverse("consultations_send", args=[consultation.pk])
    assert "2 families" in client.get(url).content.decode()
    refused = client.post(url, {})
    assert "Tick the box to confirm before sending." in refused.content.decode()
    assert not Notification.objects.exists()
    client.post(url, {"confirm": "on"})
    consultation.refresh_from_db()
    assert consultation.is_sent and consultation.sent_by == world.senior_leader
    rows = Notification.objects.filter(kind=notices.CONSULTATION_SENT)
    # The parent has two children asked: one message.
    assert sorted(rows.values_list("guardian_id", flat=True)) == sorted(
        [world.guardian.pk, world.other_guardian.pk]
    )
    polish = notification_render(rows.get(guardian=world.guardian))
    assert "Zadania domowe w domu" in polish.subject
    assert "Szkoła prosi o Twoją opinię" in polish.subject
    english = notification_render(rows.get(guardian=world.other_guardian))
    assert "The school would like your views: Homework at home" in english.subject
    # Sending twice sends nothing more.
    client.post(url, {"confirm": "on"})
    assert rows.count() == 2


def test_a_consultation_without_questions_or_answers_cannot_be_sent(client, world):
    consultation = consultation_build(world, sent=False)
    Option.objects.filter(question=consultation.q[Question.Kind.SINGLE]).exclude(
        text="Always"
    ).delete()
    client.force_login(world.senior_leader)
    response = client.post(reverse("consultations_send", args=[consultation.pk]), {"confirm": "on"})
    assert "Every question needs its answers" in response.content.decode()
    consultation.refresh_from_db()
    assert not consultation.is_sent
    assert not Notification.objects.exists()


def test_reminders_go_to_families_who_have_not_answered_once_in_two_days(
    client, world, consultation
):
    services.response_save(
        consultation=consultation,
        guardian_id=world.guardian.pk,
        answers={consultation.q[Question.Kind.SCALE].pk: "3"},
        language="en-gb",
    )
    client.force_login(world.senior_leader)
    url = reverse("consultations_remind", args=[consultation.pk])
    assert client.get(url).status_code == 405
    client.post(url)
    reminders = Notification.objects.filter(kind=notices.CONSULTATION_REMINDER)
    assert list(reminders.values_list("guardian_id", flat=True)) == [world.other_guardian.pk]
    client.post(url)
    assert reminders.count() == 1


def test_only_leaders_of_the_school_may_remind_remove_or_tag(client, world, consultation):
    draft = consultation_build(world, sent=False)
    question = draft.q[Question.Kind.TEXT]
    response = services.response_save(
        consultation=consultation,
        guardian_id=world.guardian.pk,
        answers={consultation.q[Question.Kind.TEXT].pk: "More clubs"},
        language="en-gb",
    )[0]
    answer = response.answers.get()
    tag = Tag.objects.create(school=world.school, name="Clubs")
    for user in (world.teacher, world.head_of_year, world.parent, world.other_school_staff):
        client.force_login(user)
        assert (
            client.post(reverse("consultations_remind", args=[consultation.pk])).status_code == 404
        )
        assert (
            client.post(
                reverse("consultations_question_delete", args=[draft.pk, question.pk])
            ).status_code
            == 404
        )
        assert (
            client.post(
                reverse("consultations_answer_tags", args=[consultation.pk, answer.pk]),
                {"tags": [tag.pk]},
            ).status_code
            == 404
        )
    assert not Notification.objects.exists()
    assert Question.objects.filter(pk=question.pk).exists()
    assert not answer.tags.exists()


def test_leaders_tag_free_text_answers_with_the_schools_own_tags(client, world, consultation):
    response = services.response_save(
        consultation=consultation,
        guardian_id=world.guardian.pk,
        answers={consultation.q[Question.Kind.TEXT].pk: "More clubs"},
        language="en-gb",
    )[0]
    answer = response.answers.get()
    client.force_login(world.senior_leader)
    assert client.post(reverse("consultations_tags"), {"name": ""}).status_code == 200
    assert not Tag.objects.exists()
    client.post(reverse("consultations_tags"), {"name": "Clubs"})
    tag = Tag.objects.get(school=world.school)
    other_school_tag = Tag.objects.create(school=world.other_school, name="Theirs")
    url = reverse("consultations_answer_tags", args=[consultation.pk, answer.pk])
    client.post(url, {"tags": [other_school_tag.pk]})
    assert not answer.tags.exists()
    client.post(url, {"tags": [tag.pk]})
    assert list(answer.tags.all()) == [tag]
    html = client.get(reverse("consultations_results", args=[consultation.pk])).content.decode()
    assert "More clubs" in html and "checked" in html
    assert "Clubs (1)" in html


def test_you_said_we_did_is_published_told_and_shown_to_every_family_asked(
    client, world, consultation
):
    Guardian.objects.filter(pk=world.guardian.pk).update(preferred_language="pl")
    client.force_login(world.senior_leader)
    url = reverse("consultations_outcome", args=[consultation.pk])
    assert client.post(url, {"text": ""}).status_code == 200
    assert not Outcome.objects.exists()
    client.post(
        url, {"text": "Homework club now runs on Thursdays.", "text_pl": "Klub w czwartki."}
    )
    outcome = Outcome.objects.get()
    assert outcome.translations == {"pl": "Klub w czwartki."}
    told = Notification.objects.filter(kind=notices.CONSULTATION_OUTCOME)
    assert told.count() == 2
    client.force_login(world.parent)
    overview = client.get(reverse("parents_overview")).content.decode()
    assert "Klub w czwartki." in overview
    client.force_login(world.other_parent)
    overview = client.get(reverse("parents_overview")).content.decode()
    assert "Homework club now runs on Thursdays." in overview


def test_a_family_not_asked_sees_nothing_of_it_on_their_overview(client, world):
    consultation = consultation_build(world)
    consultation.year_groups.add(world.y8)
    services.outcome_publish(
        consultation=consultation, text="We changed it.", translations={}, actor=world.senior_leader
    )
    client.force_login(world.other_parent)
    html = client.get(reverse("parents_overview")).content.decode()
    assert "Homework at home" not in html and "We changed it." not in html
    client.force_login(world.parent)
    html = client.get(reverse("parents_overview")).content.decode()
    assert "Homework at home" in html and "We changed it." in html


def test_the_overview_offers_the_answer_until_answered(client, world, consultation):
    client.force_login(world.parent)
    answer_url = reverse("consultations_answer", args=[consultation.pk])
    html = client.get(reverse("parents_overview")).content.decode()
    assert answer_url in html and "Open until" in html
    client.post(answer_url, answers_data(consultation))
    html = client.get(reverse("parents_overview")).content.decode()
    assert "answered, thank you." in html
    assert Response.objects.count() == 1 and Answer.objects.exists()
