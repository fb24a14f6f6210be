"""A consultation end to end in a real browser, in English and Polish: a senior leader
writes it in English with the school's Polish, adds a question and sends it; a
Polish-speaking parent answers it on a phone from their overview, in Polish; the leader
reads the results and publishes "you said, we did", which the parent then sees on their
overview. Every page is checked by axe and must log no console error."""

import pytest
from playwright.sync_api import expect

from consultations.models import Answer, Consultation, Outcome, Response
from notifications.models import Notification
from school.models import Guardian
from tests.browser.helpers import follow_menu, log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 360


def no_sideways_scroll(page):
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE, f"the page is {width}px wide on a {PHONE}px phone"


def test_a_consultation_in_english_and_polish_from_writing_to_you_said_we_did(
    world, new_page, live_server, check_accessibility
):
    Guardian.objects.filter(pk=world.guardian.pk).update(preferred_language="pl")

    # The leader writes it.
    leader = log_in_as(new_page(), live_server, world.senior_leader)
    leader.goto("/")
    follow_menu(leader, "Consultations")
    expect(leader.get_by_role("heading", level=1)).to_have_text("Consultations")
    check_accessibility(leader)
    leader.get_by_role("link", name="New consultation").click()
    check_accessibility(leader)
    leader.locator("#id_title").fill("Homework at home")
    leader.locator("#id_introduction").fill("Tell us how homework works for your family.")
    leader.locator("#id_title_pl").fill("Zadania domowe w domu")
    leader.locator("#id_introduction_pl").fill("Powiedz nam, jak idą zadania domowe.")
    leader.get_by_role("button", name="Save draft").click()
    expect(leader.get_by_role("heading", level=1)).to_have_text("Homework at home")
    expect(leader.get_by_text("Add at least one question.")).to_be_visible()
    check_accessibility(leader)

    leader.get_by_role("link", name="Add a question").click()
    check_accessibility(leader)
    leader.locator("#id_kind").select_option(label="Single choice")
    leader.locator("#id_text").fill("Do you know what homework your child has?")
    leader.locator("#id_required").check()
    leader.locator("#id_options").fill("Always\nSometimes")
    leader.locator("#id_text_pl").fill("Czy wiesz, jakie zadania ma Twoje dziecko?")
    leader.locator("#id_options_pl").fill("Zawsze\nCzasami")
    leader.get_by_role("button", name="Add the question").click()
    expect(leader.get_by_text("Question added.")).to_be_visible()

    leader.get_by_role("link", name="Send to families").click()
    expect(leader.locator("main")).to_contain_text("2 families")
    check_accessibility(leader)
    leader.get_by_label("I have checked the questions").check()
    leader.get_by_role("button", name="Send to families").click()
    expect(leader.get_by_text("Sent: 2 families were told.")).to_be_visible()
    consultation = Consultation.objects.get()
    assert consultation.is_sent
    assert Notification.objects.filter(guardian=world.guardian).count() == 1

    # The Polish-speaking parent answers on a phone, from their overview.
    parent = log_in_as(new_page(width=PHONE, height=740), live_server, world.parent)
    parent.goto("/")
    follow_menu(parent, "Moje dzieci")
    panel = parent.get_by_role("region", name="Szkoła prosi o Twoją opinię")
    expect(panel).to_contain_text("Zadania domowe w domu")
    no_sideways_scroll(parent)
    check_accessibility(parent)
    panel.get_by_role("link", name="Odpowiedz").click()
    expect(parent.get_by_role("heading", level=1)).to_have_text("Zadania domowe w domu")
    expect(parent.locator("main")).to_contain_text("Twoje odpowiedzi są anonimowe")
    no_sideways_scroll(parent)
    check_accessibility(parent)
    # Sending nothing: the required question is asked for, in Polish.
    parent.get_by_role("button", name="Wyślij moje odpowiedzi").click()
    expect(parent.get_by_text("Prosimy odpowiedzieć na to pytanie")).to_be_visible()
    assert not Response.objects.exists()
    check_accessibility(parent)
    parent.get_by_label("Zawsze").check()
    parent.get_by_role("button", name="Wyślij moje odpowiedzi").click()
    expect(parent.get_by_text("Dziękujemy: Twoje odpowiedzi zostały zapisane.")).to_be_visible()
    expect(parent.locator("main")).to_contain_text("odpowiedziano, dziękujemy.")
    response = Response.objects.get()
    assert response.guardian == world.guardian and response.language == "pl"
    assert Answer.objects.get().option.text == "Always"

    # The leader reads the results and says what changed.
    leader.get_by_role("link", name="Results").first.click()
    expect(leader.get_by_role("heading", level=1)).to_contain_text("Results: Homework at home")
    expect(leader.locator("main")).to_contain_text("1 of 2")
    expect(leader.get_by_role("row", name="Always")).to_contain_text("100%")
    expect(leader.locator("main")).not_to_contain_text(world.guardian.last_name)
    check_accessibility(leader)
    leader.get_by_role("link", name="Back").click()
    leader.get_by_role("link", name="Publish “you said, we did”").click()
    check_accessibility(leader)
    leader.locator("#id_text").fill("We now send a weekly homework summary by text message.")
    leader.locator("#id_text_pl").fill("Teraz wysyłamy cotygodniowe podsumowanie zadań SMS-em.")
    leader.get_by_role("button", name="Publish and tell families").click()
    expect(leader.get_by_text("Published: every family asked can see it")).to_be_visible()
    assert Outcome.objects.count() == 1

    # The parent sees it on their overview, in Polish.
    parent.goto("/parents/")
    panel = parent.get_by_role("region", name="Szkoła prosi o Twoją opinię")
    expect(panel).to_contain_text("Wasze zdanie, nasze działania")
    expect(panel).to_contain_text("Teraz wysyłamy cotygodniowe podsumowanie zadań SMS-em.")
    no_sideways_scroll(parent)
    check_accessibility(parent)
