"""A pupil who has left (left_on on or before the school's today) is off the rosters, the
home pages' counts and a parent's list of children, while their own page, with its
history, still opens for whoever could see it, marked as left and with nothing new to do."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PupilFactory


def leave(pupil, *, on=None):
    pupil.left_on = on or timezone.localdate()
    pupil.save(update_fields=["left_on"])


def page(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


ROSTERS = [
    ("teacher", "tutor_group_detail", "tg_7a"),
    ("teacher", "teaching_group_detail", "maths_7"),
    ("head_of_year", "year_group_detail", "y7"),
    ("head_of_house", "house_detail", "house_a"),
]


@pytest.mark.parametrize(("who", "name", "group"), ROSTERS)
def test_a_leaver_drops_off_every_roster_and_its_csv(client, world, who, name, group):
    url = reverse(name, args=[getattr(world, group).pk])
    assert "Okafor" in page(client, getattr(world, who), url)
    leave(world.pupil)

    assert "Amara" not in page(client, getattr(world, who), url)
    rows = list(csv.reader(io.StringIO(page(client, getattr(world, who), url, format="csv"))))
    assert "Amara" not in [row[1] for row in rows[1:]]


def test_a_pupil_leaving_tomorrow_is_still_on_the_roster_today(client, world):
    leave(world.pupil, on=timezone.localdate() + datetime.timedelta(days=1))

    assert "Amara" in page(
        client, world.teacher, reverse("tutor_group_detail", args=[world.tg_7a.pk])
    )


def home_page(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.context["page"]


def test_a_teachers_home_counts_only_pupils_on_roll(client, world):
    leave(world.pupil)

    home = home_page(client, world.teacher)
    assert [(g.name, g.pupil_count) for g in home.tutor_groups] == [("7A", 0)]
    assert [(g.name, g.pupil_count) for g in home.classes] == [("7x/Ma1", 1)]


def test_the_whole_school_counts_and_flags_drop_a_leaver(client, world):
    # Amara (7A) is on free school meals and EAL; Bartek (7B) is neither.
    def year_7():
        years = {y.number: y for y in home_page(client, world.senior_leader).school_years}
        y7 = years[7]
        return y7.pupil_count, y7.free_school_meals, y7.eal

    assert year_7() == (2, 1, 1)
    leave(world.pupil)
    assert year_7() == (1, 0, 0)


def test_a_head_of_house_counts_only_pupils_on_roll(client, world):
    leave(world.year8_pupil)  # Chidi, Year 8 in Brunel with Amara (Year 7)

    (house,) = home_page(client, world.head_of_house).led_houses
    assert house.pupil_count == 1
    assert house.year_counts == [(7, 1)]


def test_a_parent_home_lists_only_children_on_roll(client, world):
    leave(world.pupil)

    home = page(client, world.parent, reverse("home"))
    assert "Chidi Okafor" in home
    assert "Amara Okafor" not in home


@pytest.mark.parametrize("who", ["senior_leader", "teacher", "head_of_year", "parent"])
def test_a_leavers_own_page_still_opens_for_whoever_could_see_it(client, world, who):
    leave(world.pupil, on=datetime.date(2026, 10, 1))

    text = page(client, getattr(world, who), reverse("pupil_detail", args=[world.pupil.pk]))
    assert "Amara Okafor" in text
    assert "Left the school on 01/10/2026" in text


def test_a_leavers_page_offers_no_new_actions(client, world):
    url = reverse("pupil_detail", args=[world.pupil.pk])
    commend = reverse("sanctions_commend", args=[world.pupil.pk])
    assert commend in page(client, world.teacher, url)
    leave(world.pupil)

    assert commend not in page(client, world.teacher, url)


def test_a_leaver_stays_hidden_from_someone_who_never_could_see_them(client, world):
    leave(world.pupil)
    client.force_login(world.other_school_staff)

    response = client.get(reverse("pupil_detail", args=[world.pupil.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "name", "group", "budget"),
    [
        ("teacher", "tutor_group_detail", "tg_7a", 6),
        ("teacher", "teaching_group_detail", "maths_7", 6),
        ("head_of_year", "year_group_detail", "y7", 7),
        ("head_of_house", "house_detail", "house_a", 5),
    ],
)
def test_a_roster_with_leavers_keeps_its_query_budget(
    client, world, django_assert_num_queries, who, name, group, budget
):
    # session, user, roles, the group (+ its staff), the pupils on roll
    leavers = PupilFactory.create_batch(
        12, tutor_group=world.tg_7a, house=world.house_a, left_on=timezone.localdate()
    )
    world.maths_7.pupils.add(*leavers)
    client.force_login(getattr(world, who))
    with django_assert_num_queries(budget):
        response = client.get(reverse(name, args=[getattr(world, group).pk]))
    assert response.status_code == 200
    assert leavers[0].upn not in response.content.decode()
