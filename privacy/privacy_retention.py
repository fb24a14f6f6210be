"""School's and privacy's own lines of the retention schedule (registry.discover): the
pupil records of leavers, the change history left of anonymised leavers, and the access
log. Other apps register theirs in their own privacy_retention.py."""

import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.db.models import ProtectedError, QuerySet
from django.utils import timezone

from school.models import GuardianLink, PersonChange, Pupil, School, User

from .models import AccessLogEntry
from .registry import RecordKind, register_record_kind
from .retention.events import rows_delete, start_of

OUR_SUGGESTION = "Our suggestion; confirm it with your data protection officer."
FORMER_FIRST_NAME = "Former pupil"
ANONYMISED_FIELD = "record"
ANONYMISED_NOTE = "Anonymised under the retention schedule"


def cohort_birthday(born: datetime.date) -> datetime.date:
    """1 September of the academic year the pupil was born in: the cohort (their year
    group) stays, the birthday goes."""
    return datetime.date(born.year if born.month >= 9 else born.year - 1, 9, 1)


# Leavers' pupil records ---------------------------------------------------------------


def leavers_due(school: School, cutoff: datetime.date) -> QuerySet:
    return Pupil.objects.filter(
        school=school, left_on__isnull=False, left_on__lt=cutoff, anonymised_at__isnull=True
    )


def _login_remove(user: User) -> None:
    """Delete the leaver's login, with django-axes' records of its sign-ins (they carry
    the address); one that other records protect is made unusable and its name and
    address cleared instead."""
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username=user.email).delete()
    try:
        with transaction.atomic():
            user.delete()
    except ProtectedError:
        user.set_unusable_password()
        User.objects.filter(pk=user.pk).update(
            email=f"former-pupil-{user.pk}@invalid",
            first_name="",
            last_name="",
            is_active=False,
            password=user.password,
        )


def leavers_apply(rows: QuerySet) -> int:
    at = timezone.now()
    done = 0
    for pupil in rows.select_related("user").order_by("pk"):
        user = pupil.user
        PersonChange.objects.filter(pupil=pupil).delete()
        GuardianLink.objects.filter(pupil=pupil).delete()
        pupil.first_name = FORMER_FIRST_NAME
        pupil.last_name = f"#{pupil.pk}"
        pupil.upn = f"anon-{pupil.pk}"[:13]
        pupil.admission_number = f"anon-{pupil.pk}"
        pupil.date_of_birth = cohort_birthday(pupil.date_of_birth)
        pupil.travel_note = ""
        pupil.user = None
        pupil.anonymised_at = at
        pupil.save(
            update_fields=[
                "first_name",
                "last_name",
                "upn",
                "admission_number",
                "date_of_birth",
                "travel_note",
                "user",
                "anonymised_at",
            ]
        )
        if user is not None:
            _login_remove(user)
        PersonChange.objects.create(
            school_id=pupil.school_id,
            pupil=pupil,
            field=ANONYMISED_FIELD,
            old_value="",
            new_value=ANONYMISED_NOTE,
            changed_by=None,
            changed_at=at,
            source=PersonChange.Source.RETENTION,
        )
        done += 1
    return done


register_record_kind(
    RecordKind(
        key="leavers",
        label="Leavers' pupil records",
        event="the pupil leaving",
        default_months=108,
        guidance=(
            "The IRMS toolkit for schools suggests a secondary school keeps a pupil's record "
            "until the pupil is 25 (date of birth + 25 years). A pupil leaving at 16 is 25 "
            "nine years later, hence 108 months; the school's MIS holds the full record."
        ),
        action=(
            'Anonymised: the name becomes "Former pupil", the UPN and admission number are '
            "replaced, the date of birth becomes 1 September of their school year, the "
            "travel note is cleared, their login is deleted, their links to parents and the "
            "history of changes to their record are removed. The pupil row stays, so every "
            "count of misses, sanctions and club visits stays the same."
        ),
        due=leavers_due,
        apply=leavers_apply,
        pupil_path="",
        order=900,
        covers=(Pupil, GuardianLink),
    )
)


# What is left of an anonymised leaver's change history -------------------------------


def leaver_history_due(school: School, cutoff: datetime.date) -> QuerySet:
    return PersonChange.objects.filter(
        school=school, pupil__anonymised_at__isnull=False, changed_at__lt=start_of(school, cutoff)
    )


register_record_kind(
    RecordKind(
        key="leaver_history",
        label="Change history of anonymised leavers",
        event="the change",
        default_months=12,
        guidance=(
            "When a leaver's record is anonymised its earlier history goes with it; what "
            "stays is the note that it was anonymised. " + OUR_SUGGESTION
        ),
        action="Deleted: the note that the record was anonymised, and any later change.",
        due=leaver_history_due,
        apply=rows_delete,
        pupil_path="pupil",
        order=910,
        covers=(PersonChange,),
    )
)


# The access log -----------------------------------------------------------------------


def access_log_due(school: School, cutoff: datetime.date) -> QuerySet:
    return AccessLogEntry.objects.filter(school=school, at__lt=start_of(school, cutoff))


register_record_kind(
    RecordKind(
        key="access_log",
        label="Access log (who opened a pupil's record)",
        event="the day the record was opened",
        default_months=24,
        guidance=(
            "Long enough to answer a question about who looked at a record in the last "
            "two school years. " + OUR_SUGGESTION
        ),
        action="Deleted.",
        due=access_log_due,
        apply=rows_delete,
        pupil_path="pupil",
        order=920,
        covers=(AccessLogEntry,),
    )
)
