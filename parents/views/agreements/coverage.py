"""Who has signed, for the staff who look after the pupils: coverage by year and
tutor group, the lists as CSV, and reminders to the families who have not signed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from school.exports import csv_response
from school.models import TutorGroup

from ...agreements.coverage import (
    REMINDER_INTERVAL,
    coverage,
    groups_in_care,
    may_see_coverage,
    reminders_send,
    signed_families,
    unsigned_families,
    unsigned_families_page,
)
from ...agreements.text import LANGUAGE_NAMES, AgreementError
from ...agreements.versions import agreement_current, may_write
from ...forms.agreements import (
    ReminderForm,
)


def _coverage_viewer_or_404(user) -> None:
    if not may_see_coverage(user):
        raise Http404("Coverage is for form tutors, heads of year and senior leaders.")


def _unsigned_csv(pupils):
    response, writer = csv_response("agreement-unsigned")
    writer.writerow(
        [
            "Surname",
            "First name",
            "Year",
            "Tutor group",
            "Parent or carer",
            "Relationship",
            "Email",
            "Mobile",
            "Prefers",
            "Last reminded",
        ]
    )
    for pupil in pupils:
        reminded = (
            f"{timezone.localtime(pupil.last_reminded):%d/%m/%Y}" if pupil.last_reminded else ""
        )
        base = [
            pupil.last_name,
            pupil.first_name,
            pupil.year_group.number,
            pupil.tutor_group.name,
        ]
        for link in pupil.responsible_links or [None]:
            guardian = link.guardian if link else None
            writer.writerow(
                base
                + (
                    [
                        guardian.full_name,
                        link.get_relationship_display(),
                        guardian.email,
                        guardian.mobile,
                        guardian.get_notification_channel_display(),
                    ]
                    if guardian
                    else ["", "", "", "", ""]
                )
                + [reminded]
            )
    return response


def _coverage_csv(coverage):
    response, writer = csv_response("agreement-coverage")
    languages = LANGUAGE_NAMES
    writer.writerow(
        ["Group", "Pupils", "Signed", "Not signed", "Signed %"]
        + [f"Signed in {name}" for _code, name in languages]
    )
    for row in [*coverage.years, *coverage.groups, coverage.total]:
        writer.writerow(
            [row.label, row.pupils, row.signed, row.unsigned, row.percent]
            + [row.languages.get(code, 0) for code, _name in languages]
        )
    return response


def _signed_csv(signatures):
    """Each signature of the current version for the viewer's pupils, with its language."""
    response, writer = csv_response("agreement-signed")
    names = dict(LANGUAGE_NAMES)
    writer.writerow(
        [
            "Surname",
            "First name",
            "Year",
            "Tutor group",
            "Signed by",
            "Parent or carer",
            "Language signed",
            "Signed at",
        ]
    )
    for signature in signatures:
        pupil = signature.pupil
        writer.writerow(
            [
                pupil.last_name,
                pupil.first_name,
                pupil.year_group.number,
                pupil.tutor_group.name,
                signature.typed_name,
                signature.guardian.full_name,
                names.get(signature.language, signature.language),
                f"{timezone.localtime(signature.signed_at):%d/%m/%Y %H:%M}",
            ]
        )
    return response


def _coverage_page(request, *, error="", status=200):
    counts = coverage(request.user, timezone.localdate())
    export = request.GET.get("format") if request.method == "GET" else None
    if export == "csv":
        return _unsigned_csv(
            unsigned_families(request.user, counts.agreement) if counts.agreement else []
        )
    if export == "coverage-csv":
        return _coverage_csv(counts)
    if export == "signed-csv" and counts.agreement:
        return _signed_csv(signed_families(request.user, counts.agreement))
    page = None
    if counts.agreement:
        page = unsigned_families_page(
            request.user,
            counts.agreement,
            unsigned=counts.total.unsigned,
            number=request.GET.get("page"),
        )
    return render(
        request,
        "parents/agreements/coverage.html",
        {
            "coverage": counts,
            "unsigned": page.object_list if page else [],
            "unsigned_page": page,
            "may_write": may_write(request.user),
            "reminder_days": REMINDER_INTERVAL.days,
            "error": error,
        },
        status=status,
    )


@login_required
def parents_agreement_coverage(request):
    """How many pupils in the viewer's care have a signature of the current version, by
    year and tutor group, and the families who have not signed; `?format=csv` downloads
    the unsigned families, `?format=coverage-csv` the percentages."""
    _coverage_viewer_or_404(request.user)
    return _coverage_page(request)


@login_required
@require_POST
def parents_agreement_remind(request):
    """Send a reminder to the unsigned families of one tutor group in the viewer's care
    (none reminded in the last seven days) and say how many went. A bad request shows the
    coverage page again with the reason (400) and sends nothing."""
    _coverage_viewer_or_404(request.user)
    form = ReminderForm(request.POST)
    if not form.is_valid():
        return _coverage_page(request, error="Choose a tutor group to remind.", status=400)
    try:
        # The groups of the agreement's year (last year's, in the summer after the next
        # year was started).
        agreement = agreement_current(request.user.school_id, timezone.localdate())
        year = agreement.academic_year if agreement else None
        group = groups_in_care(request.user, year).get(pk=form.cleaned_data["tutor_group"])
    except TutorGroup.DoesNotExist:
        raise Http404("No such tutor group in your care.") from None
    try:
        sent = reminders_send(actor=request.user, tutor_group=group)
    except AgreementError as refused:
        return _coverage_page(request, error=str(refused), status=400)
    text = (
        f"Reminders sent to {sent.families} "
        f"famil{'y' if sent.families == 1 else 'ies'} in {group.name} "
        f"({sent.messages} message{'' if sent.messages == 1 else 's'})."
    )
    if sent.skipped:
        text += (
            f" {sent.skipped} not reminded: already reminded in the last "
            f"{REMINDER_INTERVAL.days} days, or no parent with parental "
            "responsibility to contact."
        )
    messages.success(request, text)
    return redirect("parents_agreement_coverage")
