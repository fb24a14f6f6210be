"""A unit's links for parents (/homework/units/<id>/resources/): the department (teachers
of a class of that subject and year, and the subject's leaders) adds a title and a secure
https address, and removes a link; anything else re-renders with a clear message and adds
nothing; anyone else answers 404; removing answers POST only."""

import pytest
from django.urls import reverse

from homework.models import SchemeOfWorkUnit, UnitResource


@pytest.fixture
def fractions(world):
    return SchemeOfWorkUnit.objects.create(
        school=world.school, subject=world.maths, year_group=world.y7, title="Fractions"
    )


def add(client, unit, **data):
    return client.post(reverse("units_resources", args=[unit.pk]), data)


@pytest.mark.parametrize("who", ["teacher", "subject_leader"])
def test_the_department_adds_a_link(client, world, fractions, who):
    client.force_login(getattr(world, who))
    response = add(
        client, fractions, title="BBC Bitesize: fractions", url="https://www.bbc.co.uk/bitesize"
    )
    assert response.status_code == 302
    link = UnitResource.objects.get()
    assert (link.title, link.url, link.school_id) == (
        "BBC Bitesize: fractions",
        "https://www.bbc.co.uk/bitesize",
        world.school.pk,
    )
    page = client.get(response["Location"]).content.decode()
    assert "Link added to “Fractions”." in page and "BBC Bitesize: fractions" in page


def test_an_address_without_a_scheme_is_taken_as_https(client, world, fractions):
    client.force_login(world.teacher)
    add(client, fractions, title="Oak", url="www.thenational.academy")
    assert UnitResource.objects.get().url == "https://www.thenational.academy"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "Insecure", "url": "http://example.org"}, "starting with https://"),
        ({"title": "Script", "url": "javascript:alert(1)"}, "Enter a web address"),
        ({"title": "", "url": "https://example.org"}, "Give the link a title"),
        ({"title": "No address", "url": ""}, "Enter the web address."),
        ({"title": "Long", "url": "https://example.org/" + "a" * 500}, "at most 500"),
    ],
)
def test_a_bad_link_re_renders_with_a_message_and_adds_nothing(
    client, world, fractions, data, message
):
    client.force_login(world.teacher)
    response = add(client, fractions, **data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "The link was not added" in page
    assert not UnitResource.objects.exists()


def test_removing_a_link_answers_post_only(client, world, fractions):
    link = UnitResource.objects.create(
        school=world.school, unit=fractions, title="Oak", url="https://example.org"
    )
    client.force_login(world.teacher)
    url = reverse("units_resource_delete", args=[link.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert not UnitResource.objects.exists()


@pytest.mark.parametrize("who", ["other_teacher", "head_of_year", "parent", "other_school_staff"])
def test_no_one_else_adds_or_removes_links(client, world, fractions, who):
    link = UnitResource.objects.create(
        school=world.school, unit=fractions, title="Oak", url="https://example.org"
    )
    client.force_login(getattr(world, who))
    assert add(client, fractions, title="X", url="https://x.org").status_code == 404
    assert client.post(reverse("units_resource_delete", args=[link.pk])).status_code == 404
    assert list(UnitResource.objects.all()) == [link]


@pytest.mark.parametrize("rows", [1, 8])
def test_the_page_query_budget_does_not_grow_with_links(
    client, world, fractions, django_assert_num_queries, rows
):
    for number in range(rows):
        UnitResource.objects.create(
            school=world.school, unit=fractions, title=f"Link {number}", url="https://example.org"
        )
    client.force_login(world.teacher)
    # session, user, roles; the subjects and years of their classes, the unit; its links;
    # a class to go back to.
    with django_assert_num_queries(7):
        response = client.get(reverse("units_resources", args=[fractions.pk]))
    assert response.content.decode().count("Remove<span") == rows
