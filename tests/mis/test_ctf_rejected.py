"""Files the CTF import refuses as a whole, each with a message a school admin
understands, before anything is written: malformed XML, a file of another kind, an XML
bomb, a file for another school, one too big, and a school whose DfE number is unknown."""

import pytest

from mis.kinds import FileRejected
from mis.readers import ctf

from .ctf_builder import ctf_build, ctf_pupils, ctf_xml
from .ctf_fixtures import apply, ctf_school_make, plan, sample, snapshot


@pytest.fixture
def school(db):
    return ctf_school_make()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            sample("malformed.xml"),
            "The file is not well-formed XML (line 34: mismatched tag). Export the Common "
            "Transfer File from the MIS again.",
        ),
        (
            sample("not_ctf.xml"),
            "This is not a Common Transfer File: its first element is <Invoice>, not <CTfile>.",
        ),
        (b"UPN,Surname,Forename\nN999123426001,Adeyemi,Tola\n", "it is not XML"),
        (b"", "This is not a Common Transfer File: it is not XML."),
        (b'<?xml version="1.0"?><CTfile></CTfile>', "it has no <Header>"),
        (
            sample("xml_bomb.xml"),
            "The file declares a document type or entities, which a Common Transfer File "
            "never does (it may be an attack on the server); nothing was read.",
        ),
        (
            sample("other_school.xml"),
            "This file is for another school: its header names 999/5678 (Another Made-up "
            "School) as the sender and 999/5678 as the destination, and this school's DfE "
            "number is 999/1234.",
        ),
        (ctf_xml([]), "The file lists no pupils."),
    ],
    ids=[
        "malformed",
        "not a CTF",
        "a CSV",
        "empty",
        "no header",
        "XML bomb",
        "another school",
        "no pupils",
    ],
)
def test_a_file_that_cannot_be_used_is_refused_whole_with_the_reason(school, content, message):
    before = snapshot(school)

    with pytest.raises(FileRejected) as previewing:
        plan(school, content)
    with pytest.raises(FileRejected) as applying:
        apply(school, content)

    assert message in previewing.value.message
    assert applying.value.message == previewing.value.message
    assert snapshot(school) == before


def test_an_external_entity_is_refused_too(school):
    content = (
        b'<?xml version="1.0"?>\n<!DOCTYPE CTfile [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        b"\n<CTfile><Header><DocumentName>&secret;</DocumentName></Header></CTfile>"
    )

    with pytest.raises(FileRejected, match="declares a document type or entities"):
        plan(school, content)


def test_a_school_without_its_dfe_number_is_told_to_enter_it_first(school):
    school.dfe_number = ""
    school.save()

    with pytest.raises(FileRejected) as refused:
        plan(school, sample("small.xml"))

    assert "The school's DfE number (LAESTAB, 7 digits) is not recorded: enter it" in (
        refused.value.message
    )


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(school, monkeypatch):
    content = ctf_build(40)
    monkeypatch.setattr(ctf, "MAX_BYTES", len(content) - 1)

    with pytest.raises(FileRejected, match="a Common Transfer File can be at most"):
        plan(school, content)


def test_a_transfer_from_another_school_to_this_one_is_read(school):
    """A CTF sent by a pupil's previous school names this school as its destination."""
    content = ctf_xml(ctf_pupils(2), source="9995678", dest="9991234")

    previewed = plan(school, content)

    assert previewed.errors == []
    assert previewed.counts()["added"] == 2


def test_a_file_this_school_sent_to_another_is_read_but_marks_nobody_as_left(school):
    apply(school, ctf_build(5))
    leaving = ctf_pupils(5)[:1]

    previewed = plan(school, ctf_xml(leaving, source="9991234", dest="9995678"))

    assert previewed.counts() == {
        "added": 0,
        "changed": 0,
        "left": 0,
        "unchanged": 1,
        "errors": 0,
    }
