"""Inviting the guardians an MIS import brought, from the import's page (parents/imports.py
says whom)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from mis.selectors.runs import run_for_page

from .. import imports

NOT_FOUND = "Inviting an import's guardians is for the school's admins."


def _site(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@login_required
@require_POST
def parents_import_invite(request, run_id: int):
    """POST: invite the run's new guardians (the school's admins only; another school's
    run, or anyone else: 404), then back to the run's page with how many were invited."""
    user = request.user
    run = run_for_page(run_id, [user.school_id], with_preview=True) if user.school_id else None
    if run is None or not imports.may_invite_for(user, run):
        raise Http404(NOT_FOUND)
    result = imports.import_guardians_invite(actor=user, run=run, site=_site(request))
    sent = len(result.sent)
    if sent:
        messages.success(
            request,
            f"Invitation sent to {sent} guardian{'s' if sent != 1 else ''} of the pupils this "
            "import added or changed. Each gets an email with a link to set up their login.",
        )
    else:
        messages.info(
            request,
            "Nobody new to invite: every guardian of these pupils with an email address "
            "already has a login or an invitation waiting.",
        )
    return redirect("mis_import_run", run.pk)
