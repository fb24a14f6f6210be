"""Houses and subjects from CSV: added, renamed, unchanged, the same file twice, bad rows,
and another school's houses and subjects never touched."""

import pytest

from mis.kinds import FileRejected, kind_named
from school.models import House, Subject

from .csv_helpers import apply, changes, csv_text, errors, plan, sample, school_state

pytestmark = pytest.mark.shared_world


def test_houses_are_added_and_the_known_ones_left_as_they_are(world):
    content = sample("houses.csv")  # Brunel, Curie (the world's) and Seacole

    result = apply("houses", world.school, content)

    assert changes(result) == {
        "Seacole": {"action": "add", "label": "Seacole", "fields": {"Name": ("", "Seacole")}}
    }
    assert result.counts() == {"added": 1, "changed": 0, "left": 0, "unchanged": 2, "errors": 0}
    assert sorted(House.objects.filter(school=world.school).values_list("name", flat=True)) == [
        "Brunel",
        "Curie",
        "Seacole",
    ]
    assert not plan("houses", world.school, content).changes


def test_a_house_whose_case_differs_is_renamed_not_doubled(world):
    result = apply("houses", world.school, csv_text("House", "BRUNEL"))

    assert changes(result)["BRUNEL"]["fields"] == {"Name": ("Brunel", "BRUNEL")}
    world.house_a.refresh_from_db()
    assert world.house_a.name == "BRUNEL"


def test_trailing_empty_rows_are_ignored(world):
    result = plan("houses", world.school, sample("houses_trailing_rows.csv"))

    assert result.counts()["unchanged"] == 2
    assert not result.errors


def test_bad_house_rows_are_reported_and_nothing_is_written(world):
    content = csv_text("House", "Brunel", "", "Tesla", "tesla", "x" * 101)
    before = school_state(world.school)

    result = plan("houses", world.school, content)
    with pytest.raises(FileRejected, match="The file has 2 errors, so nothing was imported"):
        apply("houses", world.school, content)

    assert errors(result) == [
        (5, "House", "The house tesla is used twice (lines 4 and 5)"),
        (6, "House", "A house name has at most 100 characters"),
    ]
    assert school_state(world.school) == before


def test_subjects_are_matched_by_code_and_their_names_follow_the_file(world):
    content = csv_text("Code,Subject", "Ma,Mathematics", "En,English", "Sc,Science")

    result = apply("subjects", world.school, content)

    assert changes(result) == {
        "Ma": {
            "action": "change",
            "label": "Mathematics (Ma)",
            "fields": {"Name": ("Maths", "Mathematics")},
        },
        "Sc": {
            "action": "add",
            "label": "Science (Sc)",
            "fields": {"Code": ("", "Sc"), "Name": ("", "Science")},
        },
    }
    assert result.counts()["unchanged"] == 1
    world.maths.refresh_from_db()
    assert world.maths.name == "Mathematics"
    assert Subject.objects.get(school=world.school, code="Sc").name == "Science"
    assert not plan("subjects", world.school, content).changes


def test_bad_subject_rows_name_line_column_and_problem(world):
    content = csv_text(
        "Code,Subject",
        ",Drama",
        "Ar,",
        "Ma,English",
        "Hi,History",
        "Hi,Geography",
        "Geo,history",
        "Computing1,Computing",
    )
    before = school_state(world.school)

    result = plan("subjects", world.school, content)
    with pytest.raises(FileRejected):
        apply("subjects", world.school, content)

    assert errors(result) == [
        (2, "Code", "Missing subject code"),
        (3, "Subject", "Missing subject name"),
        (4, "Subject", "The name English belongs to the subject coded En"),
        (6, "Code", "The subject code Hi is used twice (lines 5 and 6)"),
        (7, "Subject", "The subject name history is used twice (lines 5 and 7)"),
    ]
    assert school_state(world.school) == before


def test_the_subjects_file_does_not_reach_another_school(world):
    other = Subject.objects.create(school=world.other_school, code="Ma", name="Maths")
    before = school_state(world.other_school)

    apply("subjects", world.school, csv_text("Code,Subject", "Ma,Mathematics"))

    other.refresh_from_db()
    assert other.name == "Maths"
    assert school_state(world.other_school) == before


def test_a_saved_mapping_reads_a_school_s_own_headers(world):
    content = csv_text("Short,Long,Department", "Sc,Science,Science faculty")

    result = apply("subjects", world.school, content, mapping={"code": "Short", "name": "Long"})

    assert changes(result)["Sc"]["fields"] == {"Code": ("", "Sc"), "Name": ("", "Science")}
    assert Subject.objects.filter(school=world.school, code="Sc", name="Science").exists()


def test_a_preset_s_headers_need_no_mapping(world):
    arbor = kind_named("subjects").presets["Arbor"]
    content = csv_text(f"{arbor['name']},{arbor['code']}", "Science,Sc")

    result = plan("subjects", world.school, content)

    assert [change.key for change in result.changes] == ["Sc"]
