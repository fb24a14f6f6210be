"""Reads a DfE Common Transfer File (CTF, XML) into pupil records with their contacts.

The elements read are those of the DfE CTF specification (the <CTfile> root, its
<Header> naming the source and destination schools by LA and establishment number, and
<CTFpupilData> of <Pupil> elements): UPN, Surname, Forename, DOB, Gender (or Sex),
BasicDetails (PreferredSurname, PreferredForename, NCyearActual, Languages), FSMhistory,
SENhistory, LookedAfter, Address, and Contacts (Order, Title, Forename, Surname,
Relationship, Responsibility, Email, Phones, Address or AddressAsPupil). The
registration (tutor) group and the admission number are not in the specification; the
MIS exports that add them name them RegGroup (or RegistrationGroup) and AdmissionNo (or
AdmissionNumber), on the pupil or in its BasicDetails, and both are read from there.

A file whose header names this school as both source and destination is the school's
whole roll (pupils missing from it have left); one sent to this school by another (a
transfer) or from this school to another only adds and updates the pupils it lists.

Parsing goes through defusedxml: a document type declaration or an entity (the XML bomb)
is refused before anything is expanded."""

from __future__ import annotations

import re
import xml.sax
from datetime import date

from defusedxml import DefusedXmlException
from defusedxml.sax import parseString

from mis.kinds import FileRejected, RowError
from mis.plans.pupil_records import ContactRecord, PupilRecord, PupilsFile
from school.models import GuardianLink, Pupil

MAX_BYTES = 20 * 1024 * 1024
ROOT = "CTfile"

Relationship = GuardianLink.Relationship
# The DfE's codes for a contact's relationship to the pupil.
RELATIONSHIPS = {
    "PAM": Relationship.MOTHER,
    "PAF": Relationship.FATHER,
    "STM": Relationship.STEP_PARENT,
    "STF": Relationship.STEP_PARENT,
    "GRM": Relationship.GRANDPARENT,
    "GRF": Relationship.GRANDPARENT,
    "CAR": Relationship.CARER,
    "FOM": Relationship.FOSTER_CARER,
    "FOF": Relationship.FOSTER_CARER,
}
SEN_PROVISION = {
    "N": Pupil.Sen.NONE,
    "K": Pupil.Sen.SUPPORT,  # SEN support
    "A": Pupil.Sen.SUPPORT,  # School Action (before 2014)
    "P": Pupil.Sen.SUPPORT,  # School Action Plus (before 2014)
    "E": Pupil.Sen.EHCP,  # education, health and care plan
    "S": Pupil.Sen.EHCP,  # statement (before 2014)
}
GENDERS = {"F": "F", "M": "M", "X": "X"}
ENGLISH = {"ENG", "ENB"}  # English, believed to be English
NOT_KNOWN = {"NOT", "REF"}  # not obtained, refused
PHONE_FIELDS = {"M": "mobile", "H": "home_phone", "W": "work_phone"}
TRUE = {"true", "1", "yes", "y"}
FALSE = {"false", "0", "no", "n"}


class _Node:
    """An element: its name (without any namespace prefix), the line it starts on, its
    children and its text."""

    __slots__ = ("tag", "line", "children", "parts")

    def __init__(self, tag: str, line: int):
        self.tag = tag
        self.line = line
        self.children: list[_Node] = []
        self.parts: list[str] = []

    def find(self, *path: str) -> _Node | None:
        node = self
        for tag in path:
            node = next((child for child in node.children if child.tag == tag), None)
            if node is None:
                return None
        return node

    def find_all(self, *path: str) -> list[_Node]:
        *above, last = path
        parent = self.find(*above) if above else self
        return [child for child in parent.children if child.tag == last] if parent else []

    def text(self, *path: str) -> str:
        node = self.find(*path)
        return "".join(node.parts).strip() if node is not None else ""


class _TreeBuilder(xml.sax.ContentHandler):
    def __init__(self):
        super().__init__()
        self.locator = None
        self.root: _Node | None = None
        self.stack: list[_Node] = []

    def setDocumentLocator(self, locator):
        self.locator = locator

    def startElement(self, name, attrs):
        node = _Node(name.rpartition(":")[2], self.locator.getLineNumber() if self.locator else 0)
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def endElement(self, name):
        self.stack.pop()

    def characters(self, content):
        if self.stack:
            self.stack[-1].parts.append(content)


def ctf_read(*, content: bytes, dfe_number: str, today: date) -> PupilsFile:
    """The pupils of a CTF for the school whose DfE number (LAESTAB) is `dfe_number`.
    Raises FileRejected for a file that is not a CTF, is not well-formed, declares a
    DTD or entities, is too big, lists no pupils, or is for another school."""
    if len(content) > MAX_BYTES:
        raise FileRejected(
            f"The file is {len(content) / 1024 / 1024:.0f} MB; a Common Transfer File can be "
            f"at most {MAX_BYTES // 1024 // 1024} MB."
        )
    own = re.sub(r"\D", "", dfe_number or "")
    if len(own) != 7:
        raise FileRejected(
            "The school's DfE number (LAESTAB, 7 digits) is not recorded: enter it as "
            '"DfE number (LAESTAB)" on the import page first, so that a Common Transfer '
            "File can be checked to be this school's."
        )
    root = _parse(content)
    if root.tag != ROOT:
        raise FileRejected(
            f"This is not a Common Transfer File: its first element is <{root.tag}>, not <{ROOT}>."
        )
    header = root.find("Header")
    if header is None:
        raise FileRejected("This is not a Common Transfer File: it has no <Header>.")
    source = _laestab(header, "SourceSchool")
    destination = _laestab(header, "DestSchool")
    if own not in (source, destination):
        sender = _shown(source) + (
            f" ({header.text('SourceSchool', 'SchoolName')})"
            if header.text("SourceSchool", "SchoolName")
            else ""
        )
        raise FileRejected(
            f"This file is for another school: its header names {sender} as the sender and "
            f"{_shown(destination)} as the destination, and this school's DfE number is "
            f"{_shown(own)}."
        )
    pupils = root.find_all("CTFpupilData", "Pupil")
    if not pupils:
        raise FileRejected("The file lists no pupils.")
    errors: list[RowError] = []
    records = [_pupil(node, today, errors) for node in pupils]
    return PupilsFile(pupils=records, full=source == destination == own, errors=errors)


def _parse(content: bytes) -> _Node:
    if not content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise FileRejected("This is not a Common Transfer File: it is not XML.")
    builder = _TreeBuilder()
    try:
        parseString(content, builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise FileRejected(
            "The file declares a document type or entities, which a Common Transfer File "
            "never does (it may be an attack on the server); nothing was read."
        ) from exc
    except xml.sax.SAXParseException as exc:
        raise FileRejected(
            f"The file is not well-formed XML (line {exc.getLineNumber()}: "
            f"{exc.getMessage()}). Export the Common Transfer File from the MIS again."
        ) from exc
    if builder.root is None:
        raise FileRejected("This is not a Common Transfer File: it is empty.")
    return builder.root


def _laestab(header: _Node, school: str) -> str:
    return header.text(school, "LEA") + header.text(school, "Estab")


def _shown(laestab: str) -> str:
    if re.fullmatch(r"\d{7}", laestab):
        return f"{laestab[:3]}/{laestab[3:]}"
    return laestab or "no school"


def _date(node: _Node, *path: str) -> date | None | str:
    """The date at `path` (YYYY-MM-DD), None if absent, or the text if it is no date."""
    text = node.text(*path)
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return text


def _pupil(node: _Node, today: date, errors: list[RowError]) -> PupilRecord:
    def error(column: str, message: str, at: _Node | None = None):
        errors.append(RowError((at or node.find(column) or node).line, column, message))

    basic = node.find("BasicDetails") or _Node("BasicDetails", node.line)
    record = PupilRecord(
        line=node.line,
        upn=node.text("UPN").upper(),
        first_name=basic.text("PreferredForename") or node.text("Forename"),
        last_name=basic.text("PreferredSurname") or node.text("Surname"),
        date_of_birth=None,
        year=None,
        tutor_group=_first(node, basic, "RegGroup", "RegistrationGroup"),
        admission_number=_first(node, basic, "AdmissionNo", "AdmissionNumber"),
    )
    for name, parent, tag in (
        ("upn", node, "UPN"),
        ("first_name", node, "Forename"),
        ("last_name", node, "Surname"),
        ("date_of_birth", node, "DOB"),
        ("year", basic, "NCyearActual"),
        ("tutor_group", basic, "RegGroup"),
        ("tutor_group", node, "RegGroup"),
    ):
        if (found := parent.find(tag)) is not None:
            record.lines[name] = found.line
    born = _date(node, "DOB")
    if isinstance(born, str):
        error("DOB", f"Date of birth {born!r} is not a date (YYYY-MM-DD)")
        record.unread.add("date_of_birth")
    else:
        record.date_of_birth = born
    year = basic.text("NCyearActual")
    if year.isdigit():
        record.year = int(year)
    elif year:
        error("NCyearActual", f"Unknown year group {year}", basic.find("NCyearActual"))
        record.unread.add("year")
    gender = (node.text("Gender") or node.text("Sex")).upper()
    record.gender = GENDERS.get(gender, "")
    record.free_school_meals = _fsm(node, today)
    record.sen = _sen(node, today, error)
    language = _first_language(basic)
    if language is not None:
        record.first_language = language[:4]
        record.eal = language not in ENGLISH | NOT_KNOWN
    in_care = node.text("LookedAfter", "InCare").lower()
    record.looked_after = in_care in TRUE
    contacts = node.find("Contacts")
    if contacts is not None:
        address = _address(node.find("Address"))
        record.contacts = [
            _contact(contact, position, address, error)
            for position, contact in enumerate(contacts.find_all("Contact"), start=1)
        ]
    return record


def _first(node: _Node, basic: _Node, *tags: str) -> str:
    for tag in tags:
        for parent in (node, basic):
            if value := parent.text(tag):
                return value
    return ""


def _fsm(node: _Node, today: date) -> bool:
    """Eligible today: an FSM instance has started and not ended."""
    for instance in node.find_all("FSMhistory", "FSMinstance"):
        start, end = _date(instance, "FSMstartDate"), _date(instance, "FSMendDate")
        started = isinstance(start, date) and start <= today
        if started and (end is None or (isinstance(end, date) and end >= today)):
            return True
    return False


def _sen(node: _Node, today: date, error) -> str:
    """The provision of the latest SEN record still running today."""
    current = []
    for sen in node.find_all("SENhistory", "SEN"):
        end = _date(sen, "EndDate")
        if isinstance(end, date) and end < today:
            continue
        start = _date(sen, "StartDate")
        current.append((start if isinstance(start, date) else date.min, sen))
    if not current:
        return Pupil.Sen.NONE
    _, sen = max(current, key=lambda pair: pair[0])
    code = sen.text("SENprovision").upper()
    if code not in SEN_PROVISION:
        error("SENprovision", f"Unknown SEN provision {code!r}", sen.find("SENprovision") or sen)
        return Pupil.Sen.NONE
    return SEN_PROVISION[code]


def _first_language(basic: _Node) -> str | None:
    for kind in basic.find_all("Languages", "Type"):
        if kind.text("LanguageType").upper() == "F":
            return kind.text("Language").upper() or None
    return None


def _address(node: _Node | None) -> str:
    """The address on one line: house and street, town, county, postcode."""
    if node is None:
        return ""
    bs7666 = node.find("BS7666Address")
    if bs7666 is not None:
        house, street = bs7666.text("PAON"), bs7666.text("Street")
        if house[:1].isdigit():  # "12 Acacia Avenue", not "Rose Cottage, Acacia Avenue"
            house, street = f"{house} {street}".strip(), ""
        parts = [bs7666.text("SAON"), house, street]
        parts += [bs7666.text(tag) for tag in ("Locality", "Town", "AdministrativeArea")]
        parts.append(bs7666.text("PostTown"))
    else:
        parts = [node.text("AddressLines", f"AddressLine{n}") for n in range(1, 6)]
    parts += [node.text("County"), node.text("PostCode")]
    unique = []
    for part in parts:
        if part and part not in unique:
            unique.append(part)
    return ", ".join(unique)


def _contact(node: _Node, position: int, pupil_address: str, error) -> ContactRecord:
    order_text = node.text("Order")
    order = position
    if order_text.isdigit() and int(order_text) > 0:
        order = int(order_text)
    elif order_text:
        error("Order", f"Contact order {order_text!r} is not a number", node.find("Order"))
    responsibility = node.text("Responsibility").lower()
    if responsibility and responsibility not in TRUE | FALSE:
        error(
            "Responsibility",
            f"Parental responsibility {responsibility!r} is neither true nor false",
            node.find("Responsibility"),
        )
    address_node = node.find("Address")
    if address_node is not None and address_node.text("AddressAsPupil").lower() in TRUE:
        address = pupil_address
    else:
        address = _address(address_node)
    contact = ContactRecord(
        line=node.line,
        order=order,
        title=node.text("Title"),
        first_name=node.text("Forename"),
        last_name=node.text("Surname"),
        relationship=RELATIONSHIPS.get(node.text("Relationship").upper(), Relationship.OTHER),
        parental_responsibility=responsibility not in FALSE,
        email=node.text("Email"),
        address=address,
    )
    for phone in node.find_all("Phones", "Phone"):
        field = PHONE_FIELDS.get(phone.text("TelephoneType").upper())
        if field and not getattr(contact, field):
            setattr(contact, field, phone.text("PhoneNo"))
    return contact
