"""Inviting, in one click, the guardians an MIS import brought: on the page of an applied
import of pupils and contacts (mis's run page, the "mis run" place of school/panels.py),
a school admin of that school invites every guardian with parental responsibility for a
pupil the file added or changed who has an email address, no login and no invitation
waiting. The invitation is the parents' accounts' own (parents/accounts.py): one email
each with a one-time link. A second click finds them all invited and sends nothing."""

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse

from mis.models import ImportRun
from school import access, panels
from school.models import Guardian, GuardianLink, RoleAssignment, User

from . import accounts

MIS_RUN = "mis run"  # the place on mis's run page; context(*, run, user)
# The kinds of file that bring pupils with their contacts; their changes are keyed by UPN.
PUPIL_KINDS = ("ctf_pupils", "pupils_csv")


def may_invite_for(user, run: ImportRun) -> bool:
    """A school admin of the run's school (a superuser has no school to invite from)."""
    return (
        getattr(user, "school_id", None) is not None
        and user.school_id == run.school_id
        and access.has_role(user, RoleAssignment.Role.SCHOOL_ADMIN)
    )


def _upns_touched(run: ImportRun) -> list[str]:
    """The UPNs of the pupils the applied run added or changed (not those it marked as
    left)."""
    if run.kind not in PUPIL_KINDS or run.status != ImportRun.Status.APPLIED:
        return []
    return sorted(
        {
            str(change.get("key", "")).upper()
            for change in run.changes or ()
            if change.get("action") in ("add", "change") and change.get("key")
        }
    )


def guardians_to_invite(run: ImportRun) -> QuerySet[Guardian]:
    """The guardians with parental responsibility for a pupil the run added or changed
    who have an email address, no login and no invitation waiting."""
    upns = _upns_touched(run)
    if not upns:
        return Guardian.objects.none()
    links = GuardianLink.objects.filter(
        parental_responsibility=True, pupil__school_id=run.school_id, pupil__upn__in=upns
    )
    return accounts.guardian_list(run.school_id, status="not_invited").filter(
        pk__in=links.values("guardian_id")
    )


@transaction.atomic
def import_guardians_invite(*, actor: User, run: ImportRun, site: str) -> accounts.InviteResult:
    """Invites `guardians_to_invite(run)`. Their rows are locked first and whether each is
    invited already is read after the lock, so two clicks at once invite each guardian
    once."""
    if not may_invite_for(actor, run):
        raise accounts.AccountError("Only the school's admins invite the guardians of an import.")
    ids = list(
        Guardian.objects.select_for_update()
        .filter(pk__in=guardians_to_invite(run).values("pk"))
        .values_list("pk", flat=True)
    )
    guardians = list(guardians_to_invite(run).filter(pk__in=ids))
    return accounts.invitations_send(actor=actor, guardians=guardians, site=site, skip_pending=True)


def _panel(*, run: ImportRun, user) -> dict | None:
    """What the run page shows: for an applied pupils file, to the school's admins, how
    many guardians can be invited (one query), with the button."""
    if run.kind not in PUPIL_KINDS or run.status != ImportRun.Status.APPLIED:
        return None
    if not may_invite_for(user, run):
        return None
    return {
        "run": run,
        "count": guardians_to_invite(run).count(),
        "action": reverse("parents_import_invite", args=[run.pk]),
        "accounts_url": reverse("parents_accounts"),
    }


def panels_register() -> None:
    panels.register_panel(
        MIS_RUN, "parents invite", "parents/imports/_invite_panel.html", _panel, order=50
    )
