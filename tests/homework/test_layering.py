"""homework names nothing of the apps above it (sanctions, clubs, parents): they add what
they need to its pages by registration (its register's row actions through
homework/register_actions.py, the planner's panels through school/panels.py). And no module
of homework, or of its tests, is longer than about 600 lines: a longer one is split by area
(setting, planner, marking, compliance)."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
ABOVE = ("sanctions", "clubs", "parents")
MAX_LINES = 600


def homework_sources() -> list[Path]:
    code = [path for path in (ROOT / "homework").rglob("*.py") if "migrations" not in path.parts]
    return code + list((ROOT / "templates" / "homework").rglob("*.html"))


def test_homework_names_no_app_above_it():
    apps = "|".join(ABOVE)
    sources = homework_sources()
    assert len(sources) > 20
    for path in sources:
        text = path.read_text()
        assert not re.search(rf"^\s*(from|import)\s+({apps})\b", text, re.MULTILINE), path
        assert not re.search(rf"""['"]({apps})_[a-z_]+['"]""", text), f"{path}: a URL name"
        assert "sanction" not in text.lower(), path
        # A model of an app above reached without importing it.
        assert "related_model" not in text and "_meta.get_field" not in text, path


def test_no_module_of_homework_or_its_tests_is_longer_than_600_lines():
    modules = [path for path in homework_sources() if path.suffix == ".py"]
    modules += list((ROOT / "tests" / "homework").glob("*.py"))
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in modules
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert too_long == {}
