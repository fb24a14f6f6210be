"""Guardians read and sign the agreement for their children and keep a printable
copy; a pupil adds their own acknowledgement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from school import access

from ...agreements.signing import (
    acknowledgement_record,
    guardian_page,
    pupil_page,
    signature_for,
    signatures_record,
    signed_text,
)
from ...agreements.text import ENGLISH, AgreementError, sections
from ...forms.agreements import (
    AcknowledgementForm,
    AgreementSignForm,
)
from ...models import Signature


def _client_details(request) -> dict:
    return {
        "ip_address": request.META.get("REMOTE_ADDR"),
        "user_agent": request.META.get("HTTP_USER_AGENT", ""),
    }


def _sign_forms(request, page, *, bound_agreement_id=None):
    """One signing form per school whose agreement has children left to sign."""
    made = {}
    for entry in page:
        if entry.agreement is None or not entry.to_sign:
            continue
        link = entry.to_sign[0].link
        bound = entry.agreement.pk == bound_agreement_id
        made[entry.agreement.pk] = AgreementSignForm(
            request.POST if bound else None,
            auto_id=f"a{entry.agreement.pk}_%s",
            children=entry.to_sign,
            guardian_first_name=link.guardian.first_name,
            guardian_last_name=link.guardian.last_name,
        )
        entry.form = made[entry.agreement.pk]
    return made


@login_required
def parents_agreement(request):
    """GET: each school's current agreement and, per child, the guardian's signature or a
    form to sign (one form for all the children at that school). POST (`agreement`): sign
    for the children ticked, or the page again with the error (400) and nothing signed."""
    if not access.is_guardian(request.user):
        raise Http404("This page is for parents and carers.")
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    # The school's translation into the language the guardian reads the site in, unless
    # they asked for the English version (`?text=en`) or signed from it.
    posted_language = request.POST.get("language", "") if request.method == "POST" else ""
    reading_english = request.GET.get("text") == "en" or posted_language == ENGLISH
    page = guardian_page(
        request.user,
        timezone.localdate(),
        language=translation.get_language(),
        reading_english=reading_english,
    )
    posted = None
    if request.method == "POST":
        try:
            posted = int(request.POST.get("agreement", ""))
        except ValueError:
            posted = None
    forms = _sign_forms(request, page, bound_agreement_id=posted)
    error = ""
    if request.method == "POST":
        form = forms.get(posted)
        entry = next((e for e in page if e.agreement and e.agreement.pk == posted), None)
        posted_pupils = set(request.POST.getlist("pupils"))
        linked = {str(child.pupil.pk) for school in page for child in school.children}
        if any(pk.isdigit() and pk not in linked for pk in posted_pupils):
            raise Http404("No such child.")
        already = [
            child.pupil.first_name
            for child in (entry.children if entry else [])
            if child.signature and str(child.pupil.pk) in posted_pupils
        ]
        if already:
            error = _(
                "You have already signed this version for %(names)s: a signature cannot be changed."
            ) % {"names": ", ".join(already)}
        elif form is None:
            error = _(
                "There is nothing left to sign on this agreement, or it has been replaced by "
                "a new version: read the page again."
            )
        elif form.is_valid():
            try:
                signed = signatures_record(
                    user=request.user,
                    agreement=entry.agreement,
                    pupil_ids=form.cleaned_data["pupils"],
                    typed_name=form.cleaned_data["typed_name"],
                    language=posted_language or ENGLISH,
                    **_client_details(request),
                )
            except AgreementError as refused:
                form.add_error(None, str(refused))
            else:
                names = ", ".join(
                    child.pupil.first_name
                    for child in entry.children
                    if child.pupil.pk in {s.pupil_id for s in signed}
                )
                messages.success(
                    request,
                    ngettext(
                        "Thank you: you have signed the agreement for %(names)s.",
                        "Thank you: you have signed the agreement for %(names)s.",
                        len(signed),
                    )
                    % {"names": names},
                )
                return redirect("parents_agreement")
    return render(
        request,
        "parents/agreements/sign.html",
        {
            "page": [(entry, sections(entry.text) if entry.agreement else []) for entry in page],
            "error": error,
            "posted": posted,
            "english_url": reverse("parents_agreement") + "?text=en",
            "translated_url": reverse("parents_agreement"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def parents_agreement_signature(request, signature_id):
    """A signed agreement to print or keep: for the guardian who signed and for staff who
    can see the pupil; 404 for everyone else."""
    try:
        signature = signature_for(request.user, signature_id)
    except Signature.DoesNotExist:
        raise Http404("No such signature.") from None
    # The copy is in the language signed; the English version is one link away.
    translated = signed_text(signature)
    reading_english = request.GET.get("text") == "en"
    text = signature.agreement if reading_english or translated is None else translated
    here = reverse("parents_agreement_signature", args=[signature.pk])
    return render(
        request,
        "parents/agreements/signature.html",
        {
            "signature": signature,
            "agreement": signature.agreement,
            "text": text,
            "text_language": getattr(text, "language", ENGLISH),
            "signed_text": translated,
            "reading_english": reading_english,
            "english_url": f"{here}?text=en",
            "translated_url": here,
            "sections": sections(text),
        },
    )


@login_required
def parents_agreement_pupil(request):
    """GET: the current agreement for a pupil to read, and their acknowledgement or a box
    to add it. POST: add it (once)."""
    user = request.user
    if access.is_staff_member(user) or not access.is_pupil(user):
        raise Http404("This page is for pupils.")
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    pupil = user.pupil
    page = pupil_page(pupil, timezone.localdate())
    form = AcknowledgementForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST":
        if page.agreement is None:
            error = _("There is no agreement to acknowledge yet.")
        elif page.acknowledgement is not None:
            error = _("You have already added your acknowledgement.")
        elif form.is_valid():
            try:
                acknowledgement_record(pupil=pupil, agreement=page.agreement)
            except AgreementError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("Thank you: your acknowledgement is recorded."))
                return redirect("parents_agreement_pupil")
    return render(
        request,
        "parents/agreements/pupil.html",
        {
            "page": page,
            "form": form,
            "error": error,
            "sections": sections(page.agreement) if page.agreement else [],
        },
        status=400 if request.method == "POST" else 200,
    )
