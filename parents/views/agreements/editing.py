"""Senior leaders write the year's agreement, publish it, and read any version as
families read it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone

from ...agreements.coverage import may_see_coverage
from ...agreements.text import AgreementError, sections
from ...agreements.translations import translation_rows
from ...agreements.versions import (
    agreement_draft_discard,
    agreement_draft_save,
    agreement_for_staff,
    agreement_publish,
    editor_page,
    may_write,
)
from ...forms.agreements import (
    AgreementEditForm,
    AgreementPublishForm,
)
from ...models import Agreement


def writer_or_404(user) -> None:
    if not may_write(user):
        raise Http404("The agreement is written by senior leaders.")


@login_required
def parents_agreement_edit(request):
    """GET: the year's versions and the editor, filled from the draft, the current version,
    last year's or the default text. POST: save the draft (a new version when the current
    one is published), or the page again with the errors (400) and nothing saved."""
    writer_or_404(request.user)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    page = editor_page(request.user, timezone.localdate())
    form = AgreementEditForm(
        request.POST if request.method == "POST" else None, initial=page.initial
    )
    # Without an academic year the page says so in place of the form.
    if request.method == "POST" and page.year is not None and form.is_valid():
        try:
            draft = agreement_draft_save(actor=request.user, year=page.year, text=form.cleaned_data)
        except AgreementError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                f"Draft of version {draft.version} saved. Families see it once you publish it.",
            )
            return redirect("parents_agreement_edit")
    rows = translation_rows(page.draft, page.current)
    return render(
        request,
        "parents/agreements/edit.html",
        {
            "page": page,
            "form": form,
            "draft_rows": rows.get(page.draft.pk) if page.draft else None,
            "current_rows": rows.get(page.current.pk) if page.current else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def parents_agreement_publish(request):
    """GET: the draft in full, what publishing means for signatures, and a confirmation
    box. POST: publish it (or discard it with `action=discard`)."""
    writer_or_404(request.user)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    page = editor_page(request.user, timezone.localdate())
    action = request.POST.get("action", "publish") if request.method == "POST" else ""
    form = AgreementPublishForm(request.POST if action == "publish" else None)
    error = ""
    if request.method == "POST":
        if page.draft is None:
            error = "There is no draft to publish: someone may have published it already."
        elif action == "discard":
            try:
                agreement_draft_discard(actor=request.user, agreement=page.draft)
            except AgreementError as refused:
                error = str(refused)
            else:
                messages.success(request, f"Draft of version {page.draft.version} discarded.")
                return redirect("parents_agreement_edit")
        elif action != "publish":
            error = "Choose publish or discard."
        elif form.is_valid():
            try:
                published = agreement_publish(actor=request.user, agreement=page.draft)
            except AgreementError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request,
                    f"Version {published.version} is published: families are asked to sign it.",
                )
                return redirect("parents_agreement_coverage")
    return render(
        request,
        "parents/agreements/publish.html",
        {
            "page": page,
            "form": form,
            "error": error,
            "sections": sections(page.draft) if page.draft else [],
            "draft_rows": (translation_rows(page.draft)[page.draft.pk] if page.draft else []),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def parents_agreement_version(request, agreement_id):
    """One version as families read it, for the staff who see coverage."""
    if not may_see_coverage(request.user):
        raise Http404("No such agreement.")
    try:
        agreement = agreement_for_staff(request.user, agreement_id)
    except Agreement.DoesNotExist:
        raise Http404("No such agreement.") from None
    rows = translation_rows(agreement)[agreement.pk]
    # `?language=pl`: the version's translation into that language, as families read it.
    shown = next(
        (row for row in rows if row.translation and row.code == request.GET.get("language")),
        None,
    )
    text = shown.translation if shown else agreement
    return render(
        request,
        "parents/agreements/version.html",
        {
            "agreement": agreement,
            "text": text,
            "shown": shown,
            "rows": rows,
            "sections": sections(text),
            "may_write": may_write(request.user),
        },
    )
