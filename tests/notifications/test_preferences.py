"""Each guardian chooses, per kind, straight away, a daily digest or nothing; detention
and internal exclusion notices always go straight away. The choices are made on a page
of their own, for every guardian record behind the login and nobody else's."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from notifications import registry, services, tasks
from notifications.models import Notification, Preference
from notifications.notices import COMMENDATION
from sanctions.notices import DETENTION_BOOKED, MEETING_CANCELLED
from tests.factories import (
    GuardianFactory,
    GuardianLinkFactory,
    PupilFactory,
    SchoolFactory,
    TutorGroupFactory,
    YearGroupFactory,
)
from tests.test_permissions import PERSONAS, persona

from .helpers import DETENTION, tell
from .permission_rows_preferences import POST_ONLY

Frequency = Preference.Frequency
ALL_KINDS = [kind.code for kind in registry.kinds()]
PAGE = reverse("notification_preferences")


def save_url(guardian):
    return reverse("notification_preferences_save", args=[guardian.pk])


def choose(guardian, **frequencies):
    services.preferences_save(guardian=guardian, frequencies=frequencies)


def statuses():
    return {(n.pupil.first_name, n.kind): n.status for n in Notification.objects.all()}


# Delivery honours the choices -----------------------------------------------------------


def test_a_kind_switched_off_is_skipped_and_never_sent(world, django_capture_on_commit_callbacks):
    choose(world.guardian, commendation=Frequency.OFF)

    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = tell(world.pupil, COMMENDATION, reason="Effort")
    tasks.digests_send.delay()
    tasks.notifications_sweep.delay()

    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SKIPPED
    assert not notification.deliveries.exists()


def test_mandatory_kinds_go_straight_away_whatever_is_stored(
    world, django_capture_on_commit_callbacks
):
    for kind in registry.mandatory_kinds():
        with pytest.raises(ValueError):
            choose(world.guardian, **{kind: Frequency.OFF})
    # Even a row written behind the services' back does not stop a detention notice.
    Preference.objects.create(
        school=world.school, guardian=world.guardian, kind=DETENTION_BOOKED, frequency="off"
    )

    with django_capture_on_commit_callbacks(execute=True):
        tell(world.pupil, DETENTION_BOOKED, **DETENTION)

    assert len(mail.outbox) == 1
    assert statuses() == {("Amara", DETENTION_BOOKED): Notification.Status.SENT}


def test_the_daily_digest_sends_one_email_per_guardian_grouped_by_child(
    world, django_capture_on_commit_callbacks
):
    choose(world.guardian, commendation=Frequency.DIGEST, meeting_cancelled=Frequency.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        tell(world.year8_pupil, COMMENDATION, reason="Algebra effort")
        tell(world.pupil, COMMENDATION, reason="Fractions effort")
        tell(world.pupil, MEETING_CANCELLED, place="Room 4")
        tell(world.classmate, COMMENDATION, reason="Neat work")  # the other family
    (straight_away,) = mail.outbox
    assert straight_away.to == [world.other_guardian.email]
    assert set(statuses().values()) == {Notification.Status.DIGEST, Notification.Status.SENT}

    mail.outbox.clear()
    tasks.digests_send.delay()
    tasks.digests_send.delay()

    (digest,) = mail.outbox
    assert digest.to == [world.guardian.email]
    body = digest.body
    amara, chidi = body.index("== Amara =="), body.index("== Chidi ==")
    assert amara < body.index("Fractions effort") < chidi < body.index("Algebra effort")
    assert amara < body.index("Meeting about Amara cancelled") < chidi
    html = digest.alternatives[0].content
    assert html.index("<h2") < html.index("Amara") < html.index("Fractions effort")
    assert set(statuses().values()) == {Notification.Status.SENT}
    assert Notification.objects.filter(deliveries__digest=True).count() == 3


def test_a_digest_by_text_message_names_the_children(
    world, sms_outbox, django_capture_on_commit_callbacks
):
    world.guardian.notification_channel = "sms"
    world.guardian.save()
    choose(world.guardian, commendation=Frequency.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        tell(world.pupil, COMMENDATION)
        tell(world.year8_pupil, COMMENDATION)

    tasks.digests_send.delay()

    (sms,) = sms_outbox
    assert sms["body"].startswith("Test Academy: 2 updates about Amara, Chidi.")


# The page -------------------------------------------------------------------------------


@pytest.fixture
def second_school_record(world):
    """The same parent is also a guardian at another school of the trust."""
    school = SchoolFactory(name="Second Academy", slug="second")
    tutor_group = TutorGroupFactory(
        school=school, year_group=YearGroupFactory(school=school, number=9), name="9Z"
    )
    guardian = GuardianFactory(school=school, user=world.parent)
    GuardianLinkFactory(
        guardian=guardian, pupil=PupilFactory(tutor_group=tutor_group, first_name="Efe")
    )
    return guardian


def test_a_parent_sees_their_choices_for_each_school(client, world, second_school_record):
    choose(world.guardian, commendation=Frequency.DIGEST)
    client.force_login(world.parent)

    response = client.get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Test Academy" in html and "Second Academy" in html
    assert "Amara, Chidi" in html and "Efe" in html
    forms = {r.guardian.school.name: form for r, form in response.context["sections"]}
    assert list(forms) == ["Second Academy", "Test Academy"]
    assert forms["Test Academy"]["commendation"].value() == Frequency.DIGEST
    assert forms["Second Academy"]["commendation"].value() == Frequency.IMMEDIATELY
    for kind in registry.mandatory_kinds():
        assert kind not in forms["Test Academy"].fields
        assert registry.label_of(kind) in html  # listed as always sent


def test_saving_a_choice_changes_that_record_only(client, world, second_school_record):
    client.force_login(world.parent)
    data = {f"g{world.guardian.pk}-{kind}": Frequency.IMMEDIATELY for kind in ALL_KINDS}
    data[f"g{world.guardian.pk}-weekly_digest"] = Frequency.OFF
    data[f"g{world.guardian.pk}-detention_booked"] = Frequency.OFF  # not a choice: ignored

    response = client.post(save_url(world.guardian), data, follow=True)

    assert response.redirect_chain == [(PAGE, 302)]
    assert "Your choices are saved." in response.content.decode()
    stored = dict(
        Preference.objects.filter(guardian=world.guardian).values_list("kind", "frequency")
    )
    assert stored["weekly_digest"] == Frequency.OFF
    assert "detention_booked" not in stored
    assert not Preference.objects.filter(guardian=second_school_record).exists()


def test_a_bad_choice_rerenders_with_a_message_and_changes_nothing(client, world):
    choose(world.guardian, commendation=Frequency.DIGEST)
    client.force_login(world.parent)
    data = {f"g{world.guardian.pk}-{kind}": Frequency.OFF for kind in ALL_KINDS}
    data[f"g{world.guardian.pk}-commendation"] = "hourly"

    response = client.post(save_url(world.guardian), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was saved" in html and "Choose one of the options in the list." in html
    assert dict(
        Preference.objects.filter(guardian=world.guardian).values_list("kind", "frequency")
    ) == {"commendation": Frequency.DIGEST}


@pytest.mark.parametrize("who", ["teacher", "school_admin", "pupil_user", "other_school_staff"])
def test_people_who_are_not_guardians_get_404(client, world, who):
    user = world.pupil.user if who == "pupil_user" else getattr(world, who)
    client.force_login(user)

    assert client.get(PAGE).status_code == 404
    assert client.post(save_url(world.guardian), {}).status_code == 404


def test_a_parent_cannot_change_another_familys_choices(client, world):
    client.force_login(world.other_parent)
    data = {f"g{world.guardian.pk}-commendation": Frequency.OFF}

    response = client.post(save_url(world.guardian), data)

    assert response.status_code == 404
    assert escape(world.guardian.full_name) not in response.content.decode()
    assert not Preference.objects.exists()


@pytest.mark.parametrize("who", PERSONAS)
def test_the_save_address_answers_get_with_405_to_its_owner_and_404_to_others(
    client, homework_world, who
):
    build_url, allowed = POST_ONLY["notification_preferences_save"]
    url = build_url(homework_world)
    assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(persona(homework_world, who))

    assert client.get(url).status_code == (405 if who in allowed else 404)


def _page_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PAGE)
    assert response.status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_for_one_record_or_many(client, world):
    # session, user, the guardian records with their schools, their children, their
    # choices; the top bar's roles, pupil and guardian checks.
    client.force_login(world.parent)
    one = _page_queries(client)
    assert one <= 9

    for number in range(3):
        school = SchoolFactory(slug=f"trust-{number}")
        tutor_group = TutorGroupFactory(
            school=school, year_group=YearGroupFactory(school=school, number=7)
        )
        guardian = GuardianFactory(school=school, user=world.parent)
        for _ in range(2):
            GuardianLinkFactory(guardian=guardian, pupil=PupilFactory(tutor_group=tutor_group))
        choose(guardian, commendation=Frequency.DIGEST, weekly_digest=Frequency.OFF)

    assert _page_queries(client) == one
