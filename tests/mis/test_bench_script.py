"""The import benchmark (`make bench`, bench/import_benchmark.py) runs from start to end on
a tiny school: every file read and applied, the second round changing nothing, its table
printed, and nothing of its school left behind. How long it takes is not tested."""

import importlib.util
from pathlib import Path

from django.conf import settings

from mis.models import ImportRun
from school.models import Pupil, School

SCRIPT = Path(settings.BASE_DIR) / "bench" / "import_benchmark.py"


def test_the_benchmark_runs_on_a_tiny_school_and_leaves_nothing(db, capsys):
    spec = importlib.util.spec_from_file_location("import_benchmark", SCRIPT)
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)

    figures = benchmark.main(["--pupils", "12"])

    files = ["ctf_pupils.xml", "subjects.csv", "staff.csv", "tutor_groups.csv",
             "teaching_groups.csv", "enrolments.csv"]  # fmt: skip
    assert [(f.round, f.file, f.step) for f in figures] == [
        (round_name, name, step)
        for round_name in ("first", "again")
        for name in files
        for step in ("read", "apply")
    ]
    assert {f.status for f in figures if f.step == "apply"} == {ImportRun.Status.APPLIED}
    first = {f.file: f for f in figures if f.round == "first" and f.step == "apply"}
    assert first["ctf_pupils.xml"].counts["added"] == 12
    assert first["enrolments.csv"].rows == 12 * 10 + 6
    again = [f.counts for f in figures if f.round == "again"]
    assert all(c["added"] == c["changed"] == c["left"] == 0 for c in again)
    assert all(f.queries > 0 for f in figures)

    out = capsys.readouterr().out
    assert "MIS import benchmark: 12 pupils with 18 contacts, 126 enrolments" in out
    assert "Round  File" in out and "again  enrolments.csv" in out
    assert not School.objects.filter(slug=benchmark.SLUG).exists()
    assert not Pupil.objects.exists() and not ImportRun.objects.exists()
