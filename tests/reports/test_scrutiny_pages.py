"""Work scrutiny's pages driven as leaders and teachers use them: a round created and its
sample drawn (and drawn again only when asked), a review saved, refused with errors
(nothing saved) and changed until the round closes, the checklist seeded and edited (a
retired criterion stays in past reviews), the teacher's reply, which the reviewer reads."""

import pytest
from django.urls import reverse

from reports.models import (
    ScrutinyCriterion,
    ScrutinyRating,
    ScrutinyReview,
    ScrutinyRound,
    ScrutinySample,
)
from reports.scrutiny import services
from reports.scrutiny.selectors import criteria_of
from tests.reports.scrutiny_fixture import END, START, drawn_ids, new_round, scrutiny_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return scrutiny_school()


def round_post(s, **changes):
    data = {
        "title": "Maths autumn",
        "period_start": START.isoformat(),
        "period_end": END.isoformat(),
        "subjects": [s.maths.pk],
        "sample_by": "teacher",
        "per_group": "2",
    }
    data.update(changes)
    return data


def review_post(criteria, comment="Clear steps; stretch the top set.", **ratings):
    data = {f"criterion_{c.pk}": "met" for c in criteria}
    data.update(ratings)
    data["comment"] = comment
    return data


def drawn_round(s, **kwargs):
    round = new_round(s, **kwargs)
    services.round_draw(round=round, again=False)
    services.criteria_ensure(school_id=s.school.pk)
    return round


def test_a_subject_leader_creates_a_round_of_their_own_departments(client, s):
    client.force_login(s.sam)
    page = client.get(reverse("scrutiny_round_new")).content.decode()
    assert "Maths" in page and "English" not in page
    # The teachers offered are those of the leader's departments.
    assert "Max Berg" in page and "Eve Cole" not in page
    response = client.post(reverse("scrutiny_round_new"), round_post(s))
    round = ScrutinyRound.objects.get(school=s.school)
    assert response.status_code == 302
    assert response["Location"] == reverse("scrutiny_round", args=[round.pk])
    assert list(round.subjects.all()) == [s.maths]
    assert (round.sample_by, round.per_group, round.created_by) == ("teacher", 2, s.sam)
    assert round.drawn_at is None and not round.samples.exists()


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"subjects": []}, "Choose at least one of your departments."),
        ({"subjects": ["ENGLISH"]}, "Choose among the departments listed."),
        ({"period_end": "2026-08-01"}, "The end of the period is before its start."),
        ({"per_group": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"title": " "}, "Give the round a title"),
        ({"teachers": ["EVE"]}, "Choose among the teachers listed."),
    ],
)
def test_a_round_with_a_mistake_is_shown_again_and_nothing_is_created(client, s, changes, error):
    client.force_login(s.sam)
    if changes.get("subjects") == ["ENGLISH"]:
        changes = {"subjects": [s.english.pk]}
    if changes.get("teachers") == ["EVE"]:
        changes = {"teachers": [s.eve.pk]}
    response = client.post(reverse("scrutiny_round_new"), round_post(s, **changes))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The round was not created" in page
    assert error in page.replace("&#x27;", "'")
    assert not ScrutinyRound.objects.exists()


def test_a_senior_leaders_round_may_take_in_the_whole_school(client, s):
    client.force_login(s.sue)
    response = client.post(reverse("scrutiny_round_new"), round_post(s, subjects=[]))
    assert response.status_code == 302
    assert not ScrutinyRound.objects.get().subjects.exists()


def test_the_leader_draws_the_sample_and_the_page_shows_the_same_one_each_time(client, s):
    round = new_round(s, per_group=1)
    client.force_login(s.sue)
    assert (
        "Draw the sample" in client.get(reverse("scrutiny_round", args=[round.pk])).content.decode()
    )
    response = client.post(reverse("scrutiny_round_draw", args=[round.pk]), follow=True)
    assert "Sample drawn: 2 homework." in response.content.decode()
    drawn = drawn_ids(round)

    def sample_table():
        page = client.get(reverse("scrutiny_round", args=[round.pk])).content.decode()
        return page.split("Sampled homework of", 1)[1].split("</table>", 1)[0]

    first = sample_table()
    assert first == sample_table()
    for sample in round.samples.select_related("homework"):
        assert sample.homework.title in first
    assert drawn_ids(round) == drawn


def test_drawing_again_needs_the_box_ticked(client, s):
    round = drawn_round(s, per_group=1)
    seed, drawn = ScrutinyRound.objects.get(pk=round.pk).seed, drawn_ids(round)
    client.force_login(s.sue)
    response = client.post(reverse("scrutiny_round_draw", args=[round.pk]))
    assert response.status_code == 200
    assert "Tick the box to replace the sample." in response.content.decode()
    assert ScrutinyRound.objects.get(pk=round.pk).seed == seed and drawn_ids(round) == drawn
    client.post(reverse("scrutiny_round_draw", args=[round.pk]), {"confirm": "on"})
    assert ScrutinyRound.objects.get(pk=round.pk).seed != seed


def test_the_sampled_homework_shows_its_instructions_attachments_and_marking(client, s):
    round = drawn_round(s, subjects=[s.maths], teachers=[s.max_], per_group=1)
    sample = round.samples.get()
    client.force_login(s.sue)
    page = client.get(reverse("scrutiny_sample", args=[sample.pk])).content.decode()
    assert sample.homework.title in page
    assert "<p>Answer the questions.</p>" in page
    assert "Given to 0 pupils" in page
    assert "Max Berg" in page
    for criterion in criteria_of(s.school.pk):
        assert criterion.name in page


def test_a_review_missing_a_rating_is_refused_and_nothing_is_saved(client, s):
    round = drawn_round(s)
    sample = round.samples.first()
    criteria = criteria_of(s.school.pk)
    data = review_post(criteria)
    del data[f"criterion_{criteria[2].pk}"]
    client.force_login(s.sue)
    response = client.post(reverse("scrutiny_sample", args=[sample.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The review was not saved" in page
    assert f"Rate “{criteria[2].name}”." in page
    assert not ScrutinyReview.objects.exists() and not ScrutinyRating.objects.exists()

    response = client.post(
        reverse("scrutiny_sample", args=[sample.pk]), review_post(criteria, comment="")
    )
    assert "Write a comment for the teacher" in response.content.decode()
    assert not ScrutinyReview.objects.exists()


def test_a_review_is_saved_and_changed_until_the_round_is_closed(client, s):
    round = drawn_round(s)
    sample = round.samples.first()
    criteria = criteria_of(s.school.pk)
    client.force_login(s.sue)
    url = reverse("scrutiny_sample", args=[sample.pk])
    response = client.post(url, review_post(criteria, **{f"criterion_{criteria[1].pk}": "partly"}))
    assert response.status_code == 302
    review = ScrutinyReview.objects.get(sample=sample)
    assert review.reviewer == s.sue
    assert dict(review.ratings.values_list("criterion_id", "rating"))[criteria[1].pk] == "partly"

    client.post(url, review_post(criteria, comment="Better than I said."))
    review.refresh_from_db()
    assert review.comment == "Better than I said."
    assert set(review.ratings.values_list("rating", flat=True)) == {"met"}
    assert review.ratings.count() == len(criteria)

    client.post(reverse("scrutiny_round_close", args=[round.pk]), {"action": "close"})
    response = client.post(url, review_post(criteria, comment="Too late"), follow=True)
    assert "The round is closed" in response.content.decode()
    review.refresh_from_db()
    assert review.comment == "Better than I said."
    assert "Save the review" not in client.get(url).content.decode()

    client.post(reverse("scrutiny_round_close", args=[round.pk]), {"action": "reopen"})
    assert "Save the review" in client.get(url).content.decode()


def test_the_checklist_starts_with_the_defaults_and_leaders_add_to_it(client, s):
    client.force_login(s.sue)
    page = client.get(reverse("scrutiny_checklist")).content.decode()
    for name in [
        "Clear instructions",
        "Matched to the scheme of work",
        "Right length for the time given",
        "Differentiated and accessible to all",
        "Feedback given",
    ]:
        assert name in page
    response = client.post(
        reverse("scrutiny_checklist"),
        {"name": "Homework builds retrieval", "guidance": "", "order": "60", "is_active": "on"},
    )
    assert response.status_code == 302
    assert criteria_of(s.school.pk)[-1].name == "Homework builds retrieval"

    response = client.post(
        reverse("scrutiny_checklist"), {"name": "feedback given", "order": "70", "is_active": "on"}
    )
    assert response.status_code == 200
    assert "already has a criterion named" in response.content.decode()
    assert ScrutinyCriterion.objects.filter(school=s.school).count() == 6


def test_a_subject_leader_reads_the_checklist_but_does_not_change_it(client, s):
    services.criteria_ensure(school_id=s.school.pk)
    criterion = criteria_of(s.school.pk)[0]
    client.force_login(s.sam)
    page = client.get(reverse("scrutiny_checklist")).content.decode()
    assert criterion.name in page and "Add a criterion" not in page
    response = client.post(reverse("scrutiny_checklist"), {"name": "Mine", "order": "1"})
    assert response.status_code == 404
    assert client.get(reverse("scrutiny_criterion", args=[criterion.pk])).status_code == 404
    assert ScrutinyCriterion.objects.filter(school=s.school).count() == 5


def test_retiring_a_criterion_keeps_it_in_past_reviews_and_out_of_new_ones(client, s):
    round = drawn_round(s, per_group=2)
    first, second = round.samples.all()[:2]
    criteria = criteria_of(s.school.pk)
    client.force_login(s.sue)
    client.post(reverse("scrutiny_sample", args=[first.pk]), review_post(criteria))
    retired = criteria[4]
    response = client.post(
        reverse("scrutiny_criterion", args=[retired.pk]),
        {"name": retired.name, "guidance": retired.guidance, "order": retired.order},
    )
    assert response.status_code == 302
    assert not ScrutinyCriterion.objects.get(pk=retired.pk).is_active
    assert ScrutinyRating.objects.filter(criterion=retired).count() == 1

    page = client.get(reverse("scrutiny_sample", args=[second.pk])).content.decode()
    assert f"criterion_{retired.pk}" not in page
    client.post(reverse("scrutiny_sample", args=[second.pk]), review_post(criteria[:4]))
    assert ScrutinyReview.objects.get(sample=second).ratings.count() == 4
    # Editing the first review keeps its rating of the retired criterion.
    client.post(reverse("scrutiny_sample", args=[first.pk]), review_post(criteria[:4]))
    assert ScrutinyReview.objects.get(sample=first).ratings.count() == 5
    page = client.get(reverse("scrutiny_sample", args=[first.pk])).content.decode()
    assert f"Also rated on “{retired.name}” (now retired): Met." in page


def test_the_teacher_replies_and_the_reviewer_reads_the_reply(client, s):
    round = drawn_round(s, subjects=[s.maths], teachers=[s.max_], per_group=1)
    sample = round.samples.get()
    review = services.review_save(
        sample=sample,
        reviewer=s.sam,
        ratings={c.pk: "met" for c in criteria_of(s.school.pk)},
        comment="Good scaffolding.",
    )
    client.force_login(s.max_)
    mine = client.get(reverse("scrutiny_mine")).content.decode()
    assert sample.homework.title in mine and "Not yet" in mine
    url = reverse("scrutiny_reply", args=[review.pk])
    page = client.get(url).content.decode()
    assert "Good scaffolding." in page
    response = client.post(url, {"reply": " "})
    assert response.status_code == 200
    assert "Write your reply to the review." in response.content.decode()
    review.refresh_from_db()
    assert review.reply == "" and review.replied_at is None

    client.post(url, {"reply": "Thanks: I'll add a worked example."})
    review.refresh_from_db()
    assert review.reply == "Thanks: I'll add a worked example." and review.replied_at

    client.force_login(s.sam)
    page = client.get(reverse("scrutiny_sample", args=[sample.pk])).content.decode()
    assert "Thanks: I&#x27;ll add a worked example." in page
    assert "Replied" in client.get(reverse("scrutiny_round", args=[round.pk])).content.decode()


def test_a_teacher_never_sees_anyone_elses_review(client, s):
    round = drawn_round(s, subjects=[s.maths], teachers=[s.max_], per_group=1)
    review = services.review_save(
        sample=round.samples.get(),
        reviewer=s.sam,
        ratings={},
        comment="For Max only.",
    )
    client.force_login(s.mo)
    assert "For Max only" not in client.get(reverse("scrutiny_mine")).content.decode()
    assert client.get(reverse("scrutiny_reply", args=[review.pk])).status_code == 404
    response = client.post(reverse("scrutiny_reply", args=[review.pk]), {"reply": "Hi"})
    assert response.status_code == 404
    assert ScrutinyReview.objects.get(pk=review.pk).reply == ""


def test_a_closed_round_takes_no_reply(client, s):
    round = drawn_round(s, subjects=[s.maths], teachers=[s.max_], per_group=1)
    review = services.review_save(
        sample=round.samples.get(), reviewer=s.sam, ratings={}, comment="Fine."
    )
    services.round_close(round=round, close=True)
    client.force_login(s.max_)
    url = reverse("scrutiny_reply", args=[review.pk])
    response = client.post(url, {"reply": "Late"}, follow=True)
    assert "The round is closed" in response.content.decode()
    assert ScrutinyReview.objects.get(pk=review.pk).reply == ""
    assert ScrutinySample.objects.count() == 1


def test_the_teacher_hears_of_the_first_review_and_the_reviewer_of_the_first_reply(
    client, s, mailoutbox, django_capture_on_commit_callbacks
):
    round = drawn_round(s, subjects=[s.maths], teachers=[s.max_], per_group=1)
    sample = round.samples.get()
    criteria = criteria_of(s.school.pk)
    client.force_login(s.sam)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("scrutiny_sample", args=[sample.pk]), review_post(criteria))
    review = ScrutinyReview.objects.get()
    (email,) = mailoutbox
    assert email.to == [s.max_.email]
    assert (
        email.subject == f"Work scrutiny: your homework “{sample.homework.title}” has been reviewed"
    )
    assert reverse("scrutiny_reply", args=[review.pk]) in email.body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("scrutiny_sample", args=[sample.pk]), review_post(criteria))
    assert len(mailoutbox) == 1  # a changed review is not news

    client.force_login(s.max_)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("scrutiny_reply", args=[review.pk]), {"reply": "Thanks."})
        client.post(reverse("scrutiny_reply", args=[review.pk]), {"reply": "Thanks again."})
    assert len(mailoutbox) == 2
    assert mailoutbox[1].to == [s.sam.email]
    assert mailoutbox[1].subject == "Work scrutiny: Max Berg has replied to your review"
    assert reverse("scrutiny_sample", args=[sample.pk]) in mailoutbox[1].body
