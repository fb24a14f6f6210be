"""A guardian answers from their overview: once per guardian, changeable until it closes;
not before it opens nor after it closes; required questions enforced; in their language."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import Answer, Question, Response
from school.models import Guardian

from .conftest import answers_data, consultation_build


def url(consultation):
    return reverse("consultations_answer", args=[consultation.pk])


def test_a_parent_answers_in_one_page_and_sees_thanks(client, world, consultation):
    client.force_login(world.parent)
    page = client.get(url(consultation))
    assert page.status_code == 200
    assert "anonymous" in page.content.decode()
    response = client.post(url(consultation), answers_data(consultation, text="More clubs"))
    assert response.status_code == 302
    assert response["Location"] == reverse("parents_overview")
    saved = Response.objects.get(consultation=consultation)
    assert saved.guardian == world.guardian
    answers = Answer.objects.filter(response=saved)
    assert answers.filter(scale=4).count() == 1
    assert answers.get(text="More clubs").question.kind == Question.Kind.TEXT
    assert answers.filter(option__isnull=False).count() == 2


def test_one_answer_per_guardian_however_many_children_and_changes_replace_it(
    client, world, consultation
):
    # The parent has two children asked: one response, changed in place.
    client.force_login(world.parent)
    client.post(url(consultation), answers_data(consultation, scale="2"))
    first = Response.objects.get(consultation=consultation)
    page = client.get(url(consultation))
    assert "You can change your answers until it closes." in page.content.decode()
    client.post(
        url(consultation), answers_data(consultation, scale="5", multiple=("Guides", "Texts"))
    )
    assert Response.objects.filter(consultation=consultation).count() == 1
    changed = Response.objects.get(consultation=consultation)
    assert changed.pk == first.pk and changed.updated_at >= first.updated_at
    assert list(
        Answer.objects.filter(response=changed, scale__isnull=False).values_list("scale", flat=True)
    ) == [5]
    assert Answer.objects.filter(response=changed, option__isnull=False).count() == 3


def test_required_questions_are_enforced_and_nothing_is_saved(client, world, consultation):
    client.force_login(world.parent)
    data = answers_data(consultation, single="", scale="")
    page = client.post(url(consultation), data)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Please answer this question: it is required." in html
    assert "Nothing was saved." in html
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "field, value",
    [("single", "999999"), ("scale", "6"), ("scale", "abc"), ("text", "x" * 2001)],
)
def test_bad_answers_are_refused_with_a_message(client, world, consultation, field, value):
    client.force_login(world.parent)
    q = consultation.q
    data = answers_data(consultation)
    key = {"single": Question.Kind.SINGLE, "scale": Question.Kind.SCALE, "text": Question.Kind.TEXT}
    data[f"q{q[key[field]].pk}"] = value
    page = client.post(url(consultation), data)
    assert page.status_code == 200
    assert "Nothing was saved." in page.content.decode()
    assert not Response.objects.exists()


def test_an_option_of_another_question_is_refused(client, world, consultation):
    client.force_login(world.parent)
    data = answers_data(consultation)
    other = consultation.q[Question.Kind.MULTIPLE].options.first()
    data[f"q{consultation.q[Question.Kind.SINGLE].pk}"] = str(other.pk)
    assert client.post(url(consultation), data).status_code == 200
    assert not Response.objects.exists()


def test_before_it_opens_nothing_can_be_answered(client, world):
    consultation = consultation_build(world, opens_in=2, closes_in=9)
    client.force_login(world.parent)
    page = client.get(url(consultation))
    assert "you cannot answer yet" in page.content.decode()
    assert "Send my answers" not in page.content.decode()
    response = client.post(url(consultation), answers_data(consultation))
    assert response.status_code == 409
    assert "Nothing was saved." in response.content.decode()
    assert not Response.objects.exists()


def test_after_it_closes_nothing_can_be_answered_or_changed(client, world):
    consultation = consultation_build(world, opens_in=-5, closes_in=-1)
    scale = consultation.q[Question.Kind.SCALE]
    services.response_save(
        consultation=consultation,
        guardian_id=world.guardian.pk,
        answers={scale.pk: "3"},
        language="en-gb",
        now=timezone.now() - timedelta(days=2),
    )
    client.force_login(world.parent)
    response = client.post(url(consultation), answers_data(consultation, scale="1"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "answers can no longer be given or changed" in html and "Nothing was saved." in html
    assert list(Answer.objects.filter(scale__isnull=False).values_list("scale", flat=True)) == [3]
    with pytest.raises(services.ConsultationError):
        services.response_save(
            consultation=consultation,
            guardian_id=world.guardian.pk,
            answers={},
            language="en-gb",
        )


def test_it_is_open_all_of_its_closing_day(client, world):
    consultation = consultation_build(world, closes_in=0)
    client.force_login(world.parent)
    assert client.post(url(consultation), answers_data(consultation)).status_code == 302


def test_a_parent_not_asked_gets_404(client, world):
    consultation = consultation_build(world)
    consultation.year_groups.add(world.y8)  # the other parent's child is in year 7
    client.force_login(world.other_parent)
    assert client.get(url(consultation)).status_code == 404
    assert client.post(url(consultation), answers_data(consultation)).status_code == 404
    assert not Response.objects.exists()


def test_a_draft_is_not_open_to_anyone(client, world):
    consultation = consultation_build(world, sent=False)
    client.force_login(world.parent)
    assert client.get(url(consultation)).status_code == 404


def test_staff_and_other_schools_get_404(client, world, consultation):
    for user in (world.senior_leader, world.teacher, world.other_school_staff, world.pupil.user):
        client.force_login(user)
        assert client.get(url(consultation)).status_code == 404


def test_the_parent_reads_it_in_polish_with_english_where_the_school_wrote_none(
    client, world, consultation
):
    Guardian.objects.filter(pk=world.guardian.pk).update(preferred_language="pl")
    client.force_login(world.parent)
    html = client.get(url(consultation), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "Zadania domowe w domu" in html
    assert "Czy znasz zadania?" in html and "Zawsze" in html
    # No Polish written for the scale question and one option: the English is shown.
    assert "How manageable is it?" in html and "Rarely" in html
    # The page's own words are Polish too.
    assert "Twoje odpowiedzi są anonimowe" in html
    page = client.post(url(consultation), answers_data(consultation, single=""))
    assert "Prosimy odpowiedzieć na to pytanie" in page.content.decode()


def test_urdu_readers_see_the_english_where_the_school_wrote_no_urdu(client, world, consultation):
    Guardian.objects.filter(pk=world.guardian.pk).update(preferred_language="ur")
    client.force_login(world.parent)
    html = client.get(url(consultation)).content.decode()
    assert "Homework at home" in html and "Do you know the homework?" in html


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"
)
@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_give_one_response(world):
    consultation = consultation_build(world)
    data = {
        consultation.q[Question.Kind.SCALE].pk: "2",
        consultation.q[Question.Kind.SINGLE].pk: consultation.q[Question.Kind.SINGLE]
        .options.first()
        .pk,
    }
    start = threading.Barrier(8)
    errors, created = [], []

    def submit(point):
        try:
            start.wait()
            _response, new = services.response_save(
                consultation=consultation,
                guardian_id=world.guardian.pk,
                answers={**data, consultation.q[Question.Kind.SCALE].pk: str(point)},
                language="en-gb",
            )
            created.append(new)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(1 + n % 5,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert created.count(True) == 1 and created.count(False) == 7
    response = Response.objects.get(consultation=consultation, guardian=world.guardian)
    # One whole set of answers: the last submission's, never a mixture.
    assert Answer.objects.filter(response=response, scale__isnull=False).count() == 1
    assert Answer.objects.filter(response=response, option__isnull=False).count() == 1
