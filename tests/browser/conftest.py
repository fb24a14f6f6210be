import os
import re
from pathlib import Path

import pytest

from tests.browser.helpers import PageWatch, watch_of

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests
# make before and after driving the browser are still ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists() and AXE.exists():
        return
    missing = "Debian's chromium (apt-get install chromium)" if not CHROMIUM.exists() else ""
    if not AXE.exists():
        missing = " and ".join(filter(None, [missing, "axe-core (make install-dev: npm ci)"]))
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI must run the browser tests: install {missing}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=f"needs {missing}"))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server, axe_violations):
    """Opens a page in a context of its own. Every page of the context is watched: a console
    error (Chromium reports each Content-Security-Policy violation as one), an uncaught
    script error or a page answering an HTTP error fails the test at teardown, unless the
    test said it expects that status (helpers.expect_error_status); so does a WCAG
    violation that axe-core finds in the page each one ends on."""
    contexts, watches = [], []

    def open_page(width=1280, height=900):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height}
        )
        contexts.append(context)
        context.on("page", lambda page: watches.append(PageWatch(page)))
        return context.new_page()

    yield open_page
    try:
        for watch in watches:
            if watch.page.is_closed() or watch.checked or watch.page.url == "about:blank":
                continue
            if violations := axe_violations(watch.page):
                watch.problems.append(f"axe on {watch.page.url}:\n{axe_report(violations)}")
    finally:
        for context in contexts:
            context.close()
    problems = [problem for watch in watches for problem in watch.problems]
    if problems:
        pytest.fail(
            "the browser reported errors:\n" + "\n".join(f"- {p}" for p in problems),
            pytrace=False,
        )


@pytest.fixture(scope="session")
def axe_source():
    return AXE.read_text(encoding="utf-8")


# WCAG 2.2 A and AA, with the 2.0 and 2.1 rules they include.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_RUN_AXE = """async ([tags, disabled]) => {
  const rules = Object.fromEntries(disabled.map((id) => [id, {enabled: false}]));
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    rules,
    resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""


@pytest.fixture
def axe_violations(axe_source):
    """Runs axe-core in the page as it is now; returns its WCAG 2.2 A/AA violations. axe is
    evaluated through the DevTools protocol, which the page's CSP does not govern, so the
    page keeps its real policy (no bypass_csp)."""

    def run(page, *, fragment=False):
        # The page as its reader sees it: with its stylesheets. Right after a click that
        # navigates, the new document's DOM may be there before its CSS (the skip link
        # and the brand were once measured unstyled as too small to tap).
        page.wait_for_load_state("load")
        if not page.evaluate("typeof window.axe === 'object'"):
            page.evaluate(axe_source)
        # An htmx fragment is checked on its own, without the document it is swapped into.
        disabled = ["document-title", "html-has-lang"] if fragment else []
        violations = page.evaluate(_RUN_AXE, [AXE_TAGS, disabled])
        if watch := watch_of(page):
            watch.checked = True
        return violations

    return run


@pytest.fixture
def check_accessibility(axe_violations):
    """Fails the test, listing each rule and its first nodes, if axe-core finds a WCAG 2.2
    A/AA violation in the page as it is now."""

    def check(page):
        if violations := axe_violations(page):
            pytest.fail(
                f"axe: {len(violations)} WCAG violation(s) on {page.url}:\n"
                + axe_report(violations),
                pytrace=False,
            )

    return check


def axe_report(violations):
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} node(s)]")
        for node in v["nodes"][:3]:
            summary = re.sub(r"\s+", " ", node["summary"] or "")[:260]
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)
