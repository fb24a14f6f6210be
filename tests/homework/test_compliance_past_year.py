"""After the next academic year is started (here in November, for the test), the
compliance report still reads the year running today: last year's classes, archived,
each in its own year group of then, not their copies of the new year, on the page and in
its CSV; the register of an archived class's homework still opens. Nothing needed fixing
here (a class keeps its year group when archived); these tests keep it so."""

import pytest
from django.urls import reverse

from homework.services.compliance import policy_defaults_create
from tests.mis.rollover_helpers import apply

from .test_compliance_report import URL, WEDNESDAYS, csv_rows, make_homework, today  # noqa: F401


@pytest.fixture
def rolled_over(world, today):  # noqa: F811
    policy_defaults_create(school=world.school)
    world.homework_7 = make_homework(world.maths_7, WEDNESDAYS[0])
    make_homework(world.maths_8, WEDNESDAYS[1])
    apply(world, copy_teaching_groups=True)  # 8x/Ma1 and 9x/Ma1 of 2027/28 as copies
    return world


def test_last_years_classes_are_reported_in_their_year_groups_of_then(
    client, rolled_over, django_assert_max_num_queries
):
    world = rolled_over
    client.force_login(world.subject_leader)
    with django_assert_max_num_queries(8):  # as this year's (test_compliance_report)
        response = client.get(URL)
    assert response.status_code == 200
    groups = response.context["report"].groups
    assert [(row.group.name, row.group.year_group.number) for row in groups] == [
        ("7x/Ma1", 7),
        ("8x/Ma1", 8),
    ]
    assert all(row.group.archived_on for row in groups)
    assert "9x/Ma1" not in response.content.decode()
    rows = csv_rows(client.get(URL, {"format": "csv"}))
    assert [row[1:4] for row in rows[1:]] == [["7x/Ma1", "7", "KS3"], ["8x/Ma1", "8", "KS3"]]


def test_an_archived_classs_register_still_opens(client, rolled_over):
    world = rolled_over
    client.force_login(world.teacher)
    response = client.get(reverse("homework_register", args=[world.homework_7.pk]))
    assert response.status_code == 200
    assert "7x/Ma1 · Maths · Year 7" in " ".join(response.content.decode().split())
