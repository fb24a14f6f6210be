"""After the next academic year is started, the take-up report still reads the year just
ended (the summer gap is its), and weighs each club's pupils against the school's pupils
in the club's year groups as they were then: last year's Year 7, now in Year 8, and not
the new Year 7's joiners. The page and its CSV; the query budget."""

import pytest
from django.urls import reverse

from clubs.models import Attendance
from school.models import TutorGroup
from tests.factories import PupilFactory
from tests.mis.rollover_helpers import apply

from .register_helpers import make_club, make_session
from .test_takeup import D, at, shares, takeup_world  # noqa: F401 (the fixture)

TAKEUP = reverse("clubs_takeup")
AUTUMN_1_ROW = "Homework club,Autumn 1,2,3,1.5,2,2,1,50.0,50.0,1,50.0,25.0,1,50.0,25.0,1,50.0,25.0"


@pytest.fixture
def rolled_over(takeup_world):  # noqa: F811
    """The takeup world's 2026/27 started into 2027/28: its Year 7 pupils are in Year 8,
    and a joiner (Pupil Premium) is in the new, empty 7A."""
    world = takeup_world
    apply(world)
    new_7a = TutorGroup.objects.current().get(school=world.school, name="7A")
    PupilFactory(tutor_group=new_7a, pupil_premium=True)
    return world


def test_last_years_take_up_weighs_against_the_year_groups_of_then(client, rolled_over):
    world = rolled_over
    client.force_login(world.head_of_year)
    response = client.get(TAKEUP)
    assert response.context["year"] == world.academic_year
    (result,) = response.context["clubs"]
    assert result.school_pupils == 4  # last year's Year 7: Amara, Bartek, Pia and Priya
    autumn_1, _ = result.half_terms
    assert shares(autumn_1) == {
        "pp": (1, 50.0, 50.0),
        "fsm": (1, 50.0, 25.0),
        "sen": (1, 50.0, 25.0),
        "eal": (1, 50.0, 25.0),
    }
    assert "25.0%" in response.content.decode()

    lines = client.get(TAKEUP, {"format": "csv"}).content.decode("utf-8-sig").splitlines()
    assert lines[1] == AUTUMN_1_ROW
    assert lines[-1] == (
        "Homework club,Year 2026/27,3,5,1.7,3,3,2,66.7,50.0,1,33.3,25.0,1,33.3,25.0,1,33.3,25.0"
    )


def test_a_club_for_every_year_counts_last_years_school_without_the_joiner(client, rolled_over):
    world = rolled_over
    club = make_club(world, name="Art club", years=())
    session = make_session(club, D(2026, 9, 16))
    Attendance.objects.create(
        school=world.school,
        session=session,
        pupil=world.pupil,
        checked_in_at=at(D(2026, 9, 16), 15),
    )
    client.force_login(world.senior_leader)
    art = next(r for r in client.get(TAKEUP).context["clubs"] if r.club.name == "Art club")
    # Years 7 and 8 of 2026/27: the four in Year 7, Chidi and Dana; the new 7A's joiner
    # was not at the school then.
    assert art.school_pupils == 6
    assert shares(art.year)["pp"] == (0, 0.0, 50.0)  # Pia, Priya and Dana of six


@pytest.mark.parametrize("clubs", [1, 3])
def test_last_years_take_up_costs_what_this_years_does(
    client, rolled_over, django_assert_max_num_queries, clubs
):
    world = rolled_over
    for n in range(clubs - 1):
        extra = make_club(world, name=f"Club {n}", years=("y7", "y8"))
        for day in (D(2026, 9, 22), D(2026, 11, 4)):
            Attendance.objects.create(
                school=world.school,
                session=make_session(extra, day),
                pupil=world.classmate,
                checked_in_at=at(day, 15),
            )
    client.force_login(world.head_of_year)
    # As this year's (test_takeup): the placements are read in the pupils' count.
    with django_assert_max_num_queries(11):
        response = client.get(TAKEUP)
    assert len(response.context["clubs"]) == clubs
    assert response.context["clubs"][-1].school_pupils == 4
