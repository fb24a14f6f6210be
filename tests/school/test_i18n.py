"""Parents read the site in their language: the guardian's preferred language from the
school's records until they choose another in the switcher (a cookie), right-to-left
pages for Urdu; staff and pupils keep English unless they choose. And the Polish and Urdu
catalogues are complete for everything a parent sees, and compiled."""

import ast
import re
import struct
from gettext import GNUTranslations, NullTranslations
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation.template import templatize

from notifications.services import notifications_queue
from parents.accounts import link_code_issue, link_code_redeem
from sanctions.notices import DETENTION_BOOKED
from tests.factories import PASSWORD, GuardianFactory, GuardianLinkFactory, PupilFactory

BASE = Path(settings.BASE_DIR)
LANGUAGES = ("pl", "ur")
MIDDLEWARE = "school.middleware.GuardianLanguageMiddleware"


def _log_in(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, "the login failed"


def _speaks(guardian, language):
    guardian.preferred_language = language
    guardian.save(update_fields=["preferred_language"])


# The pages


def test_a_polish_speaking_guardian_sees_the_parents_pages_in_polish(client, world):
    _speaks(world.guardian, "pl")
    _log_in(client, world.parent)

    page = client.get(reverse("parents_overview")).content.decode()

    assert '<html lang="pl" dir="ltr">' in page
    assert "Moje dzieci" in page  # "My children", the heading
    assert "Wyloguj się" in page and "Tygodniowe potwierdzenie" in page  # the top bar
    assert "My children" not in page
    assert "bootstrap/css/bootstrap.min.css" in page


def test_an_urdu_speaking_guardian_sees_right_to_left_pages(client, world):
    _speaks(world.guardian, "ur")
    _log_in(client, world.parent)

    page = client.get(reverse("parents_overview")).content.decode()

    assert '<html lang="ur" dir="rtl">' in page
    assert "bootstrap/css/bootstrap.rtl.min.css" in page
    assert "bootstrap/css/bootstrap.min.css" not in page
    assert "میرے بچے" in page  # "My children"


def test_the_switcher_changes_the_language_and_the_choice_sticks(client, world):
    _speaks(world.guardian, "ur")
    _log_in(client, world.parent)
    overview = reverse("parents_overview")

    response = client.post(reverse("set_language"), {"language": "pl", "next": overview})

    assert response.status_code == 302 and response["Location"] == overview
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pl"
    for _ in range(2):  # the choice outlives the request that made it
        page = client.get(overview).content.decode()
        assert '<html lang="pl" dir="ltr">' in page and "Moje dzieci" in page


def test_a_guardian_can_switch_back_to_english(client, world):
    _speaks(world.guardian, "pl")
    _log_in(client, world.parent)

    client.post(reverse("set_language"), {"language": "en-gb", "next": "/parents/"})
    page = client.get(reverse("parents_overview")).content.decode()

    assert '<html lang="en-gb" dir="ltr">' in page and "My children" in page


def test_the_switcher_is_a_plain_form_shown_to_guardians(client, world):
    _speaks(world.guardian, "pl")
    client.force_login(world.parent)

    page = client.get(reverse("parents_overview")).content.decode()

    assert f'action="{reverse("set_language")}"' in page
    assert 'name="next" value="/parents/"' in page
    assert re.search(r'<option value="pl"\s+lang="pl"\s+selected>', page)
    for name in ("British English", "Polski", "اردو"):
        assert name in page


def test_the_login_page_follows_the_browser_and_offers_the_switcher(client, db):
    page = client.get(reverse("login"), headers={"accept-language": "pl"}).content.decode()

    assert '<html lang="pl" dir="ltr">' in page
    assert "Zaloguj się" in page and "Nie pamiętają Państwo hasła?" in page
    assert f'action="{reverse("set_language")}"' in page


def test_a_visitor_who_chose_urdu_gets_the_password_reset_pages_in_urdu(client, db):
    client.post(reverse("set_language"), {"language": "ur", "next": "/"})

    page = client.get(reverse("password_reset")).content.decode()

    assert '<html lang="ur" dir="rtl">' in page
    assert "اپنا پاس ورڈ ری سیٹ کریں" in page  # "Reset your password"


@pytest.mark.parametrize("persona", ["teacher", "head_of_year", "pupil"])
def test_staff_and_pupils_keep_english_whatever_their_browser_says(client, world, persona):
    user = world.pupil.user if persona == "pupil" else getattr(world, persona)
    client.force_login(user)

    page = client.get(reverse("home"), headers={"accept-language": "ur,pl"}).content.decode()

    assert '<html lang="en-gb" dir="ltr">' in page
    assert "set_language" not in page and reverse("set_language") not in page


def test_a_teacher_who_chooses_polish_gets_it(client, world):
    client.force_login(world.teacher)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"

    page = client.get(reverse("home")).content.decode()

    assert '<html lang="pl" dir="ltr">' in page


# One setting for the site and the messages: a guardian's switch is saved on their records


def _second_record(world, language="en-gb"):
    """The same login as a guardian at a second school of the trust."""
    other_pupil = PupilFactory(tutor_group=world.other_tutor_group, first_name="Zara")
    record = GuardianFactory(
        school=world.other_school,
        user=world.parent,
        first_name="Ngozi",
        last_name="Okafor",
        preferred_language=language,
    )
    GuardianLinkFactory(guardian=record, pupil=other_pupil)
    return record


def test_a_guardians_switch_is_saved_and_their_next_email_comes_in_it(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    second = _second_record(world)
    _log_in(client, world.parent)

    response = client.post(reverse("set_language"), {"language": "pl", "next": "/parents/"})

    assert response.status_code == 302
    world.guardian.refresh_from_db()
    second.refresh_from_db()
    assert (world.guardian.preferred_language, second.preferred_language) == ("pl", "pl")
    with django_capture_on_commit_callbacks(execute=True):
        notifications_queue(events=[(world.pupil.pk, DETENTION_BOOKED, {"date": "2026-11-24"})])
    (email,) = mailoutbox
    assert email.subject == "Pozostanie po lekcjach: Amara, Wtorek 24 listopada"
    assert "Dzień dobry" in email.body and "Dear" not in email.body


def test_the_notifications_page_lets_the_guardian_choose_their_language(client, world):
    _speaks(world.guardian, "pl")
    _log_in(client, world.parent)
    page = reverse("notification_preferences")

    text = client.get(page).content.decode()

    assert "To change this, contact the school." not in text
    assert re.search(
        r'<option value="pl"\s+lang="pl"\s+selected>',
        text.split('<select id="preferred-language"')[1],
    )
    response = client.post(reverse("set_language"), {"language": "ur", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    world.guardian.refresh_from_db()
    assert world.guardian.preferred_language == "ur"
    assert '<html lang="ur" dir="rtl">' in client.get(page).content.decode()


def test_a_language_chosen_before_logging_in_is_offered_for_the_messages(client, world):
    client.post(reverse("set_language"), {"language": "pl", "next": "/"})  # on the login page
    world.guardian.refresh_from_db()
    assert world.guardian.preferred_language == "en-gb"  # a visitor's choice is a cookie
    _log_in(client, world.parent)

    page = client.get(reverse("parents_overview")).content.decode()

    assert '<html lang="pl" dir="ltr">' in page
    offer = page.split('class="language-keep')[1].split("</form>")[0]
    assert "przychodzą w języku: British English." in offer
    assert "Ustaw polski także dla wiadomości" in offer
    assert 'name="language" value="pl"' in offer
    client.post(reverse("set_language"), {"language": "pl", "next": "/parents/"})
    world.guardian.refresh_from_db()
    assert world.guardian.preferred_language == "pl"
    assert "language-keep" not in client.get(reverse("parents_overview")).content.decode()


def test_a_guardian_reading_in_their_saved_language_is_offered_nothing(client, world):
    _speaks(world.guardian, "pl")
    _log_in(client, world.parent)

    assert "language-keep" not in client.get(reverse("parents_overview")).content.decode()


def test_staff_switching_keeps_a_cookie_and_saves_nothing(client, world):
    # A teacher who is also a parent: the staff side wins, their record keeps its language.
    record = GuardianFactory(school=world.school, user=world.teacher, preferred_language="ur")
    GuardianLinkFactory(guardian=record, pupil=world.classmate)
    _log_in(client, world.teacher)

    client.post(reverse("set_language"), {"language": "pl", "next": "/"})

    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pl"
    record.refresh_from_db()
    assert record.preferred_language == "ur"


@pytest.mark.parametrize("method, language", [("get", "pl"), ("post", "xx"), ("post", "")])
def test_a_get_or_an_unknown_language_saves_nothing(client, world, method, language):
    _log_in(client, world.parent)

    getattr(client, method)(reverse("set_language"), {"language": language, "next": "/"})

    world.guardian.refresh_from_db()
    assert world.guardian.preferred_language == "en-gb"


def test_a_record_added_to_a_login_takes_the_language_the_login_uses(world):
    _speaks(world.guardian, "ur")
    second = _second_record(world)
    second.user = None
    second.save(update_fields=["user"])
    issued = link_code_issue(actor=world.other_school_staff, guardian=second)

    link_code_redeem(
        user=world.parent, code=issued.code, date_of_birth=issued.children[0].date_of_birth
    )

    second.refresh_from_db()
    assert (second.user, second.preferred_language) == (world.parent, "ur")


def _queries(user, url):
    client = Client()  # a new client loads the middleware of the settings now
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["teacher", "pupil", "parent"])
def test_the_language_costs_no_query(world, settings, persona):
    # Staff and pupils are known by their school: no query. A guardian's one query, for
    # their language, also answers access.is_guardian for the top bar, so the parents'
    # pages keep their query budgets.
    user = world.pupil.user if persona == "pupil" else getattr(world, persona)
    url = reverse({"teacher": "homework_home", "pupil": "planner"}.get(persona, "parents_overview"))
    with_it = _queries(user, url)
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]

    assert _queries(user, url) == with_it


# The catalogues

# Everything under these is read by parents and carers (or by visitors on the login and
# password pages), so every string in them must be translated.
PARENT_TEMPLATES = [
    "templates/base.html",
    "templates/school/home.html",
    "templates/school/_form_errors.html",  # above every form of the parents' pages
    "templates/parents",
    "templates/notifications",
    "templates/sanctions/email",  # each app's messages to families
    "templates/clubs/email",
    "templates/registration",
]
PARENT_PYTHON = [
    "parents",
    "notifications",
    "school/navigation.py",
    "sanctions/notices.py",  # the kinds of message each app registers, and their words
    "clubs/notices.py",
    "school/forms_fields.py",  # the fields the parents' forms share
    "school/language.py",  # the titles a message greets a guardian by
    "school/auth.py",  # the login form
    "homework_mgmt/accounts.py",  # the password reset form
]
# Files of those places only staff read.
STAFF_FILES = {"notifications/admin.py"}
# Messages in parent-facing modules that only staff ever see (reasons a guardian could
# not be invited, shown on the staff accounts page).
STAFF_ONLY = {
    "already has a login",
    "already invited",
    "no email address on the school's records",
    "You can only invite guardians of your own school.",
    "You can only issue codes for guardians of your own school.",
    "%(name)s already has a login: their children show on it already.",
}
GETTEXT_CALLS = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


def _files(places, suffixes):
    for place in places:
        path = BASE / place
        candidates = [path] if path.is_file() else sorted(path.rglob("*"))
        for file in candidates:
            relative = file.relative_to(BASE).as_posix()
            wanted = file.suffix in suffixes and "migrations" not in file.parts
            if wanted and relative not in STAFF_FILES:
                yield file


def _template_messages(file):
    """(context, singular, plural) for each string the template marks for translation,
    read by Django's own templatize(), which is what makemessages feeds to xgettext."""
    code = templatize(file.read_text(encoding="utf-8"), origin=str(file))
    string = r"u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
    for name, args in re.findall(rf"\b(n?p?gettext|_)\(((?:\s*{string}\s*,?)+)", code):
        literals = [ast.literal_eval(s.lstrip("u")) for s in re.findall(string, args)]
        context = literals.pop(0) if name.endswith("pgettext") else None
        yield context, literals[0], literals[1] if len(literals) > 1 else None


def _python_messages(file):
    """The same for a Python module, read with ast: calls of gettext and friends whose
    arguments are literal strings."""
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in GETTEXT_CALLS:
            continue
        literals = [
            arg.value
            for arg in node.args
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
        ]
        if not literals:
            continue
        context = literals.pop(0) if "pgettext" in name else None
        yield context, literals[0], literals[1] if "ngettext" in name else None


def _parent_messages():
    messages = set()
    for file in _files(PARENT_TEMPLATES, {".html", ".txt"}):
        messages.update(_template_messages(file))
    for file in _files(PARENT_PYTHON, {".py"}):
        messages.update(_python_messages(file))
    return {m for m in messages if m[1] not in STAFF_ONLY}


class _Missing(NullTranslations):
    """The fallback a compiled catalogue calls only for what it does not hold."""

    def __init__(self):
        super().__init__()
        self.missing = []

    def gettext(self, message):
        self.missing.append(message)
        return message

    def ngettext(self, singular, plural, n):
        self.missing.append(singular)
        return singular

    def pgettext(self, context, message):
        self.missing.append(f"{context}|{message}")
        return message

    def npgettext(self, context, singular, plural, n):
        self.missing.append(f"{context}|{singular}")
        return singular


def _compiled(language):
    with open(BASE / "locale" / language / "LC_MESSAGES" / "django.mo", "rb") as mo:
        return GNUTranslations(mo)


def test_the_parent_facing_messages_are_found():
    messages = {singular for _context, singular, _plural in _parent_messages()}

    assert len(messages) > 300  # the extraction itself works
    assert "Missed deadlines towards the next sanction" in messages  # a template
    assert "Your choices are saved." in messages  # a Python module
    assert "the head of house" in messages  # a lazy one
    assert "%(counter)s missed deadline this school year" in messages  # a plural


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_labels_messages_are_rendered_with_are_translated(language):
    # Apps register the words for the codes they store in a notification (a reason, a
    # club's kind) and their kinds of message with the headings families choose them
    # under: each is read by families, so each must be in the catalogue.
    from notifications.registry import _labels, kinds

    catalogue = _compiled(language)
    fallback = _Missing()
    catalogue.add_fallback(fallback)
    assert {"commendation_reason", "club_kind", "meeting_with"} <= set(_labels)
    words = [label for labels in _labels.values() for label in labels.values()]
    words += [word for kind in kinds() for word in (kind.label, kind.group)]
    for word in words:
        catalogue.gettext(word._args[0])  # the lazy label's msgid

    assert fallback.missing == [], f"untranslated in {language}: {fallback.missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_parent_facing_message_is_translated(language):
    # Each string marked in the parents' templates and modules, looked up in the compiled
    # catalogue: a string the catalogue lacks (never extracted, or left untranslated, which
    # msgfmt leaves out of the .mo) reaches the fallback and is reported.
    catalogue = _compiled(language)
    fallback = _Missing()
    catalogue.add_fallback(fallback)

    for context, singular, plural in sorted(_parent_messages(), key=str):
        if context and plural:
            catalogue.npgettext(context, singular, plural, 1)
        elif context:
            catalogue.pgettext(context, singular)
        elif plural:
            catalogue.ngettext(singular, plural, 1)
        else:
            catalogue.gettext(singular)

    assert fallback.missing == [], f"untranslated in {language}: {fallback.missing}"


# Reading the .po: its syntax is small (GNU gettext manual, "The Format of PO Files"), and
# Python's string literals share its escapes, so no third-party parser is needed.
PO_LINE = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(".*")$')


def _po_entries(language):
    entries, entry, key = [], None, None
    text = (BASE / "locale" / language / "LC_MESSAGES" / "django.po").read_text("utf-8")
    for line in text.splitlines() + [""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, key = None, None
            continue
        if line.startswith("#~"):
            continue  # obsolete entries are not compiled
        entry = entry if entry is not None else {"flags": set()}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        elif not line.startswith("#"):
            match = PO_LINE.match(line)
            assert match, f"unreadable line in the {language} catalogue: {line}"
            key = match.group(1)
            entry[key] = ast.literal_eval(match.group(2))
    return entries


def _mo_size(language):
    with open(BASE / "locale" / language / "LC_MESSAGES" / "django.mo", "rb") as mo:
        head = mo.read(12)
    byte_order = "<" if head[:4] == b"\xde\x12\x04\x95" else ">"
    return struct.unpack(f"{byte_order}I", head[8:12])[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_the_po_file(language):
    # The .mo is committed so that the site runs without gettext: it must say exactly what
    # the .po says. Every translated entry of the .po is in the .mo with the same text,
    # and the .mo holds nothing else (its header counts its entries).
    entries = _po_entries(language)
    assert not [e["msgid"] for e in entries if "fuzzy" in e["flags"]], "fuzzy entries"
    catalogue = _compiled(language)._catalog  # CPython's parsed .mo: {msgid: msgstr}
    translated = 0
    for entry in entries[1:]:  # the first is the header
        key = entry["msgid"]
        if "msgctxt" in entry:
            key = f"{entry['msgctxt']}\x04{key}"
        if "msgid_plural" in entry:
            forms = [v for k, v in sorted(entry.items()) if k.startswith("msgstr[")]
            if not all(forms):
                assert not any((key, n) in catalogue for n in range(len(forms))), key
                continue
            for n, form in enumerate(forms):
                assert catalogue.get((key, n)) == form, f"{language}: {key} is stale"
        else:
            if not entry["msgstr"]:
                assert key not in catalogue, f"{language}: {key} is stale"
                continue
            assert catalogue.get(key) == entry["msgstr"], f"{language}: {key} is stale"
        translated += 1
    assert _mo_size(language) == translated + 1, "the .mo has entries the .po lacks"


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    # A lost or misspelt %(name)s would show the wrong text or raise while rendering.
    for entry in _po_entries(language)[1:]:
        wanted = set(PLACEHOLDER.findall(entry["msgid"]))
        if "msgid_plural" in entry:
            allowed = wanted | set(PLACEHOLDER.findall(entry["msgid_plural"]))
            for key, form in entry.items():
                if key.startswith("msgstr[") and form:
                    assert set(PLACEHOLDER.findall(form)) <= allowed, (language, form)
        elif entry["msgstr"]:
            assert set(PLACEHOLDER.findall(entry["msgstr"])) == wanted, (
                language,
                entry["msgid"],
            )


def test_the_switcher_changes_nothing_on_a_get(client, db):
    response = client.get(reverse("set_language"), {"language": "ur", "next": "/"})

    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_switcher_ignores_an_unknown_language_and_a_foreign_next(client, db):
    response = client.post(
        reverse("set_language"), {"language": "xx", "next": "https://evil.example/"}
    )

    assert response.status_code == 302 and response["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
