"""Every kind of file the import offers is complete: a kind without its plan or apply
cannot be made, and every registered kind has a key, a label and a format."""

import pytest

from mis.kinds import FileKind, all_kinds
from mis.plans.csv_common import CsvKind


def test_a_kind_without_its_apply_cannot_be_made():
    class HalfAKind(FileKind):
        key, label, format = "half", "Half a kind", "csv"

        def plan(self, **arguments):
            return None

    with pytest.raises(TypeError, match="apply"):
        HalfAKind()


def test_a_csv_kind_without_its_write_cannot_be_made():
    class NoWrite(CsvKind):
        key, label = "no_write", "No write"

        def compare(self, **arguments):
            return None, None

    with pytest.raises(TypeError, match="write"):
        NoWrite()


def test_every_registered_kind_says_what_it_is_and_how_it_is_read():
    kinds = all_kinds()
    assert len({kind.key for kind in kinds}) == len(kinds) >= 9
    for kind in kinds:
        assert kind.key and kind.label, kind
        assert kind.format in {"ctf", "csv"}, kind
        assert kind.format == "ctf" or kind.columns, kind
