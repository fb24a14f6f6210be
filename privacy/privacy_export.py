"""School's own records in a subject access export: the pupil's or guardian's details,
classes, placements, family links, the history of changes to the record, the login and
its sign-ins, who opened the pupil's record, and the earlier exports about them. Other
apps add theirs in their own privacy_export.py (registry.discover)."""

from axes.models import AccessAttempt, AccessLog

from school.models import (
    Guardian,
    GuardianLink,
    PersonChange,
    Pupil,
    PupilPlacement,
    TeachingGroup,
    User,
)

from .models import AccessLogEntry, LegalHold, SubjectAccessExport
from .registry import (
    GUARDIAN,
    PUPIL,
    ExportSection,
    register_export_section,
    register_not_exported,
)


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


# A pupil -------------------------------------------------------------------------------


def pupil_details(pupil: Pupil, context):
    pupil = Pupil.objects.select_related("school", "year_group", "tutor_group", "house").get(
        pk=pupil.pk
    )
    yield {
        "First name": pupil.first_name,
        "Last name": pupil.last_name,
        "UPN": pupil.upn,
        "Admission number": pupil.admission_number,
        "Date of birth": pupil.date_of_birth,
        "School": pupil.school.name,
        "Year group": str(pupil.year_group),
        "Tutor group": str(pupil.tutor_group),
        "House": str(pupil.house) if pupil.house else "",
        "Gender": pupil.get_gender_display(),
        "First language": pupil.first_language,
        "Pupil premium": _yes(pupil.pupil_premium),
        "Free school meals": _yes(pupil.free_school_meals),
        "SEN": pupil.get_sen_display(),
        "EAL": _yes(pupil.eal),
        "Young carer": _yes(pupil.young_carer),
        "Looked after": _yes(pupil.looked_after),
        "Travel note": context.redact(pupil.travel_note),
        "Left on": pupil.left_on,
        "Anonymised at": pupil.anonymised_at,
    }


def pupil_classes(pupil: Pupil, context):
    groups = (
        TeachingGroup.objects.filter(pupils=pupil)
        .select_related("academic_year", "subject", "year_group")
        .prefetch_related("teachers")
        .order_by("-academic_year__start_date", "subject__name", "name")
    )
    for group in groups:
        yield {
            "Academic year": str(group.academic_year),
            "Subject": group.subject.name,
            "Class": group.name,
            "Teachers": ", ".join(context.staff_name(t) for t in group.teachers.all()),
            "Archived on": group.archived_on,
        }


def pupil_placements(pupil: Pupil, context):
    placements = (
        PupilPlacement.objects.filter(pupil=pupil)
        .select_related("academic_year", "year_group", "tutor_group")
        .order_by("academic_year__start_date")
    )
    for placement in placements:
        yield {
            "Academic year": str(placement.academic_year),
            "Year group": str(placement.year_group),
            "Tutor group": str(placement.tutor_group),
        }


def pupil_family(pupil: Pupil, context):
    links = (
        GuardianLink.objects.filter(pupil=pupil)
        .select_related("guardian")
        .order_by("contact_priority", "pk")
    )
    for link in links:
        yield {
            "Parent or carer": link.guardian.full_name,
            "Relationship": link.get_relationship_display(),
            "Parental responsibility": _yes(link.parental_responsibility),
            "Contact priority": link.contact_priority,
        }


def _changes(rows, context):
    for change in rows.select_related("changed_by").order_by("changed_at", "pk"):
        yield {
            "When": change.changed_at,
            "What": change.field,
            "Was": context.redact(change.old_value),
            "Became": context.redact(change.new_value),
            "By": context.staff_name(change.changed_by),
            "Source": change.get_source_display(),
        }


def pupil_changes(pupil: Pupil, context):
    return _changes(PersonChange.objects.filter(pupil=pupil), context)


def _logins(users: list[User]):
    """The accounts' own details, then each recorded sign-in and failed attempt (django-axes
    keeps them by the address typed, lower-cased: school.auth.lockout_username)."""
    emails = [user.email.lower() for user in users]
    for user in users:
        yield {
            "Record": "Login",
            "Email": user.email,
            "When": user.date_joined,
            "Detail": "Account made",
            "Last login": user.last_login,
            "IP address": "",
            "Browser": "",
        }
    if not emails:
        return
    for entry in AccessLog.objects.filter(username__in=emails).order_by("attempt_time"):
        yield {
            "Record": "Sign-in",
            "Email": entry.username,
            "When": entry.attempt_time,
            "Detail": f"Signed out {entry.logout_time:%d/%m/%Y %H:%M}" if entry.logout_time else "",
            "Last login": None,
            "IP address": entry.ip_address or "",
            "Browser": entry.user_agent,
        }
    for attempt in AccessAttempt.objects.filter(username__in=emails).order_by("attempt_time"):
        yield {
            "Record": "Failed sign-in attempts",
            "Email": attempt.username,
            "When": attempt.attempt_time,
            "Detail": f"{attempt.failures_since_start} failed",
            "Last login": None,
            "IP address": attempt.ip_address or "",
            "Browser": attempt.user_agent,
        }


def pupil_login(pupil: Pupil, context):
    users = list(User.objects.filter(pupil=pupil.pk))
    return _logins(users)


def pupil_access_log(pupil: Pupil, context):
    entries = AccessLogEntry.objects.filter(pupil=pupil).select_related("user").order_by("at")
    for entry in entries:
        yield {
            "When": entry.at,
            "Who": context.staff_name(entry.user),
            "Page": entry.page,
        }


def _exports(rows, context):
    for export in rows.select_related("requested_by", "downloaded_by").order_by("requested_at"):
        yield {
            "Asked for": export.requested_at,
            "Asked by": context.staff_name(export.requested_by),
            "Status": export.get_status_display(),
            "Downloaded by": context.staff_name(export.downloaded_by),
            "Downloaded at": export.downloaded_at,
        }


def pupil_exports(pupil: Pupil, context):
    return _exports(SubjectAccessExport.objects.filter(pupil=pupil), context)


# A guardian -----------------------------------------------------------------------------


def guardian_details(guardian: Guardian, context):
    guardian = Guardian.objects.select_related("school").get(pk=guardian.pk)
    yield {
        "Title": guardian.title,
        "First name": guardian.first_name,
        "Last name": guardian.last_name,
        "Email": guardian.email,
        "Mobile": guardian.mobile,
        "Home phone": guardian.home_phone,
        "Work phone": guardian.work_phone,
        "Address": guardian.address,
        "Preferred language": guardian.get_preferred_language_display(),
        "Notifications by": guardian.get_notification_channel_display(),
        "School": guardian.school.name,
        "Erased at": guardian.erased_at,
    }


def guardian_children(guardian: Guardian, context):
    links = (
        GuardianLink.objects.filter(guardian=guardian)
        .select_related("pupil")
        .order_by("contact_priority", "pk")
    )
    for link in links:
        yield {
            "Child": link.pupil.full_name,
            "Relationship": link.get_relationship_display(),
            "Parental responsibility": _yes(link.parental_responsibility),
            "Contact priority": link.contact_priority,
        }


def guardian_changes(guardian: Guardian, context):
    return _changes(PersonChange.objects.filter(guardian=guardian), context)


def guardian_login(guardian: Guardian, context):
    users = list(User.objects.filter(guardian_records=guardian.pk))
    return _logins(users)


def guardian_exports(guardian: Guardian, context):
    return _exports(SubjectAccessExport.objects.filter(guardian=guardian), context)


SECTIONS = [
    ExportSection(
        key="pupil_details",
        title="Pupil details and flags",
        about=PUPIL,
        covers=(Pupil,),
        rows=pupil_details,
        description="The pupil's record as the school holds it, with the flags staff see.",
        order=10,
    ),
    ExportSection(
        key="pupil_classes",
        title="Classes",
        about=PUPIL,
        covers=(TeachingGroup, TeachingGroup.pupils.through),
        rows=pupil_classes,
        description="Every class the pupil is or was in, with its teachers.",
        order=11,
    ),
    ExportSection(
        key="pupil_placements",
        title="Past year and tutor groups",
        about=PUPIL,
        covers=(PupilPlacement,),
        rows=pupil_placements,
        description="Where the pupil was in each academic year that has ended.",
        order=12,
    ),
    ExportSection(
        key="pupil_family",
        title="Parents and carers",
        about=PUPIL,
        covers=(GuardianLink,),
        rows=pupil_family,
        description="The parents and carers linked to the pupil (their own details are in "
        "their own export).",
        order=13,
    ),
    ExportSection(
        key="pupil_changes",
        title="Changes to the record",
        about=PUPIL,
        covers=(PersonChange,),
        rows=pupil_changes,
        description="What changed in the pupil's record, when, by whom and from where.",
        order=14,
    ),
    ExportSection(
        key="pupil_login",
        title="Login and sign-ins",
        about=PUPIL,
        covers=(),
        rows=pupil_login,
        description="The pupil's login, and the sign-ins and failed attempts recorded for it.",
        order=15,
    ),
    ExportSection(
        key="pupil_access_log",
        title="Who opened the pupil's record",
        about=PUPIL,
        covers=(AccessLogEntry,),
        rows=pupil_access_log,
        description="Each time a member of staff opened a page showing the pupil's "
        "sensitive record.",
        order=900,
    ),
    ExportSection(
        key="pupil_exports",
        title="Subject access exports",
        about=PUPIL,
        covers=(SubjectAccessExport,),
        rows=pupil_exports,
        description="Every export of the pupil's record, this one included.",
        order=910,
    ),
    ExportSection(
        key="guardian_details",
        title="Your details",
        about=GUARDIAN,
        covers=(Guardian,),
        rows=guardian_details,
        description="The parent's or carer's record as the school holds it.",
        order=10,
    ),
    ExportSection(
        key="guardian_children",
        title="Children",
        about=GUARDIAN,
        covers=(GuardianLink,),
        rows=guardian_children,
        description="The children the record is linked to.",
        order=11,
    ),
    ExportSection(
        key="guardian_changes",
        title="Changes to the record",
        about=GUARDIAN,
        covers=(PersonChange,),
        rows=guardian_changes,
        description="What changed in the record, when, by whom and from where.",
        order=14,
    ),
    ExportSection(
        key="guardian_login",
        title="Login and sign-ins",
        about=GUARDIAN,
        covers=(),
        rows=guardian_login,
        description="The login behind the record, and the sign-ins and failed attempts "
        "recorded for it.",
        order=15,
    ),
    ExportSection(
        key="guardian_exports",
        title="Subject access exports",
        about=GUARDIAN,
        covers=(SubjectAccessExport,),
        rows=guardian_exports,
        description="Every export of the record, this one included.",
        order=910,
    ),
]

for _section in SECTIONS:
    register_export_section(_section)

register_not_exported(
    LegalHold,
    "A legal hold may reveal a safeguarding case or a claim: the data protection lead "
    "decides what to disclose of it, separately from the export.",
)
