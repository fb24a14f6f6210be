"""Linking a further child: a school admin issues a code for a guardian record (shown once,
on a printable letter; only its hash kept); the parent, logged in, enters it with the
child's date of birth and the record joins their login. Any mismatch gives one message
and changes nothing; five misses an hour and the page stops checking. Removing a link
ends access on the very next request."""

import datetime
import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from parents.models import LinkCode
from school.models import GuardianLink
from tests.factories import GuardianFactory, GuardianLinkFactory, PupilFactory

LINK = reverse("parents_link")
WRONG = "That code and date of birth do not match our records."
CODE = re.compile(r"\b([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})\b")


@pytest.fixture(autouse=True)
def own_cache(settings, request):
    """A cache of this test's own: the attempt counts live in the cache."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }


@pytest.fixture
def trust_child(world):
    """A child at the other school of the trust whose guardian record is the same parent,
    not yet joined to their login."""
    child = PupilFactory(
        tutor_group=world.other_tutor_group,
        first_name="Ife",
        last_name="Okafor",
        date_of_birth=datetime.date(2013, 3, 27),
    )
    guardian = GuardianFactory(school=world.other_school, first_name="Ngozi", last_name="Okafor")
    GuardianLinkFactory(guardian=guardian, pupil=child)
    return child, guardian


def issue(client, actor, guardian):
    client.force_login(actor)
    response = client.post(reverse("parents_guardian_link_code", args=[guardian.pk]))
    assert response.status_code == 200
    client.logout()
    return CODE.search(response.content.decode()).group(1)


def enter(client, user, code, date_of_birth="2013-03-27"):
    client.force_login(user)
    return client.post(LINK, {"code": code, "date_of_birth": date_of_birth})


def test_an_admin_issues_a_code_shown_once_on_a_letter_and_only_its_hash_is_kept(
    client, world, trust_child
):
    child, guardian = trust_child
    client.force_login(world.other_school_staff)
    response = client.post(reverse("parents_guardian_link_code", args=[guardian.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    text = response.content.decode()
    code = CODE.search(text).group(1)
    assert "Ife Okafor" in text and "Adding your child to your Homework account" in text
    assert reverse("parents_link") in text
    link_code = LinkCode.objects.get()
    assert link_code.guardian == guardian and link_code.created_by == world.other_school_staff
    plain = code.replace("-", "")
    assert link_code.code_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert link_code.expires_at - link_code.created_at == datetime.timedelta(days=30)
    assert f"{timezone.localtime(link_code.expires_at):%d/%m/%Y}" in text


def test_the_parent_adds_a_child_at_another_school_with_the_code_and_date_of_birth(
    client, world, trust_child
):
    child, guardian = trust_child
    code = issue(client, world.other_school_staff, guardian)
    client.force_login(world.parent)
    assert client.get(reverse("pupil_detail", args=[child.pk])).status_code == 404
    assert client.get(LINK).status_code == 200

    # Typed in lower case with spaces, the date in UK style: still the same code.
    typed = code.lower().replace("-", " ")
    response = enter(client, world.parent, typed, "27/03/2013")
    assert response.status_code == 302 and response["Location"] == "/parents/"
    guardian.refresh_from_db()
    assert guardian.user == world.parent
    link_code = LinkCode.objects.get()
    assert link_code.used_at is not None and link_code.used_by == world.parent
    # One login, children at both schools.
    for pupil in (child, world.pupil, world.year8_pupil):
        assert client.get(reverse("pupil_detail", args=[pupil.pk])).status_code == 200
    assert "Linked: you can now see Ife Okafor." in [
        str(m) for m in response.wsgi_request._messages
    ]


def unchanged(guardian):
    guardian.refresh_from_db()
    return guardian.user_id is None and not LinkCode.objects.filter(used_at__isnull=False).exists()


@pytest.mark.parametrize(
    ("code", "date_of_birth"),
    [
        ("right", "2013-03-28"),  # wrong date
        ("ABCD-EFGH-JKMN", "2013-03-27"),  # wrong code
    ],
)
def test_a_wrong_code_or_date_gives_one_message_and_changes_nothing(
    client, world, trust_child, code, date_of_birth
):
    child, guardian = trust_child
    right = issue(client, world.other_school_staff, guardian)
    response = enter(client, world.parent, right if code == "right" else code, date_of_birth)
    assert response.status_code == 400
    assert WRONG in response.content.decode()
    assert unchanged(guardian)
    assert client.get(reverse("pupil_detail", args=[child.pk])).status_code == 404


def test_a_used_code_does_not_work_again(client, world, trust_child):
    child, guardian = trust_child
    code = issue(client, world.other_school_staff, guardian)
    assert enter(client, world.parent, code).status_code == 302
    response = enter(client, world.other_parent, code)
    assert response.status_code == 400 and WRONG in response.content.decode()
    guardian.refresh_from_db()
    assert guardian.user == world.parent
    assert client.get(reverse("pupil_detail", args=[child.pk])).status_code == 404


def test_a_code_expires_after_30_days(client, world, trust_child, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    child, guardian = trust_child
    code = issue(client, world.other_school_staff, guardian)
    time_machine.shift(datetime.timedelta(days=30))
    response = enter(client, world.parent, code)
    assert response.status_code == 400 and WRONG in response.content.decode()
    assert unchanged(guardian)


def test_a_new_code_makes_the_earlier_one_stop_working(client, world, trust_child):
    child, guardian = trust_child
    first = issue(client, world.other_school_staff, guardian)
    second = issue(client, world.other_school_staff, guardian)
    assert first != second
    assert enter(client, world.parent, first).status_code == 400
    assert unchanged(guardian)
    assert enter(client, world.parent, second).status_code == 302


def test_a_code_for_a_record_someone_else_has_meanwhile_joins_nothing(client, world, trust_child):
    child, guardian = trust_child
    code = issue(client, world.other_school_staff, guardian)
    guardian.user = world.other_parent
    guardian.save()
    response = enter(client, world.parent, code)
    assert response.status_code == 400 and WRONG in response.content.decode()
    guardian.refresh_from_db()
    assert guardian.user == world.other_parent


def test_no_code_for_a_record_that_has_a_login(client, world):
    client.force_login(world.school_admin)
    response = client.post(reverse("parents_guardian_link_code", args=[world.guardian.pk]))
    assert response.status_code == 302
    assert not LinkCode.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "already has a login" in page


def test_a_code_of_the_wrong_shape_is_explained_and_not_counted(client, world, trust_child):
    child, guardian = trust_child
    client.force_login(world.parent)
    for _ in range(6):
        response = client.post(LINK, {"code": "ABC", "date_of_birth": "2013-03-27"})
        assert response.status_code == 400
    assert "The code has 12 letters and numbers" in response.content.decode()
    code = issue(client, world.other_school_staff, guardian)
    assert enter(client, world.parent, code).status_code == 302


def test_five_misses_an_hour_stop_the_checking_with_a_clear_message(
    client, world, trust_child, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    child, guardian = trust_child
    code = issue(client, world.other_school_staff, guardian)
    for _ in range(5):
        assert WRONG in enter(client, world.parent, code, "2013-01-01").content.decode()

    blocked = enter(client, world.parent, code)
    assert blocked.status_code == 400
    assert "Too many codes that did not match" in blocked.content.decode()
    assert unchanged(guardian)
    # Another parent is not held up by this one's misses.
    assert WRONG in enter(client, world.other_parent, code, "2013-01-01").content.decode()

    time_machine.shift(datetime.timedelta(minutes=61))
    assert enter(client, world.parent, code).status_code == 302
    guardian.refresh_from_db()
    assert guardian.user == world.parent


# Removing a link ends access on the next request -----------------------------------------


def test_deleting_the_guardian_link_ends_access_on_the_next_request(client, world):
    client.force_login(world.parent)
    page = reverse("pupil_detail", args=[world.pupil.pk])
    assert client.get(page).status_code == 200
    GuardianLink.objects.filter(guardian=world.guardian, pupil=world.pupil).delete()
    assert client.get(page).status_code == 404
    assert client.get(reverse("pupil_detail", args=[world.year8_pupil.pk])).status_code == 200


def test_clearing_the_guardians_login_ends_access_on_the_next_request(client, world):
    client.force_login(world.parent)
    page = reverse("pupil_detail", args=[world.pupil.pk])
    assert client.get(page).status_code == 200
    world.guardian.user = None
    world.guardian.save()
    assert client.get(page).status_code == 404
    assert client.get(reverse("pupil_detail", args=[world.year8_pupil.pk])).status_code == 404


def test_the_add_a_child_page_has_a_fixed_query_budget(client, world, django_assert_num_queries):
    client.force_login(world.parent)
    # session, user (with any pupil record: the top bar's "a pupil?"), and for the top
    # bar: a guardian? (a parent has no school: no roles to read; the page asks nothing)
    with django_assert_num_queries(3):
        assert client.get(LINK).status_code == 200
