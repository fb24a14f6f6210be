"""Writing and publishing: the version families sign now, the year's versions and the text
the editor starts from, a draft saved or discarded, a draft published."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Subquery
from django.utils import timezone

from school import access
from school.calendar import academic_year_for, academic_years_for
from school.models import AcademicYear, User

from ..models import Agreement, AgreementTranslation
from .defaults import DEFAULT_TEXT
from .text import CHANGED_ELSEWHERE, TEXT_FIELDS, AgreementError, text_clean


def current_year_id(school_ref, today: date) -> Subquery:
    return Subquery(academic_years_for(school_ref, today).values("pk"))


def agreement_current(school_id: int, today: date) -> Agreement | None:
    """The published version families sign now: the highest of the current year."""
    return (
        Agreement.objects.filter(
            school_id=school_id,
            status=Agreement.Status.PUBLISHED,
            academic_year_id=current_year_id(school_id, today),
        )
        .select_related("academic_year")
        .order_by("-version")
        .first()
    )


def may_write(user) -> bool:
    return access.is_school_wide(user)


@dataclass
class EditorPage:
    year: AcademicYear | None
    current: Agreement | None
    draft: Agreement | None
    versions: list[Agreement]
    initial: dict


def editor_page(user, today: date) -> EditorPage:
    """The year's versions (newest first, with how many signed each), its draft and current
    version, and the text the form starts from: the draft, else the current version, else
    the latest version of an earlier year, else the default text."""
    year = academic_year_for(user.school_id, today)
    if year is None:
        return EditorPage(year=None, current=None, draft=None, versions=[], initial={})
    versions = list(
        Agreement.objects.filter(school_id=user.school_id, academic_year=year)
        .select_related("published_by", "created_by")
        .annotate(signed=Count("signatures__pupil", distinct=True))
        .order_by("-version")
    )
    draft = next((a for a in versions if a.status == Agreement.Status.DRAFT), None)
    current = next((a for a in versions if a.status == Agreement.Status.PUBLISHED), None)
    source = draft or current
    if source is None:
        source = (
            Agreement.objects.filter(
                school_id=user.school_id, academic_year__start_date__lt=year.start_date
            )
            .order_by("-academic_year__start_date", "-version")
            .first()
        )
    initial = {name: getattr(source, name) for name in TEXT_FIELDS} if source else DEFAULT_TEXT
    return EditorPage(year=year, current=current, draft=draft, versions=versions, initial=initial)


def agreement_for_staff(user, agreement_id: int) -> Agreement:
    """One version of the viewer's school (raises Agreement.DoesNotExist otherwise)."""
    return Agreement.objects.select_related("academic_year", "published_by").get(
        pk=agreement_id, school_id=user.school_id
    )


@transaction.atomic
def agreement_draft_save(*, actor: User, year: AcademicYear, text: dict) -> Agreement:
    """Save the year's draft: the existing draft is rewritten; without one, a new version
    is started (a published version is never edited: changing it makes a new draft)."""
    if year.school_id != actor.school_id:
        raise AgreementError("This academic year belongs to another school.")
    cleaned = text_clean(text)
    versions = Agreement.objects.select_for_update().filter(
        school_id=year.school_id, academic_year=year
    )
    existing = list(versions.order_by("-version"))
    draft = next((a for a in existing if a.status == Agreement.Status.DRAFT), None)
    try:
        with transaction.atomic():
            if draft is not None:
                for name, value in cleaned.items():
                    setattr(draft, name, value)
                draft.save(update_fields=list(TEXT_FIELDS))
                return draft
            return Agreement.objects.create(
                school_id=year.school_id,
                academic_year=year,
                version=(existing[0].version if existing else 0) + 1,
                created_by=actor,
                status=Agreement.Status.DRAFT,
                **cleaned,
            )
    except IntegrityError:
        raise AgreementError(CHANGED_ELSEWHERE) from None


@transaction.atomic
def agreement_draft_discard(*, actor: User, agreement: Agreement) -> None:
    locked = Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    if locked is None or locked.school_id != actor.school_id:
        raise AgreementError("This draft has gone: someone else discarded or published it.")
    if locked.status != Agreement.Status.DRAFT:
        raise AgreementError("This version is published: it can no longer be discarded.")
    locked.delete()


@transaction.atomic
def agreement_publish(
    *, actor: User, agreement: Agreement, now: datetime | None = None
) -> Agreement:
    """Publish the draft: it becomes the version families sign, and signatures of earlier
    versions stay with those versions (families are asked to sign the new one)."""
    now = now or timezone.now()
    locked = (
        Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
        if agreement.school_id == actor.school_id
        else None
    )
    if locked is None:
        raise AgreementError("This draft has gone: someone else discarded it.")
    if locked.status != Agreement.Status.DRAFT:
        raise AgreementError(f"Version {locked.version} is already published.")
    previous = (
        Agreement.objects.filter(
            school_id=locked.school_id,
            academic_year_id=locked.academic_year_id,
            status=Agreement.Status.PUBLISHED,
        )
        .order_by("-version")
        .first()
    )
    if previous is not None and all(
        getattr(previous, name) == getattr(locked, name) for name in TEXT_FIELDS
    ):
        raise AgreementError(
            f"This draft is the same as the published version {previous.version}: change "
            "the text first, or discard the draft."
        )
    locked.status = Agreement.Status.PUBLISHED
    locked.published_at, locked.published_by = now, actor
    locked.save(update_fields=["status", "published_at", "published_by"])
    # The translations written for the draft go out with it.
    AgreementTranslation.objects.filter(agreement=locked, published_at__isnull=True).update(
        published_at=now, published_by=actor
    )
    return locked
