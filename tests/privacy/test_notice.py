"""The school's privacy notice: public (no login), one per school, in the visitor's
language (a guardian's saved one) or in English with a note, the product's template until
the school writes its own, and "what we hold and for how long" from the record kinds the
apps register and the school's retention schedule. The lead edits it per language
(Markdown cleaned of scripts); every page's footer and the invitation emails link to it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from privacy import registry
from privacy.models import PrivacyNotice, RetentionRule
from school.models import Pupil
from tests.factories import GuardianFactory
from tests.parents.test_accounts_invitations import invite, new_guardian


def notice_url(world):
    return reverse("privacy_notice_school", args=[world.school.slug])


def write(world, language, body):
    return PrivacyNotice.objects.create(
        school=world.school,
        language=language,
        body=body,
        updated_by=world.school_admin,
        updated_at=timezone.now(),
    )


@pytest.fixture
def kinds():
    """Two kinds of record an app might register (none are registered in these tests'
    own right: the page shows whatever is)."""
    saved = dict(registry._kinds)
    registry._kinds.clear()
    for key, label, months in (
        ("test_homework", "Homework handed in", 24),
        ("test_misses", "Missed deadlines", 36),
    ):
        registry.register_record_kind(
            registry.RecordKind(
                key=key,
                label=label,
                event="the end of the academic year",
                default_months=months,
                guidance="Test guidance.",
                action="Deleted.",
                due=lambda school, cutoff: Pupil.objects.none(),
                apply=lambda rows: 0,
            )
        )
    yield
    registry._kinds.clear()
    registry._kinds.update(saved)


def test_an_anonymous_visitor_reads_the_schools_notice_in_english(client, world):
    write(world, "en-gb", "### Who we are\n\nTest Academy keeps **homework** records.")

    response = client.get(notice_url(world))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Privacy notice of Test Academy" in page
    assert "<h3>Who we are</h3>" in page and "<strong>homework</strong>" in page
    assert "template notice" not in page and "shown in English" not in page


def test_a_polish_visitor_reads_the_polish_text_and_falls_back_to_english_with_a_note(
    client, world
):
    write(world, "en-gb", "English words")
    client.cookies["django_language"] = "pl"
    page = client.get(notice_url(world)).content.decode()
    assert "Informacja o prywatności: Test Academy" in page
    assert "English words" in page
    assert "dlatego jest pokazana po angielsku" in page  # the note, in Polish

    write(world, "pl", "Polskie słowa")
    page = client.get(notice_url(world)).content.decode()
    assert "Polskie słowa" in page and "English words" not in page
    assert "po angielsku" not in page


def test_a_guardian_who_reads_urdu_sees_the_urdu_notice_right_to_left(client, world):
    world.guardian.preferred_language = "ur"
    world.guardian.save()
    write(world, "ur", "اسکول کا نوٹس")
    client.force_login(world.parent)

    page = client.get(notice_url(world)).content.decode()

    assert "اسکول کا نوٹس" in page
    assert 'lang="ur" dir="rtl"' in page
    assert "Test Academy کا رازداری کا نوٹس" in page


def test_without_a_text_the_products_template_is_shown_and_said_to_be_one(client, world):
    page = client.get(notice_url(world)).content.decode()
    assert "This is the service's template notice" in page
    assert "This is the product's template notice. Test Academy has not yet written" in page


def test_what_we_hold_lists_each_kind_with_the_schools_period_or_the_proposed_one(
    client, world, kinds
):
    RetentionRule.objects.create(
        school=world.school, kind="test_misses", months=60, confirmed_at=timezone.now()
    )
    RetentionRule.objects.create(
        school=world.other_school, kind="test_homework", months=1, confirmed_at=timezone.now()
    )

    page = client.get(notice_url(world)).content.decode()

    held = page[page.index("What we hold and for how long") :]
    assert "Homework handed in" in held and "Missed deadlines" in held
    homework_row = held[held.index("Homework handed in") : held.index("Missed deadlines")]
    assert "24 months" in homework_row and "proposed, not yet confirmed" in homework_row
    misses_row = held[held.index("Missed deadlines") :]
    assert "60 months" in misses_row and "proposed" not in misses_row.split("</tr>")[0]
    assert "the end of the academic year" in held


def test_what_we_hold_in_polish(client, world, kinds):
    client.cookies["django_language"] = "pl"
    page = client.get(notice_url(world)).content.decode()
    assert "Jakie dane przechowujemy i jak długo" in page
    assert "24 miesiące" in page and "36 miesięcy" in page


def test_an_unknown_school_is_404(client, world):
    assert client.get(reverse("privacy_notice_school", args=["nowhere"])).status_code == 404


def test_the_footer_link_finds_the_visitors_school(client, world):
    # Anonymous: the list of schools.
    page = client.get(reverse("privacy_notice")).content.decode()
    assert notice_url(world) in page
    assert reverse("privacy_notice_school", args=["other"]) in page
    # Staff, pupils and guardians: their own school's notice.
    for user in (world.teacher, world.pupil.user, world.parent):
        client.force_login(user)
        response = client.get(reverse("privacy_notice"))
        assert response.status_code == 302 and response["Location"] == notice_url(world)
    client.force_login(world.other_school_staff)
    assert client.get(reverse("privacy_notice"))["Location"] == reverse(
        "privacy_notice_school", args=["other"]
    )


def test_every_page_has_the_footer_link(client, world):
    assert reverse("privacy_notice") in client.get(reverse("login")).content.decode()
    client.cookies["django_language"] = "pl"
    login_page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("privacy_notice")}">Informacja o prywatności</a>' in login_page
    del client.cookies["django_language"]
    client.force_login(world.teacher)
    assert reverse("privacy_notice") in client.get(reverse("home")).content.decode()


def test_the_lead_writes_the_notice_in_each_language(client, world):
    client.force_login(world.school_admin)
    edit = reverse("privacy_notice_edit")
    page = client.get(edit + "?language=pl").content.decode()
    assert "has not yet written its own" in page  # the template, to adapt

    response = client.post(edit, {"language": "pl", "body": "## Kim jesteśmy\n\nSzkoła."})

    assert response.status_code == 302
    assert response["Location"] == edit + "?language=pl"
    notice = PrivacyNotice.objects.get(school=world.school, language="pl")
    assert notice.body == "## Kim jesteśmy\n\nSzkoła." and notice.updated_by == world.school_admin
    assert "Kim jesteśmy" in client.get(edit + "?language=pl").content.decode()
    client.post(edit, {"language": "pl", "body": "Nowe słowa"})
    assert PrivacyNotice.objects.get(school=world.school, language="pl").body == "Nowe słowa"
    assert PrivacyNotice.objects.filter(school=world.other_school).count() == 0


def test_bad_input_re_renders_with_errors_and_saves_nothing(client, world):
    client.force_login(world.school_admin)
    edit = reverse("privacy_notice_edit")
    response = client.post(edit, {"language": "pl", "body": "   "})
    assert response.status_code == 400
    assert "a privacy notice cannot be empty" in response.content.decode()
    response = client.post(edit, {"language": "fr", "body": "Bonjour"})
    assert response.status_code == 400
    assert "Choose English, Polish or Urdu." in response.content.decode()
    response = client.post(edit, {"language": "en-gb", "body": "x" * 20_001})
    assert "The notice is too long" in response.content.decode()
    assert not PrivacyNotice.objects.exists()


def test_scripts_and_styles_are_taken_out_of_the_notice(client, world):
    client.force_login(world.school_admin)
    body = (
        'Hello <script>alert("x")</script><img src=x onerror="alert(1)">'
        '<a href="javascript:alert(2)">click</a> [ok](https://ico.org.uk)'
    )
    client.post(reverse("privacy_notice_edit"), {"language": "en-gb", "body": body})
    client.logout()

    page = client.get(notice_url(world)).content.decode()
    article = page[page.index("<article") : page.index("</article>")]
    assert "<script" not in article and "onerror" not in article and "<img" not in article
    assert "javascript:" not in article
    assert '<a href="https://ico.org.uk" rel="noopener noreferrer nofollow">ok</a>' in article


def test_another_schools_lead_edits_only_their_own_notice(client, world):
    client.force_login(world.other_school_staff)
    assert client.get(reverse("privacy_notice_edit") + "?school=test").status_code == 404
    client.post(reverse("privacy_notice_edit"), {"language": "en-gb", "body": "Ours"})
    assert PrivacyNotice.objects.get().school == world.other_school
    client.force_login(world.teacher)
    assert client.get(reverse("privacy_notice_edit")).status_code == 404


def test_the_invitation_email_links_to_the_schools_notice(
    client, world, django_capture_on_commit_callbacks
):
    guardian = new_guardian(world, email="grace@example.org")
    invite(client, world.school_admin, guardian, django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    link = "http://testserver" + notice_url(world)
    assert link in message.body
    assert f'href="{link}"' in message.alternatives[0].content
    assert "privacy notice" in message.body


@pytest.mark.parametrize("extra", [0, 30])
def test_the_notice_page_costs_the_same_whatever_is_registered(
    client, world, kinds, extra, django_assert_max_num_queries
):
    for n in range(extra):
        RetentionRule.objects.create(
            school=world.school, kind=f"kind{n}", months=12, confirmed_at=timezone.now()
        )
    write(world, "en-gb", "Words")
    # the school, its notice (the language and English), its retention periods.
    with django_assert_max_num_queries(3):
        assert client.get(notice_url(world)).status_code == 200
    client.force_login(world.parent)
    # session, user, the guardian's language; then the same three.
    with django_assert_max_num_queries(6):
        assert client.get(notice_url(world)).status_code == 200


@pytest.mark.parametrize("extra", [0, 30])
def test_the_footer_address_and_the_edit_page_cost_a_fixed_number_of_queries(
    client, world, extra, django_assert_max_num_queries
):
    for _n in range(extra):
        GuardianFactory(school=world.school, user=world.parent)
    # The schools' list: count and page.
    with django_assert_max_num_queries(2):
        assert client.get(reverse("privacy_notice")).status_code == 200
    client.force_login(world.parent)
    # session, user, the guardian's language, their first record's school.
    with django_assert_max_num_queries(4):
        assert client.get(reverse("privacy_notice")).status_code == 302
    client.force_login(world.school_admin)
    # session, user, roles, the school, its notices.
    with django_assert_max_num_queries(5):
        assert client.get(reverse("privacy_notice_edit")).status_code == 200


def test_the_footer_link_costs_no_query(client, world, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        html = render_to_string("base.html", request=request)
    # The footer's address needs no school and no user row.
    assert reverse("privacy_notice") in html
