"""The pupils plan's comparison of each pupil's contacts (mis/plans/pupils.py): which
guardian each contact is, what changes in their details, and which links are added,
changed or removed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import capfirst

from school import history
from school.models import Guardian, GuardianLink, Pupil

from .pupil_records import (
    GUARDIAN_FIELDS,
    KEPT_WHEN_EMPTY,
    ContactRecord,
    contact_text,
    text_key,
)


class ContactsComparison:
    """Mixed into the pupils plan, whose state (the school's guardians and links, what
    write() saves, the plan's errors) it reads and fills."""

    def contact_errors(self, record, contact: ContactRecord) -> bool:
        """Reports what is wrong with a contact; True if anything is."""
        before = len(self.plan.errors)
        if not contact.last_name.strip():
            self.error(record, "contact_last_name", "Missing contact's surname", contact.line)
        if not contact.first_name.strip() and not contact.title.strip():
            self.error(record, "contact_first_name", "Missing contact's first name", contact.line)
        email = contact.email.strip().lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                self.error(
                    record,
                    "contact_email",
                    f"The email {contact.email.strip()} is not an email address",
                    contact.line,
                )
            else:
                name = text_key(f"{contact.first_name} {contact.last_name}")
                first = self.file_emails.setdefault(email, (contact.line, name))
                if first[1] != name:
                    self.error(
                        record,
                        "contact_email",
                        f"The email {email} is used twice (lines {first[0]} and "
                        f"{contact.line}) for different people",
                        contact.line,
                    )
        for field, size in (("title", 20), ("first_name", 100), ("last_name", 100)):
            if len(getattr(contact, field).strip()) > size:
                self.error(
                    record,
                    f"contact_{field}",
                    f"The contact's {GUARDIAN_FIELDS[field]} is longer than {size} characters",
                    contact.line,
                )
        for field in ("mobile", "home_phone", "work_phone"):
            if len(getattr(contact, field).strip()) > 30:
                self.error(
                    record,
                    f"contact_{field}",
                    f"The contact's {GUARDIAN_FIELDS[field]} is longer than 30 characters",
                    contact.line,
                )
        return len(self.plan.errors) > before

    def check_contacts(self, record):
        for contact in record.contacts or ():
            self.contact_errors(record, contact)

    def compare_contacts(self, record, pupil: Pupil) -> list:
        """The changes to the pupil's contacts, as fields of the pupil's change."""
        if record.contacts is None:
            return []
        fields = []
        existing = self.links.get(pupil.id, []) if pupil.id else []
        by_guardian = {link.guardian_id: link for link in existing}
        kept: set[int] = set()
        linked: set[int] = set()  # the guardians (by Python id) this file links the pupil to
        for contact in sorted(record.contacts, key=lambda contact: contact.order):
            if self.contact_errors(record, contact):
                continue
            guardian = self.guardian_for(contact, existing)
            if id(guardian) in linked:
                continue
            linked.add(id(guardian))
            fields += self.compare_guardian(guardian, contact)
            name = guardian.full_name
            link = by_guardian.get(guardian.id) if guardian.id else None
            wanted = {
                "relationship": contact.relationship,
                "parental_responsibility": contact.parental_responsibility,
                "contact_priority": contact.order,
            }
            if link is None:
                self.new_links.append(GuardianLink(guardian=guardian, pupil=pupil, **wanted))
                if pupil.id is not None:
                    self.link_history.append((pupil, guardian, None, wanted))
                text = contact_text(
                    name, contact.relationship, contact.parental_responsibility, contact.order
                )
                if contact.email.strip():
                    text += f" {contact.email.strip().lower()}"
                fields.append(("Contact added", "", text))
                continue
            kept.add(link.id)
            before = contact_text(
                name, link.relationship, link.parental_responsibility, link.contact_priority
            )
            if any(getattr(link, key) != value for key, value in wanted.items()):
                self.link_history.append((pupil, guardian, history.link_values(link), wanted))
                for key, value in wanted.items():
                    setattr(link, key, value)
                self.changed_links.append(link)
                after = contact_text(
                    name, link.relationship, link.parental_responsibility, link.contact_priority
                )
                fields.append(("Contact", before, after))
        for link in existing:
            if link.id not in kept:
                guardian = self.guardians[link.guardian_id]
                self.removed_links.append(link.id)
                self.link_history.append((pupil, guardian, history.link_values(link), None))
                text = contact_text(
                    guardian.full_name,
                    link.relationship,
                    link.parental_responsibility,
                    link.contact_priority,
                )
                fields.append(("Contact removed", text, ""))
        return fields

    def guardian_for(self, contact: ContactRecord, existing: list[GuardianLink]) -> Guardian:
        email = contact.email.strip().lower()
        if email and email in self.guardians_by_email:
            return self.guardians_by_email[email]
        name = (text_key(contact.first_name), text_key(contact.last_name))
        for link in existing:
            guardian = self.guardians[link.guardian_id]
            if (text_key(guardian.first_name), text_key(guardian.last_name)) == name:
                return guardian
        guardian = Guardian(
            school=self.school,
            title=contact.title.strip(),
            first_name=contact.first_name.strip(),
            last_name=contact.last_name.strip(),
            email=email,
            mobile=contact.mobile.strip(),
            home_phone=contact.home_phone.strip(),
            work_phone=contact.work_phone.strip(),
            address=contact.address.strip(),
        )
        if not email and guardian.mobile:
            guardian.notification_channel = Guardian.Channel.SMS
        self.new_guardians.append(guardian)
        self.guardians_done.add(id(guardian))
        if email:
            self.guardians_by_email[email] = guardian
        return guardian

    def compare_guardian(self, guardian: Guardian, contact: ContactRecord) -> list:
        """Updates a known guardian's details from the contact (once per file: a guardian
        of several pupils is compared at the first of them)."""
        if id(guardian) in self.guardians_done:
            return []
        self.guardians_done.add(id(guardian))
        name = guardian.full_name
        fields = []
        for field, label in GUARDIAN_FIELDS.items():
            value = getattr(contact, field).strip()
            if field == "email":
                value = value.lower()
            if not value and field in KEPT_WHEN_EMPTY:
                continue
            old = getattr(guardian, field)
            if old != value and not (field == "email" and old.lower() == value):
                fields.append((f"{name}: {label}", old, value))
                self.guardian_history.append((guardian, capfirst(label), old, value))
                setattr(guardian, field, value)
                self.changed_guardians[guardian.id] = guardian
                self.changed_guardian_fields.add(field)
                if field == "email" and value:
                    self.guardians_by_email.setdefault(value, guardian)
        return fields
