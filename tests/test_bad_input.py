"""Hostile input against every page of the permission table: each GET parameter a page
uses (its GET forms, its links to itself, the fragments htmx fetches) and each field of
each POST form on it gets, one at a time, values a careless or malicious visitor might
send. Nobody may get a 500 or a traceback, and a POST the page refuses (re-rendered with
errors, or 400) changes nothing in the database.

The rest of a POST is what a visitor filling the form in would send, so that the hostile
value reaches the code behind the form's checks; every post is rolled back, so each starts
from the same world. One test per page (and persona), so that xdist spreads them.

The named cases of issue 10 have their own tests in tests/test_bad_input_named.py."""

import datetime
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from clubs.models import Booking
from clubs.services.register import attendance_check_in
from parents.models import WeeklySignOff
from sanctions.models import DetentionBooking
from school.calendar import week_start
from tests.clubs.permission_rows_sessions import session_of
from tests.factories import GuardianFactory, GuardianLinkFactory
from tests.parents.permission_rows_agreements import _agreement as published_agreement
from tests.sanctions.permission_rows_detentions import _session as detention_session
from tests.sanctions.test_detentions_scheduling import sanction_for
from tests.test_permissions import PAGES, persona

# Every sweep reads one world, each post rolled back: it is built once (tests/conftest.py).
pytestmark = pytest.mark.shared_world

HOSTILE = {
    "very_long": "x" * 10_000,
    "nul_byte": "ab\x00cd",
    "year_9999": "9999-12-31",
    "year_1": "0001-01-01",
    "uk_year_9999": "31/12/9999",
    "minus_one": "-1",
    "beyond_bigint": "99999999999999999999",
    "letters": "abc",
    "empty": "",
    "two_values": ["1", "2"],
    "right_to_left": "\u202eمرحبا بالعالم\u202c",
    "script": "<script>alert(1)</script>",
    "sql": "' OR 1=1 --",
    "month_13": "2026-13-01",
}

# The persona each page is swept as: the first of these the page is open to. Pages open to
# staff and to families are swept as both, since each sees different forms.
STAFF_ORDER = [
    "teacher",
    "school_admin",
    "senior_leader",
    "head_of_year",
    "subject_leader",
    "head_of_house",
    "other_teacher",
    "lsa",
    "other_school_staff",
    "other_school_teacher",
]
FAMILY_ORDER = ["parent", "pupil_user", "other_parent"]

# Forms whose sending ends the session or swaps the language: they would make every later
# request of the sweep a different visitor's.
SKIPPED_ACTIONS = {"logout", "set_language"}

# Actions that answer a successful POST with a page (200) rather than a redirect: the code
# a parent with a login types, shown once to print.
SUCCEED_WITH_A_PAGE = {"parents_guardian_link_code"}

# Tables whose rows change on any request (the session's expiry, the sign-in lockout log)
# or on a refused attempt by design (the counts of attempts that rate limits keep).
UNCHECKED_TABLES = {"django_session", "axes_accesslog", "axes_accessattempt", "school_ratelimit"}


def _register_in_progress(w):
    """A club session running all day today: one pupil booked, another checked in, so the
    register shows its check-in and check-out forms."""
    session = session_of(w, day=timezone.localdate(), start=(0, 0), end=(23, 59))
    Booking.objects.create(
        school=w.school,
        session=session,
        pupil=w.pupil,
        booked_at=timezone.now(),
        booked_by=w.parent,
    )
    attendance_check_in(session=session, pupil=w.classmate, actor=w.teacher)
    return reverse("clubs_register", args=[session.pk])


def _detention_with_pupil(w):
    session = detention_session(w)
    DetentionBooking.objects.create(
        school=w.school, sanction=sanction_for(w, w.pupil), session=session
    )
    return reverse("sanctions_detention_session", args=[session.pk])


def _comment_to_answer(w):
    WeeklySignOff.objects.create(
        school=w.school,
        pupil=w.pupil,
        guardian=w.guardian,
        week_start=week_start(timezone.localdate()),
        signed_by=w.parent,
        signed_at=timezone.now(),
        comment="Amara found the fractions hard this week.",
    )
    return reverse("parents_signoff_tutor")


def _guardian_to_invite(w):
    """A guardian of the pupil with an email address and no login yet, and the list
    narrowed to the pupil's tutor group: each row's invite and code forms and the form
    that invites the whole group show."""
    GuardianLinkFactory(guardian=GuardianFactory(school=w.school), pupil=w.pupil)
    return f"{reverse('parents_accounts')}?tutor_group={w.tg_7a.pk}"


# Pages whose forms appear only with more in the world than the permission table needs.
RICHER = {
    "clubs_register": _register_in_progress,
    "clubs_rota": lambda w: (
        session_of(w, day=timezone.localdate() + datetime.timedelta(days=1))
        and reverse("clubs_rota")
    ),
    "sanctions_detention_session": _detention_with_pupil,
    "parents_signoff_tutor": _comment_to_answer,
    "parents_agreement": lambda w: published_agreement(w) and reverse("parents_agreement"),
    "parents_agreement_pupil": lambda w: (
        published_agreement(w) and reverse("parents_agreement_pupil")
    ),
    "parents_accounts": _guardian_to_invite,
    "parents_message_new": lambda w: f"{reverse('parents_message_new')}?pupil={w.pupil.pk}",
}


# Parameters a page reads that its own links and forms do not show in this world (the
# pages of a long list, a link from another page).
EXTRA_PARAMETERS = {
    "homework_new": ["teaching_groups"],
    "homework_copy": ["teaching_groups"],
    "sanctions_commend": ["assignment", "next"],
    "parents_accounts": ["page"],
    "clubs_takeup": ["list", "format"],
    "clubs_rota": ["format"],
    "parents_agreement_version": ["language"],
    "parents_agreement": ["text"],
    "parents_agreement_signature": ["text"],
}


def sweeps():
    for page, (_, allowed) in sorted(PAGES.items()):
        chosen = [
            next((who for who in STAFF_ORDER if who in allowed), None),
            next((who for who in FAMILY_ORDER if who in allowed), None),
        ]
        for who in filter(None, chosen):
            yield pytest.param(page, who, id=f"{page}-{who}")


@dataclass
class Form:
    method: str
    action: str
    values: list = field(default_factory=list)  # (name, value) a browser sends unchanged
    names: list = field(default_factory=list)  # every named field, in page order
    kinds: dict = field(default_factory=dict)  # name -> input type ("select", "textarea")
    choices: dict = field(default_factory=dict)  # name -> the values a choice field offers
    required: set = field(default_factory=set)
    buttons: list = field(default_factory=list)  # (name, value) of each named submit button
    primary: tuple | None = None  # the button styled as the form's main action

    def shape(self, target):
        """Forms of one shape do the same thing to different rows (ids differ)."""
        fixed = sorted(
            (name, value)
            for name, value in self.values + self.buttons
            if self.kinds.get(name) == "hidden" and not value.isdigit()
        )
        return (target, tuple(sorted(self.names)), tuple(fixed))

    def presses(self):
        """What each submit button sends, the main action's first (a form with only an
        unnamed button sends nothing for it)."""
        buttons = list(dict.fromkeys(self.buttons))
        if self.primary in buttons:
            buttons.remove(self.primary)
            buttons.insert(0, self.primary)
        return buttons or [None]

    def add_field(self, name, kind, attrs):
        if name not in self.names:
            self.names.append(name)
        self.kinds.setdefault(name, kind)
        if "required" in attrs:
            self.required.add(name)

    def add_button(self, name, attrs):
        self.buttons.append((name, attrs.get("value", "")))
        if self.primary is None and "btn-primary" in attrs.get("class", "").split():
            self.primary = self.buttons[-1]


class PageParser(HTMLParser):
    """The forms of a page (with what a browser would send unchanged) and its links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self.htmx: list[tuple[str, list[str]]] = []  # (hx-get address, names it sends)
        self._form = None
        self._select = None  # [name, multiple, chosen values]
        self._textarea = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        attrs = {key: value if value is not None else "" for key, value in attrs}
        form, name = self._form, attrs.get("name")
        if attrs.get("hx-get"):
            sent = re.findall(r"\[name='([^']+)'\]", attrs.get("hx-include", ""))
            self.htmx.append((attrs["hx-get"], sent))
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = Form((attrs.get("method") or "get").lower(), attrs.get("action", ""))
            self.forms.append(self._form)
        elif form is None or not name and tag != "option":
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "image"}:
                form.add_button(name, attrs)
                return
            if kind == "reset":
                return
            form.add_field(name, kind, attrs)
            if kind in {"checkbox", "radio"}:
                form.choices.setdefault(name, []).append(attrs.get("value") or "on")
                if "checked" in attrs:
                    form.values.append((name, attrs.get("value") or "on"))
            elif kind != "file":
                form.values.append((name, attrs.get("value", "")))
        elif tag == "button":
            if (attrs.get("type") or "submit").lower() == "submit":
                form.add_button(name, attrs)
        elif tag == "select":
            form.add_field(name, "select", attrs)
            form.choices[name] = []
            self._select = [name, "multiple" in attrs, []]
        elif tag == "option" and self._select:
            select, _, chosen = self._select
            form.choices[select].append(attrs.get("value", ""))
            if "selected" in attrs:
                chosen.append(attrs.get("value", ""))
        elif tag == "textarea":
            form.add_field(name, "textarea", attrs)
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        form = self._form
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select and form is not None:
            name, multiple, chosen = self._select
            if not chosen and not multiple and form.choices[name]:
                chosen = form.choices[name][:1]  # a browser sends the first option
            form.values += [(name, value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None and form is not None:
            name, text = self._textarea
            form.values.append((name, text.removeprefix("\n")))
            self._textarea = None


def filled(form):
    """What a browser sends once the visitor has filled in what the form asks for (what it
    marks required, or every blank when it marks nothing; and every date and time): a
    hostile value in one field then meets a form otherwise valid enough to reach the code
    behind it."""
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=7 + (2 - today.weekday()) % 7)  # a Wednesday
    asks = form.required or set(form.names)
    # Dates and times asked for only in some cases (the last day of a series) too.
    asks |= {
        name for name in form.names if plausible(name, form.kinds.get(name), today)[0].isdigit()
    }
    sent = {}
    for name, value in form.values:
        sent.setdefault(name, []).append(value)
    for name in form.names:
        kind, values = form.kinds.get(name), [v for v in sent.get(name, []) if v]
        offered = [choice for choice in form.choices.get(name, []) if choice]
        if values or kind in {"hidden", "file"}:
            continue
        if kind in {"select", "radio"} and offered and name in asks:
            sent[name] = offered[:1]
        elif kind == "checkbox" and offered and (name in form.required or offered != ["on"]):
            sent[name] = offered[:1]  # a required box, or the first of a list to tick
        elif kind not in {"select", "radio", "checkbox"} and name in asks:
            sent[name] = [plausible(name, kind, soon)]
    return [(name, value) for name, values in sent.items() for value in values]


def plausible(name, kind, soon):
    if kind == "date" or any(word in name for word in ("date", "_on", "week", "day")):
        if "end" in name:  # the last day of a series: two weeks on
            soon += datetime.timedelta(days=14)
        return soon.isoformat() if kind == "date" else soon.strftime("%d/%m/%Y")
    if kind == "time" or "time" in name:
        return "17:00" if "end" in name else "16:00"
    if kind == "number" or any(word in name for word in ("minutes", "capacity", "count")):
        return "30"
    if kind == "email" or "email" in name:
        return "someone@example.org"
    if kind == "url" or "link" in name or "url" in name:
        return "https://example.org/"
    return "Reading practice"


def url_name(path):
    try:
        return resolve(path).url_name
    except Resolver404:
        return None


def rows_written():
    """How many rows this transaction has inserted, updated or deleted so far (counting
    rolled-back savepoints too): a cheap first look before the checksum."""
    unchecked = ", ".join(f"'{table}'" for table in sorted(UNCHECKED_TABLES))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
            f"FROM pg_stat_xact_user_tables WHERE relname NOT IN ({unchecked})"
        )
        return cursor.fetchone()[0]


def database_checksum():
    """One query: a digest of every row of every table we own (rows are few in tests)."""
    tables = sorted(
        {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
        - UNCHECKED_TABLES
    )
    parts = " UNION ALL ".join(
        f"SELECT '{table}' AS name, "
        f"(SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) "
        f'FROM "{table}" t) AS digest'
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, digest FROM ({parts}) AS d")
        return dict(cursor.fetchall())


def with_value(pairs, name, value):
    """The pairs with every value of `name` replaced by `value` (a list sends several)."""
    kept = [(key, old) for key, old in pairs if key != name]
    values = value if isinstance(value, list) else [value]
    return kept + [(name, one) for one in values]


def as_data(pairs):
    data = {}
    for key, value in pairs:
        data.setdefault(key, []).append(value)
    return data


@pytest.fixture
def own_cache(settings):
    """A cache of this test's own, emptied before each request, so that attempt limits
    (adding a child by code) never stand in for the check being swept."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bad"}
    }
    from django.core.cache import cache

    return cache


@pytest.mark.parametrize(("page", "who"), list(sweeps()))
def test_hostile_values_never_reach_a_500(homework_world, own_cache, page, who):
    client = Client(raise_request_exception=False)
    client.force_login(persona(homework_world, who))
    page_url = RICHER.get(page, PAGES[page][0])(homework_world)
    response = client.get(page_url)
    assert response.status_code == 200
    parser = PageParser()
    if "html" in response.get("Content-Type", ""):  # not a download
        parser.feed(response.content.decode())
    problems = []

    def check(response, what):
        if response.status_code >= 500:
            problems.append(f"{what} answered {response.status_code}")
        elif b"Traceback" in (
            b"".join(response.streaming_content) if response.streaming else response.content
        ):
            problems.append(f"{what} showed a traceback")

    parameters = get_parameters(parser, page_url)
    for name in EXTRA_PARAMETERS.get(page, []):
        parameters[urlsplit(page_url).path].setdefault(name, "")
    for target, pairs in parameters.items():
        for name in pairs:
            for label, value in HOSTILE.items():
                own_cache.clear()
                data = as_data(with_value(list(pairs.items()), name, value))
                check(client.get(target, data), f"GET {target}?{name}={label}")

    # The fragments htmx fetches as the page is filled in, with what each includes.
    for address, names in parser.htmx:
        target = urlsplit(address)
        pairs = dict(parse_qsl(target.query, keep_blank_values=True))
        pairs.update((name, "") for name in names if name not in pairs)
        for name in pairs:
            for label, value in HOSTILE.items():
                data = as_data(with_value(list(pairs.items()), name, value))
                response = client.get(target.path, data, headers={"hx-request": "true"})
                check(response, f"GET (htmx) {target.path}?{name}={label}")

    # POST forms: every field gets every value with the form's main button; the other
    # buttons (show pupils, check workload, save as draft) take turns, one each.
    for target, form in post_forms(parser, page_url):
        main, *others = form.presses()
        baseline = filled(form)
        before = database_checksum()  # every post is rolled back: each starts from here
        cases = [(name, item) for name in swept_fields(form) for item in HOSTILE.items()]
        for number, (name, (label, value)) in enumerate(cases):
            data = with_value(baseline, name, value)
            for press in [main, others[number % len(others)]] if others else [main]:
                own_cache.clear()
                what = f"POST {target} {press or ''} {name}={label}"
                with transaction.atomic():
                    written = rows_written()
                    response = client.post(target, as_data(data + ([press] if press else [])))
                    check(response, what)
                    refused = response.status_code == 400 or (
                        response.status_code == 200 and url_name(target) not in SUCCEED_WITH_A_PAGE
                    )
                    if refused and rows_written() != written:
                        after = database_checksum()
                        changed = [table for table in before if before[table] != after[table]]
                        if changed:
                            problems.append(f"{what} was refused but changed {changed}")
                    transaction.set_rollback(True)
    assert not problems, "\n".join(problems)


def swept_fields(form):
    """The fields to send hostile values to: the rows of a list or formset (mark_12,
    steps-1-minutes) share their code, so the first of each stands for the rest. The CSRF
    token is not sent on: the test client does not check it."""
    seen = set()
    for name in form.names:
        shape = re.sub(r"\d+", "#", name)
        if name != "csrfmiddlewaretoken" and shape not in seen:
            seen.add(shape)
            yield name


def get_parameters(parser, page_url):
    """Target path -> {parameter: usual value}: the page's own query string, the fields of
    its GET forms (at their action) and the parameters of its links to itself."""
    page = urlsplit(page_url)
    targets = {page.path: dict(parse_qsl(page.query, keep_blank_values=True))}
    for form in parser.forms:
        target = urlsplit(form.action).path or page.path
        if form.method == "get" and url_name(target) is not None:
            known = targets.setdefault(target, {})
            for name in form.names:
                known.setdefault(name, "")
    for href in parser.links:
        link = urlsplit(href)
        if (link.path or page.path) == page.path:
            for name, value in parse_qsl(link.query, keep_blank_values=True):
                targets[page.path].setdefault(name, value)
    return targets


def post_forms(parser, page_url):
    """(target, form) for one form of each shape on the page."""
    page_path = urlsplit(page_url).path
    shapes = set()
    for form in parser.forms:
        target = urlsplit(form.action).path or page_path
        name = url_name(target)
        if form.method != "post" or name is None or name in SKIPPED_ACTIONS:
            continue
        if form.shape(name) in shapes:
            continue
        shapes.add(form.shape(name))
        yield target, form
