"""Pupils and their contacts from a file of the whole roll (a Common Transfer File, or the
CSV pupils kind): what the file adds, changes and who has left, then the writes.

A reader turns its file into `PupilRecord`s (each with its `ContactRecord`s; both in
mis/plans/pupil_records.py) and the
problems it met reading values (`RowError`s); `pupils_plan` compares them with the
school's rows and `pupils_apply` writes them. Both kinds share these rules:

- Pupils are matched by UPN within the school; a pupil of another school with the same
  UPN is never looked at.
- A joiner needs a year group from 7 to 13 (one the school has not entered yet is
  added); a tutor group named in the file that the school does not have among its current
  groups is formed in the pupil's year group, for the year `groups_year_for` gives (shown
  on the pupil's change). A pupil who moves tutor group or year keeps everything already
  set for them: only the pupil's row changes.
- A full file marks every pupil on roll but missing from it as left (`left_on` = today,
  never deleted); a pupil in the file who had left rejoins (`left_on` cleared). A leaving
  date still to come (set by the new academic year) is kept either way.
- A value the file does not carry is `None` in the record and left as it is.
- Contacts: a guardian is matched within the school by email (any case), else by name
  among the pupil's existing contacts, else created. The pupil's links follow the file
  (relationship, parental responsibility, priority); a link to someone no longer listed
  is removed, the guardian's row stays (it may have other children, messages or a login).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from datetime import date

from django.db import transaction
from django.utils import timezone

from mis.kinds import ADD, CHANGE, LEAVE, Change, FileRejected, Plan, Progress, RowError
from school import history
from school.calendar import groups_year_for
from school.models import (
    Guardian,
    GuardianLink,
    PersonChange,
    Pupil,
    School,
    TutorGroup,
    User,
    YearGroup,
)
from school.params import EARLIEST_YEAR

from .contacts import ContactsComparison
from .pupil_records import (
    FLAG_FIELDS,
    LABELS,
    PupilRecord,
    PupilsFile,
    shown,
    shown_field,
    text_key,
)

# Plan and apply --------------------------------------------------------------------------

UPN_FORMAT = re.compile(r"[A-Z]\d{11}[0-9A-Z]")
BATCH = 500


def pupils_plan(
    *, school: School, pupils_file: PupilsFile, today: date, columns: Mapping[str, str]
) -> Plan:
    """What `pupils_file` would add, change and mark as left at `school`; writes nothing.
    `columns` names each field as the file does (e.g. {"upn": "UPN", "year": "NCyearActual"})
    for the messages; a field it leaves out is named by LABELS."""
    return _Planner(school, pupils_file, today, columns).run().plan


@transaction.atomic
def pupils_apply(
    *,
    school: School,
    pupils_file: PupilsFile,
    today: date,
    columns: Mapping[str, str],
    progress: Progress,
    actor: User | None = None,
) -> Plan:
    """Plans `pupils_file` again and writes it, all or nothing: a plan with any error
    raises FileRejected before anything is written. Returns the plan it applied. What
    changes in pupils' and guardians' records is kept as `actor`'s import (PersonChange)."""
    planner = _Planner(school, pupils_file, today, columns, locking=True).run()
    if planner.plan.errors:
        count = len(planner.plan.errors)
        raise FileRejected(
            f"The file has {count} error{'s' if count != 1 else ''}: nothing was imported."
        )
    planner.write(progress)
    planner.write_history(actor)
    return planner.plan


class _Planner(ContactsComparison):
    """Reads the school's rows in a fixed number of queries, then compares every record
    with them in memory; `write` then saves what differs in bulk."""

    def __init__(self, school, pupils_file, today, columns, locking=False):
        self.school = school
        self.file = pupils_file
        self.today = today
        self.columns = dict(columns)
        self.locking = locking
        self.plan = Plan(errors=list(pupils_file.errors))
        # What write() saves.
        self.new_year_groups: list[YearGroup] = []
        self.new_tutor_groups: dict[str, TutorGroup] = {}
        self.new_pupils: list[Pupil] = []
        self.changed_pupils: list[Pupil] = []
        self.changed_pupil_fields: set[str] = set()
        self.leavers: list[Pupil] = []
        self.new_guardians: list[Guardian] = []
        self.changed_guardians: dict[int, Guardian] = {}
        self.changed_guardian_fields: set[str] = set()
        self.new_links: list[GuardianLink] = []
        self.changed_links: list[GuardianLink] = []
        self.removed_links: list[int] = []
        # What write_history() keeps (school/history.py): (pupil, [(label, old, new)]),
        # (guardian, label, old, new) and (pupil, guardian, link before, link after).
        self.pupil_history: list[tuple] = []
        self.guardian_history: list[tuple] = []
        self.link_history: list[tuple] = []

    # Reading the school's rows ---------------------------------------------------------

    def load(self):
        school = self.school
        self.year_groups = {year.number: year for year in YearGroup.objects.filter(school=school)}
        self.years_by_id = {year.id: year for year in self.year_groups.values()}
        # The groups pupils are placed in now (a new academic year archives last year's).
        self.tutor_groups = {
            text_key(group.name): group
            for group in TutorGroup.objects.current().filter(school=school)
        }
        self.academic_year = groups_year_for(school, self.today)
        self.groups_by_id = {group.id: group for group in self.tutor_groups.values()}
        pupils = Pupil.objects.filter(school=school)
        if self.locking:
            pupils = pupils.select_for_update()
        self.pupils = {pupil.upn.upper(): pupil for pupil in pupils}
        self.admission_numbers = {
            pupil.admission_number: pupil.upn.upper() for pupil in self.pupils.values()
        }
        self.guardians = {
            guardian.id: guardian
            for guardian in Guardian.objects.filter(school=school).order_by("id")
        }
        self.guardians_by_email: dict[str, Guardian] = {}
        for guardian in self.guardians.values():
            if guardian.email:
                self.guardians_by_email.setdefault(guardian.email.strip().lower(), guardian)
        self.links: dict[int, list[GuardianLink]] = defaultdict(list)
        for link in GuardianLink.objects.filter(pupil__school=school).order_by(
            "contact_priority", "id"
        ):
            self.links[link.pupil_id].append(link)

    # Comparing ---------------------------------------------------------------------------

    def run(self):
        self.load()
        self.seen_upns: dict[str, int | None] = {}
        self.file_emails: dict[str, tuple[int | None, str]] = {}
        self.guardians_done: set[int] = set()
        for record in self.file.pupils:
            self.compare(record)
        if self.file.full:
            self.mark_leavers()
        self.plan.errors.sort(key=lambda error: (error.line or 0, error.column))
        return self

    def error(self, record, field, message, line=None):
        column = self.columns.get(field, LABELS.get(field, field))
        where = line or record.lines.get(field) or record.line
        self.plan.errors.append(RowError(where, column, message))

    def compare(self, record: PupilRecord):
        errors_before = len(self.plan.errors)
        upn = self.check_upn(record)
        first_name, last_name = self.check_names(record)
        self.check_date_of_birth(record)
        year_group = self.check_year(record)
        pupil = self.pupils.get(upn) if upn else None
        tutor_group, tutor_group_shown = self.tutor_group_for(record, pupil, year_group)
        admission_number = self.check_admission_number(record, upn, pupil)
        if record.unread or len(self.plan.errors) > errors_before:
            self.check_contacts(record)
            return
        born = record.date_of_birth
        values = {
            "first_name": first_name,
            "last_name": last_name,
            "date_of_birth": born,
            "admission_number": admission_number,
            "gender": record.gender,
            "free_school_meals": record.free_school_meals,
            "sen": record.sen,
            "eal": record.eal,
            "first_language": record.first_language,
            "looked_after": record.looked_after,
        }
        values = {name: value for name, value in values.items() if value is not None}
        label = f"{first_name} {last_name}"
        if pupil is None:
            self.add(record, upn, label, values, year_group, tutor_group, tutor_group_shown)
            return
        fields = []
        changed = set()
        # A leaving date to come (the new academic year's leavers, say) stands while the
        # MIS still lists the pupil; one that has come is undone by their return.
        if pupil.left_on is not None and pupil.left_on <= self.today:
            fields.append((LABELS["left_on"], shown(pupil.left_on), ""))
            pupil.left_on = None
            changed.add("left_on")
        for name, value in values.items():
            old = getattr(pupil, name)
            if old != value:
                fields.append((LABELS[name], shown_field(name, old), shown_field(name, value)))
                setattr(pupil, name, value)
                changed.add(name)
        if pupil.year_group_id != year_group.id:
            old_year = self.years_by_id.get(pupil.year_group_id)
            fields.append((LABELS["year_group"], shown(old_year), str(year_group)))
            pupil.year_group = year_group
            changed.add("year_group")
        group = self.groups_by_id.get(pupil.tutor_group_id)
        if tutor_group is not None and tutor_group is not group:
            fields.append((LABELS["tutor_group"], shown(group), tutor_group_shown))
            pupil.tutor_group = group = tutor_group
            changed.add("tutor_group")
        if fields:
            self.pupil_history.append((pupil, list(fields)))
        fields += self.compare_contacts(record, pupil)
        if changed:
            self.changed_pupils.append(pupil)
            self.changed_pupil_fields |= changed
        if fields:
            self.plan.changes.append(Change(CHANGE, upn, f"{label} ({group})", fields))
        else:
            self.plan.unchanged += 1

    def add(self, record, upn, label, values, year_group, tutor_group, tutor_group_shown):
        pupil = Pupil(school=self.school, upn=upn, year_group=year_group, **values)
        pupil.tutor_group = tutor_group
        self.new_pupils.append(pupil)
        self.pupils[upn] = pupil
        fields = [
            ("UPN", "", upn),
            (LABELS["first_name"], "", values["first_name"]),
            (LABELS["last_name"], "", values["last_name"]),
            (LABELS["date_of_birth"], "", shown(values["date_of_birth"])),
            (LABELS["year_group"], "", str(year_group)),
            (LABELS["tutor_group"], "", tutor_group_shown),
            (LABELS["admission_number"], "", values["admission_number"]),
        ]
        fields += [
            (LABELS[name], "", shown_field(name, values[name]))
            for name in ("gender", *FLAG_FIELDS)
            if values.get(name) not in (None, "", False)
        ]
        fields += self.compare_contacts(record, pupil)
        self.plan.changes.append(Change(ADD, upn, f"{label} ({tutor_group})", fields))

    def check_upn(self, record) -> str:
        upn = record.upn.strip().upper()
        line = record.lines.get("upn", record.line)
        if not upn:
            self.error(record, "upn", "Missing UPN")
        elif not UPN_FORMAT.fullmatch(upn):
            self.error(
                record,
                "upn",
                f"UPN {upn} is not a unique pupil number (a letter, 11 digits, then a digit "
                "or letter)",
            )
        elif upn in self.seen_upns:
            first = self.seen_upns[upn]
            self.error(record, "upn", f"The UPN {upn} is used twice (lines {first} and {line})")
        else:
            self.seen_upns[upn] = line
        return upn

    def check_names(self, record) -> tuple[str, str]:
        first_name, last_name = record.first_name.strip(), record.last_name.strip()
        if not first_name:
            self.error(record, "first_name", "Missing first name")
        if not last_name:
            self.error(record, "last_name", "Missing surname")
        for name, value in (("first_name", first_name), ("last_name", last_name)):
            if len(value) > 100:
                self.error(record, name, f"{LABELS[name]} is longer than 100 characters")
        return first_name, last_name

    def check_date_of_birth(self, record):
        born = record.date_of_birth
        if born is None and "date_of_birth" not in record.unread:
            self.error(record, "date_of_birth", "Missing date of birth")
        elif born is not None and born > self.today:
            self.error(record, "date_of_birth", f"Date of birth {born:%d/%m/%Y} is in the future")
        elif born is not None and born.year < EARLIEST_YEAR:
            self.error(record, "date_of_birth", f"Date of birth {born:%d/%m/%Y} is too long ago")

    def check_year(self, record) -> YearGroup | None:
        if record.year is None:
            if "year" not in record.unread:
                self.error(record, "year", "Missing year group")
            return None
        if not 7 <= record.year <= 13:
            self.error(
                record,
                "year",
                f"Unknown year group {record.year}: only Years 7 to 13 are taught here",
            )
            return None
        year_group = self.year_groups.get(record.year)
        if year_group is None:
            # A school starting from its name alone gets its year groups from its roll.
            year_group = YearGroup(school=self.school, number=record.year)
            self.year_groups[record.year] = year_group
            self.new_year_groups.append(year_group)
        return year_group

    def check_admission_number(self, record, upn, pupil) -> str | None:
        """The pupil's admission number: the file's, else a joiner's UPN, else None (the
        school's stays)."""
        admission_number = record.admission_number.strip()
        if not admission_number:
            if pupil is not None:
                return None
            admission_number = upn
        holder = self.admission_numbers.get(admission_number)
        if len(admission_number) > 20:
            self.error(record, "admission_number", "Admission number is longer than 20 characters")
        elif holder is not None and holder != upn:
            self.error(
                record,
                "admission_number",
                f"Admission number {admission_number} belongs to another pupil (UPN {holder})",
            )
        elif upn:
            self.admission_numbers[admission_number] = upn
        return admission_number

    def tutor_group_for(self, record, pupil, year_group):
        """The tutor group the pupil belongs in (a new one if the school has none of that
        name) and how to show it; (None, "") with an error when it cannot be known."""
        name = " ".join(record.tutor_group.split())
        if not name:
            if pupil is None:
                self.error(record, "tutor_group", "Missing tutor group")
                return None, ""
            current = self.groups_by_id.get(pupil.tutor_group_id)
            if year_group is not None and current and current.year_group_id != year_group.id:
                self.error(
                    record,
                    "tutor_group",
                    f"Missing tutor group: the pupil moves to {year_group} and their tutor "
                    f"group {current.name} is in another year",
                )
            return None, ""
        if len(name) > 20:
            self.error(record, "tutor_group", f"Tutor group {name} is longer than 20 characters")
            return None, ""
        if year_group is None:
            return None, ""
        group = self.tutor_groups.get(text_key(name))
        if group is None:
            group = TutorGroup(
                school=self.school,
                name=name,
                year_group=year_group,
                academic_year=self.academic_year,
            )
            self.tutor_groups[text_key(name)] = group
            self.new_tutor_groups[text_key(name)] = group
        in_year = (
            group.year_group is year_group  # a group this file adds: no query
            if group._state.adding
            else group.year_group_id == year_group.id
        )
        if not in_year:
            self.error(
                record,
                "tutor_group",
                f"Tutor group {group.name} is in {self.years_by_id[group.year_group_id]}, "
                f"not {year_group}",
            )
            return None, ""
        if text_key(name) in self.new_tutor_groups:
            return group, f"{group.name} (new tutor group)"
        return group, group.name

    def mark_leavers(self):
        in_file = set(self.seen_upns)
        for upn, pupil in sorted(self.pupils.items()):
            if upn in in_file or pupil.id is None:
                continue
            if pupil.left_on is not None:
                continue  # gone already, or with a leaving date of its own to come
            group = self.groups_by_id.get(pupil.tutor_group_id)
            label = f"{pupil.full_name} ({group.name})" if group else pupil.full_name
            self.plan.changes.append(
                Change(
                    LEAVE,
                    upn,
                    label,
                    [(LABELS["left_on"], shown(pupil.left_on), shown(self.today))],
                )
            )
            pupil.left_on = self.today
            self.leavers.append(pupil)
            self.pupil_history.append((pupil, [(LABELS["left_on"], "", shown(self.today))]))

    # Writing -----------------------------------------------------------------------------

    def write(self, progress: Progress):
        total = len(self.file.pupils)
        progress(0, total)
        YearGroup.objects.bulk_create(self.new_year_groups)
        TutorGroup.objects.bulk_create(self.new_tutor_groups.values())
        Pupil.objects.bulk_create(self.new_pupils, batch_size=BATCH)
        progress(len(self.new_pupils), total)
        if self.changed_pupils:
            Pupil.objects.bulk_update(
                self.changed_pupils, sorted(self.changed_pupil_fields), batch_size=BATCH
            )
        if self.leavers:
            Pupil.objects.filter(id__in=[pupil.id for pupil in self.leavers]).update(
                left_on=self.today
            )
        progress(len(self.new_pupils) + len(self.changed_pupils), total)
        Guardian.objects.bulk_create(self.new_guardians, batch_size=BATCH)
        if self.changed_guardians:
            Guardian.objects.bulk_update(
                self.changed_guardians.values(),
                sorted(self.changed_guardian_fields),
                batch_size=BATCH,
            )
        if self.removed_links:
            GuardianLink.objects.filter(id__in=self.removed_links).delete()
        GuardianLink.objects.bulk_create(self.new_links, batch_size=BATCH)
        if self.changed_links:
            GuardianLink.objects.bulk_update(
                self.changed_links,
                ["relationship", "parental_responsibility", "contact_priority"],
                batch_size=BATCH,
            )
        progress(total, total)

    def write_history(self, actor):
        """Every change to a pupil or guardian who was on the school's records before the
        file, in one insert (a new record is its own history)."""
        now = timezone.now()
        source = PersonChange.Source.IMPORT
        rows = []
        for pupil, fields in self.pupil_history:
            rows += history.person_change_rows(
                pupil=pupil,
                before={label: old for label, old, _new in fields},
                after={label: new for label, _old, new in fields},
                actor=actor,
                source=source,
                at=now,
            )
        for guardian, label, old, new in self.guardian_history:
            rows += history.person_change_rows(
                guardian=guardian,
                before={label: old},
                after={label: new},
                actor=actor,
                source=source,
                at=now,
            )
        for pupil, guardian, before, after in self.link_history:
            rows += history.link_change_rows(
                pupil=pupil,
                guardian=guardian,
                before=before,
                after=after,
                actor=actor,
                source=source,
                at=now,
            )
        history.person_changes_save(rows)
