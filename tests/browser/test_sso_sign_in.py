"""Signing in with the school's account in a real browser, against a real OpenID Connect
provider on a loopback port (tests/sso/idp.py): the school admin adds the provider from
the menu's sign-in setup, then a pupil and a teacher each go from the login page to the
school account step, on to the provider's own sign-in and consent pages, and back to
their own home page (the teacher then logs out, of the provider too); the admin then sees
who has linked. Our pages are checked by axe and must log no console error."""

import re

import pytest
from playwright.sync_api import expect

from sso.models import IdentityLink, IdentityProvider
from tests.browser.helpers import follow_menu, log_in_as
from tests.sso.idp import CALLBACK_PATH, LoopbackProvider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def school_idp(tmp_path, live_server):
    idp = LoopbackProvider(
        tmp_path / "idp",
        client_id="homework-browser",
        client_secret="browser-secret",
        redirect_uris=[f"{live_server.url}{CALLBACK_PATH}"],
    ).start()
    idp.person("pupil@test.school", sub="pupil@test.school")
    idp.person("teacher@test.school", sub="teacher@test.school")
    yield idp
    idp.stop()


def quiet_provider_pages(page):
    # The provider's development pages load a web font from the internet, which these
    # machines cannot reach: answer it with an empty stylesheet.
    page.context.route(
        re.compile(r"^https://fonts\.googleapis\.com/.*"),
        lambda route: route.fulfill(status=200, content_type="text/css", body=""),
    )


def sign_in_with_school_account(page, email, check_accessibility):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with your school account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in with your school account")
    check_accessibility(page)
    page.get_by_label("Your school email address").fill(email)
    page.get_by_role("button", name="Continue").click()
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("Sign in with Microsoft")).click()
    # The provider's own pages: its sign-in form, then its consent.
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill("their school password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()


def test_an_admin_sets_up_the_provider_and_a_pupil_and_a_teacher_sign_in_with_it(
    world, new_page, live_server, school_idp, check_accessibility
):
    admin = log_in_as(new_page(), live_server, world.school_admin)
    admin.goto("/")
    follow_menu(admin, "Sign-in setup")
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Test Academy")
    check_accessibility(admin)
    admin.get_by_role("link", name="Add a sign-in service").click()
    expect(admin.get_by_text(f"{live_server.url}{CALLBACK_PATH}")).to_be_visible()
    admin.get_by_label("Kind").select_option(label="Microsoft")
    admin.get_by_label("Label").fill("Microsoft")
    admin.get_by_label("Issuer").fill(school_idp.issuer)
    admin.get_by_label("Client (application) id").fill(school_idp.client_id)
    admin.get_by_label("Client secret").fill(school_idp.client_secret)
    admin.get_by_label("The school's email domains").fill("test.school")
    check_accessibility(admin)
    admin.get_by_role("button", name="Save").click()
    expect(admin.get_by_text("The sign-in service answered as expected")).to_be_visible()
    expect(admin.get_by_role("link", name="Sign in with Microsoft")).to_be_visible()
    check_accessibility(admin)
    provider = IdentityProvider.objects.get(school=world.school)
    assert provider.token_endpoint.startswith(school_idp.issuer)
    assert school_idp.client_secret not in provider.client_secret_encrypted

    pupil = new_page()
    quiet_provider_pages(pupil)
    sign_in_with_school_account(pupil, "pupil@test.school", check_accessibility)
    expect(pupil).to_have_url(re.compile(r"/$"))
    expect(pupil.get_by_role("heading", level=1)).to_have_text(
        f"Hello, {world.pupil.user.first_name}"
    )
    check_accessibility(pupil)

    teacher = new_page()
    quiet_provider_pages(teacher)
    sign_in_with_school_account(teacher, "teacher@test.school", check_accessibility)
    expect(teacher).to_have_url(re.compile(r"/$"))
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Hello, Tess")
    check_accessibility(teacher)
    # On a shared computer: log out here, then out of the school account too.
    teacher.get_by_role("button", name="Log out").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("You are logged out")
    check_accessibility(teacher)
    teacher.get_by_role("link", name="Sign out of Microsoft too").click()
    teacher.get_by_role("button", name="Yes, sign me out").click()
    expect(teacher.get_by_text("Sign-out Success")).to_be_visible()
    teacher.goto("/accounts/login/")
    check_accessibility(teacher)

    linked = set(IdentityLink.objects.values_list("user__email", flat=True))
    assert linked == {"pupil@test.school", "teacher@test.school"}
    admin.goto("/accounts/sso/setup/people/?show=linked")
    table = admin.get_by_role("table")
    expect(table).to_contain_text("pupil@test.school")
    expect(table).to_contain_text("teacher@test.school")
    check_accessibility(admin)
