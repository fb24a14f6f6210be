"""The site's Content-Security-Policy allows no inline style or script, so the browser
silently drops any a template adds (issue 10: the parents' progress bar stayed empty). No
page template may have a style attribute or <style> element, a <script> with a body, an
on*= event handler, an htmx hx-on handler (htmx runs it through eval) or a javascript:
address. Email templates are exempt: mail is read outside the site, in mail programs
that need inline styles. tests/browser/ checks the pages as the browser renders them."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"

COMMENTS = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|<!--.*?-->", re.S)
FORBIDDEN = {
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "a <style> element": re.compile(r"<style[\s>]", re.I),
    "an event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"'{]", re.I),
    "an htmx hx-on handler": re.compile(r"\shx-on[:-]", re.I),
    "a javascript: address": re.compile(r"=\s*[\"']\s*javascript:", re.I),
}
SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script\s*>", re.I | re.S)


def inline_code(text):
    """What in a template's text the CSP would block, as (what, line number)."""
    text = COMMENTS.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    found = []
    for what, pattern in FORBIDDEN.items():
        found += [(what, text.count("\n", 0, m.start()) + 1) for m in pattern.finditer(text)]
    for script in SCRIPT.finditer(text):
        if script.group(1).strip():
            found.append(("a <script> with a body", text.count("\n", 0, script.start()) + 1))
    return found


def page_templates():
    return sorted(
        path
        for path in TEMPLATES.rglob("*.html")
        if "email" not in path.relative_to(TEMPLATES).parts[:-1]
    )


def test_no_page_template_has_inline_style_or_script():
    templates = page_templates()
    assert len(templates) > 100  # the templates folder was found
    problems = [
        f"{path.relative_to(TEMPLATES)}:{line}: {what}"
        for path in templates
        for what, line in inline_code(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "the CSP blocks these; use static/css/app.css or static/js/:\n" + (
        "\n".join(problems)
    )


@pytest.mark.parametrize(
    "snippet",
    [
        '<div class="progress-bar" style="width: {{ percent }}%"></div>',
        "<td\n    STYLE='color: red'>",
        "<style>.x { color: red }</style>",
        '<button onclick="history.back()">Back</button>',
        "<form onsubmit=\"return confirm('Sure?')\">",
        '<body onload="{{ js }}">',
        '<button hx-on:click="alert(1)">',
        '<button hx-on::after-request="this.reset()">',
        '<a href="javascript:void(0)">',
        "<script>document.querySelector('form').reset();</script>",
        '<script type="module">\n  import "./x.js";\n</script>',
    ],
)
def test_each_kind_of_inline_code_is_found(snippet):
    assert inline_code(f"<p>\n{snippet}\n</p>")


@pytest.mark.parametrize(
    "snippet",
    [
        "<script src=\"{% static 'js/menu.js' %}\" defer></script>",
        '<div class="ladder-progress" data-online="yes" data-label="Feedback">',
        "<p>Carry on = keep going; the styles of writing; once=one time</p>",
        '{# no style="" here: the CSP blocks it #}',
        "{% comment %}<script>old()</script>{% endcomment %}",
        '<a href="https://example.org/javascript:guide">',
    ],
)
def test_allowed_markup_is_not_reported(snippet):
    assert inline_code(snippet) == []
