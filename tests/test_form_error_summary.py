"""Crispy's own summary of a form's non-field errors is left empty on purpose
(templates/bootstrap5/errors.html): each page shows them once, above the form, through
templates/school/_form_errors.html. So a page that renders a whole form through crispy and
forgets that summary hides errors such as "wrong email or password": this test finds it."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
WHOLE_FORM = re.compile(r"\{\{\s*(\w+)\|crispy\s*\}\}|\{%\s*crispy\s+(\w+)\s*%\}")
SUMMARY = "school/_form_errors.html"

# Forms that can have no error of their own beyond the field they show it under.
FIELD_ERRORS_ONLY = {
    ("clubs/register/register.html", "search"),  # a search box: its one field's error
    ("privacy/people/_search_form.html", "search"),
}


def test_every_page_that_renders_a_whole_form_shows_the_error_summary():
    missing = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        text = path.read_text()
        forms = {a or b for a, b in WHOLE_FORM.findall(text)}
        for form in forms - {f for n, f in FIELD_ERRORS_ONLY if n == name}:
            if SUMMARY not in text:
                missing.append(f"{name} ({form})")
    assert not missing, f"include {SUMMARY} above these forms: {missing}"


def test_the_check_sees_a_form_without_its_summary(tmp_path):
    assert WHOLE_FORM.findall("<form>{{ form|crispy }}</form>") == [("form", "")]
    assert WHOLE_FORM.findall("{% crispy search %}") == [("", "search")]
    assert WHOLE_FORM.findall("{% crispy form form.mark_cell %}") == []
