"""The top bar: each person sees the links their roles let them use, in the same order on
every page (browser tests follow them by name). `school` builds the bar; the apps above it
register their own links (school/navigation.py), so this pins what every persona sees."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.test_permissions import PERSONAS, persona

HOME = ("Home", "home")
GUARDIAN = [
    HOME,
    ("My children", "parents_overview"),
    ("Agreement", "parents_agreement"),
    ("Notifications", "notification_preferences"),
    ("Weekly sign-off", "parents_signoff"),
    ("Messages", "parents_messages"),
]
SCHOOL_WIDE = [
    ("Compliance", "homework_compliance"),
    ("Homework policy", "homework_policy"),
    ("Sanctions policy", "sanctions_policy"),
    ("Parent accounts", "parents_accounts"),
    ("Consultations", "consultations_list"),
    ("Agreement coverage", "parents_agreement_coverage"),
]
PASTORAL = [
    ("Sanctions", "sanctions_dashboard"),
    ("Detentions", "sanctions_detentions"),
    ("Meetings", "sanctions_meetings"),
]
# (label, url name, args from the world) for each link, in order.
MENUS = {
    "teacher": [
        HOME,
        ("Clubs", "clubs_home"),
        ("Homework", "homework_home"),
        ("Units and dates", "units_home"),
        ("Agreement coverage", "parents_agreement_coverage"),
        ("Meetings", "sanctions_meetings"),
        ("Weekly sign-off", "parents_signoff_tutor"),
        ("Messages", "parents_messages"),
        ("Club rota", "clubs_rota"),
        ("My tutor group", "tutor_group_detail", lambda w: [w.tg_7a.pk]),
        ("My work scrutiny", "scrutiny_mine"),
    ],
    "other_teacher": [
        HOME,
        ("Clubs", "clubs_home"),
        ("Homework", "homework_home"),
        ("Units and dates", "units_home"),
        ("Messages", "parents_messages"),
        ("Club rota", "clubs_rota"),
        ("My work scrutiny", "scrutiny_mine"),
    ],
    "head_of_year": [
        HOME,
        ("Clubs", "clubs_home"),
        ("Agreement coverage", "parents_agreement_coverage"),
        *PASTORAL,
        ("Weekly sign-off", "parents_signoff_tutor"),
        ("Key dates", "key_dates"),
        ("My year", "year_group_detail", lambda w: [w.y7.pk]),
    ],
    "head_of_house": [
        HOME,
        ("Clubs", "clubs_home"),
        *PASTORAL,
        ("My house", "house_detail", lambda w: [w.house_a.pk]),
    ],
    "subject_leader": [
        HOME,
        ("Clubs", "clubs_home"),
        ("Units and dates", "units_home"),
        ("Compliance", "homework_compliance"),
        ("Work scrutiny", "scrutiny_rounds"),
    ],
    "senior_leader": [
        HOME,
        ("Clubs", "clubs_home"),
        *SCHOOL_WIDE,
        *PASTORAL,
        ("Key dates", "key_dates"),
        ("Half-term report", "reports_half_term"),
        ("Work scrutiny", "scrutiny_rounds"),
    ],
    "school_admin": [
        HOME,
        ("Clubs", "clubs_home"),
        *SCHOOL_WIDE,
        ("Key dates", "key_dates"),
        ("Half-term report", "reports_half_term"),
        ("Work scrutiny", "scrutiny_rounds"),
        ("Imports", "mis_imports"),
        ("New academic year", "mis_new_year"),
        ("Sign-in setup", "sso_setup"),
        ("Data protection", "privacy_home"),
        ("School setup", "admin:index"),
    ],
    "lsa": [HOME, ("Clubs", "clubs_home"), ("Club rota", "clubs_rota")],
    "pupil_user": [
        HOME,
        ("My planner", "planner"),
        ("Agreement", "parents_agreement_pupil"),
        ("Clubs", "clubs_home"),
    ],
    "parent": GUARDIAN,
    "other_parent": GUARDIAN,
    # Senior leader, school admin and head of year at once, with the admin site.
    "other_school_staff": [
        HOME,
        ("Clubs", "clubs_home"),
        *SCHOOL_WIDE,
        *PASTORAL,
        ("Weekly sign-off", "parents_signoff_tutor"),
        ("Key dates", "key_dates"),
        ("My year", "year_group_detail", lambda w: [w.other_y7.pk]),
        ("Half-term report", "reports_half_term"),
        ("Work scrutiny", "scrutiny_rounds"),
        ("Imports", "mis_imports"),
        ("New academic year", "mis_new_year"),
        ("Sign-in setup", "sso_setup"),
        ("Data protection", "privacy_home"),
        ("School setup", "admin:index"),
    ],
    "other_school_teacher": [
        HOME,
        ("Clubs", "clubs_home"),
        ("Homework", "homework_home"),
        ("Units and dates", "units_home"),
        ("Agreement coverage", "parents_agreement_coverage"),
        ("Meetings", "sanctions_meetings"),
        ("Weekly sign-off", "parents_signoff_tutor"),
        ("Messages", "parents_messages"),
        ("Club rota", "clubs_rota"),
        ("My tutor group", "tutor_group_detail", lambda w: [w.other_tutor_group.pk]),
        ("My work scrutiny", "scrutiny_mine"),
    ],
}


def menu_of(client, user, path=None):
    client.force_login(user)
    html = client.get(path or reverse("home")).content.decode()
    menu = html.split('<ul class="nav flex-wrap me-auto">', 1)[1].split("</ul>", 1)[0]
    return [(label, url) for url, label in re.findall(r'href="([^"]+)"[^>]*>([^<]+)</a>', menu)]


def expected(world, items):
    return [
        (label, reverse(name, args=rest[0](world) if rest else None))
        for label, name, *rest in items
    ]


@pytest.mark.parametrize("who", PERSONAS)
def test_each_persona_sees_their_links_in_the_same_order_as_ever(client, world, who):
    assert menu_of(client, persona(world, who)) == expected(world, MENUS[who])


def test_the_menu_is_the_same_on_a_page_of_an_app_above_school(client, world):
    page = reverse("sanctions_meetings")
    assert menu_of(client, world.teacher, page) == expected(world, MENUS["teacher"])


def test_a_guardian_reads_the_menu_in_their_language(client, world):
    world.guardian.preferred_language = "pl"
    world.guardian.save(update_fields=["preferred_language"])

    labels = [label for label, _url in menu_of(client, world.parent)]

    assert labels == ["Strona główna", "Moje dzieci", "Umowa", "Powiadomienia"] + labels[4:]
    assert "Messages" not in labels and "Wiadomości" in labels


# Links the apps above school add to its pages (school/panels.py).


def test_staff_are_offered_to_commend_a_pupil_and_come_back_to_the_page(client, world):
    page = reverse("pupil_detail", args=[world.pupil.pk])
    commend = reverse("sanctions_commend", args=[world.pupil.pk])
    client.force_login(world.teacher)

    html = client.get(page).content.decode()

    assert f'href="{commend}?next=%2Fpupils%2F{world.pupil.pk}%2F"' in html
    assert f'>Commend<span class="visually-hidden"> {escape(world.pupil.full_name)}</span>' in html
    client.force_login(world.parent)
    assert commend not in client.get(page).content.decode()


def test_a_guardians_home_leads_to_their_childrens_pages(client, world):
    client.force_login(world.parent)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("parents_overview")}">Homework, feedback and sanctions' in html

    client.force_login(world.teacher)
    assert "Homework, feedback and sanctions" not in client.get(reverse("home")).content.decode()
