"""The email the nightly sync (mis/nightly.py) sends a school's admins: one message a night
listing each file it took, what it did, and the link to its run's page.

It goes to staff, not to families, so it is not one of the kinds of message families
choose in notifications' registry: it is sent as the other staff emails are (a message
to the member of staff a parent wrote to, an invitation), by notifications'
`email_queue`, through Django's mail backend once the transaction commits."""

from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from notifications.services import email_queue
from school.calendar import school_time_zone
from school.models import RoleAssignment, School


def school_admin_emails(school: School) -> list[str]:
    """The addresses of the school's admins with a login that works, each once."""
    emails = (
        RoleAssignment.objects.filter(
            school=school, role=RoleAssignment.Role.SCHOOL_ADMIN, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )
    return sorted({email.strip().lower() for email in emails if email.strip()})


def _run_url(run) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("mis_import_run", args=[run.pk])


def nightly_summary_send(*, school: School, outcomes, now: datetime | None = None) -> list[str]:
    """Queues the summary of one night's files (mis/nightly.py's FileOutcome list) to each
    of the school's admins, one message each; returns the addresses."""
    recipients = school_admin_emails(school)
    if not recipients:
        return []
    files = [
        {
            "name": outcome.file_name,
            "kind": outcome.kind.label if outcome.kind else "Not a kind of file the import knows",
            "summary": outcome.summary,
            "applied": outcome.applied,
            "url": _run_url(outcome.run) if outcome.run else "",
        }
        for outcome in outcomes
    ]
    applied = sum(1 for outcome in outcomes if outcome.applied)
    with school_time_zone(school):
        day = timezone.localtime(now or timezone.now())
    context = {
        "school": school,
        "day": day,
        "files": files,
        "applied": applied,
        "not_applied": len(files) - applied,
        "history_url": settings.SITE_URL.rstrip("/") + reverse("mis_import_history"),
    }
    with translation.override(settings.LANGUAGE_CODE):  # staff read the school's language
        subject = " ".join(
            render_to_string("mis/email/nightly_summary_subject.txt", context).split()
        )
        body = render_to_string("mis/email/nightly_summary.txt", context)
        html_body = render_to_string("mis/email/nightly_summary.html", context)
    for email in recipients:
        email_queue(subject=subject, body=body, html_body=html_body, to=[email])
    return recipients
