"""Steps the browser tests share."""

import weakref

# Each watched page, so that a test can say which HTTP errors it opens on purpose.
_WATCHES = weakref.WeakKeyDictionary()


class PageWatch:
    """What went wrong in one page: console errors (Chromium reports Content-Security-Policy
    violations there), uncaught script errors, and documents answering an HTTP error."""

    def __init__(self, page):
        self.page = page
        self.problems = []
        self.expected_statuses = set()
        # Whether axe has checked the document shown now (new_page checks it if not).
        self.checked = False
        _WATCHES[page] = self
        page.on("framenavigated", self._navigated)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("response", self._response)

    def _navigated(self, frame):
        if frame == self.page.main_frame:
            self.checked = False

    def _console(self, message):
        if message.type != "error":
            return
        text = message.text
        # A document answering an error status is reported (or allowed) by _response.
        if text.startswith("Failed to load resource: the server responded with a status"):
            return
        url = message.location.get("url", "")
        # Chromium's CSP message goes on to list every way to allow the inline code.
        text = text.split(" Either the 'unsafe-inline' keyword")[0]
        self.problems.append(f"console error on {url}: {text}")

    def _response(self, response):
        if response.status < 400 or response.status in self.expected_statuses:
            return
        self.problems.append(f"{response.request.method} {response.url} answered {response.status}")


def watch_of(page):
    return _WATCHES.get(page)


def expect_error_status(page, *statuses):
    """The test opens pages answering these statuses on purpose (e.g. someone else's pupil:
    404), so they are not reported as errors of the page."""
    _WATCHES[page].expected_statuses.update(statuses)


def follow_menu(page, name):
    """Follow a link of the main menu, opening the menu first where a phone folds it."""
    button = page.get_by_role("button", name="Menu")
    if button.is_visible():
        button.click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


def log_in_as(page, live_server, user):
    """Give the page's context the user's session, made by Django's test client (the login
    form has its own tests), for tests that open many pages."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


# Every element that scrolls sideways (the document, or a box inside it), with how far.
_SIDEWAYS = """() => {
  const found = [];
  const root = document.scrollingElement;
  if (root.scrollWidth > root.clientWidth) {
    found.push(["document", root.scrollWidth - root.clientWidth]);
  }
  for (const el of document.querySelectorAll("main *")) {
    const style = getComputedStyle(el);
    if (!["auto", "scroll"].includes(style.overflowX)) continue;
    if (el.scrollWidth > el.clientWidth) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (el.className ? "." + String(el.className).trim().split(/\\s+/).join(".") : "");
      found.push([name, el.scrollWidth - el.clientWidth]);
    }
  }
  return found;
}"""


def sideways_scrolling(page):
    """[(element, pixels)] for the document and each box in <main> that scrolls sideways."""
    return [tuple(item) for item in page.evaluate(_SIDEWAYS)]
