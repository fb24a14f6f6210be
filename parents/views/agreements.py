"""The home-school agreement: writing and publishing it, signing it, coverage."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from school import access
from school.exports import csv_response
from school.models import TutorGroup

from .. import agreement_translations, agreements
from ..agreements import AgreementError
from ..forms.agreements import (
    AcknowledgementForm,
    AgreementEditForm,
    AgreementPublishForm,
    AgreementSignForm,
    AgreementTranslationForm,
    ReminderForm,
    TranslationPublishForm,
)
from ..models import Agreement, Signature

# Senior leaders: writing and publishing ---------------------------------------------------


def _writer_or_404(user) -> None:
    if not agreements.may_write(user):
        raise Http404("The agreement is written by senior leaders.")


@login_required
def parents_agreement_edit(request):
    """GET: the year's versions and the editor, filled from the draft, the current version,
    last year's or the default text. POST: save the draft (a new version when the current
    one is published), or the page again with the errors (400) and nothing saved."""
    _writer_or_404(request.user)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    page = agreements.editor_page(request.user, timezone.localdate())
    form = AgreementEditForm(
        request.POST if request.method == "POST" else None, initial=page.initial
    )
    # Without an academic year the page says so in place of the form.
    if request.method == "POST" and page.year is not None and form.is_valid():
        try:
            draft = agreements.agreement_draft_save(
                actor=request.user, year=page.year, text=form.cleaned_data
            )
        except AgreementError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                f"Draft of version {draft.version} saved. Families see it once you publish it.",
            )
            return redirect("parents_agreement_edit")
    rows = agreement_translations.translation_rows(page.draft, page.current)
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
    _writer_or_404(request.user)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    page = agreements.editor_page(request.user, timezone.localdate())
    action = request.POST.get("action", "publish") if request.method == "POST" else ""
    form = AgreementPublishForm(request.POST if action == "publish" else None)
    error = ""
    if request.method == "POST":
        if page.draft is None:
            error = "There is no draft to publish: someone may have published it already."
        elif action == "discard":
            try:
                agreements.agreement_draft_discard(actor=request.user, agreement=page.draft)
            except AgreementError as refused:
                error = str(refused)
            else:
                messages.success(request, f"Draft of version {page.draft.version} discarded.")
                return redirect("parents_agreement_edit")
        elif action != "publish":
            error = "Choose publish or discard."
        elif form.is_valid():
            try:
                published = agreements.agreement_publish(actor=request.user, agreement=page.draft)
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
            "sections": agreements.sections(page.draft) if page.draft else [],
            "draft_rows": (
                agreement_translations.translation_rows(page.draft)[page.draft.pk]
                if page.draft
                else []
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def parents_agreement_version(request, agreement_id):
    """One version as families read it, for the staff who see coverage."""
    if not agreements.may_see_coverage(request.user):
        raise Http404("No such agreement.")
    try:
        agreement = agreements.agreement_for_staff(request.user, agreement_id)
    except Agreement.DoesNotExist:
        raise Http404("No such agreement.") from None
    rows = agreement_translations.translation_rows(agreement)[agreement.pk]
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
            "sections": agreements.sections(text),
            "may_write": agreements.may_write(request.user),
        },
    )


# Senior leaders: translations -------------------------------------------------------------


@login_required
def parents_agreement_translation(request, agreement_id, language):
    """GET: a version's translation into one of the families' languages, to write (from
    an earlier translation or the suggested text) or change, beside the English. POST
    (`action`): save it; publish it (a translation of the current version, confirmed);
    discard it. A published translation is read only; a bad request shows the page again
    with the reason (400) and changes nothing."""
    _writer_or_404(request.user)
    if not agreement_translations.is_offered(language):
        raise Http404("No such language.")
    try:
        agreement = agreements.agreement_for_staff(request.user, agreement_id)
    except Agreement.DoesNotExist:
        raise Http404("No such agreement.") from None
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    existing = agreement_translations.translations_of(agreement).get(language)
    replaced = not agreement_translations.may_translate(agreement, timezone.localdate())
    editable = not replaced and (existing is None or existing.published_at is None)
    action = request.POST.get("action", "save") if request.method == "POST" else ""
    initial = (
        {name: getattr(existing, name) for name in agreements.TEXT_FIELDS}
        if existing
        else agreement_translations.translation_initial(agreement, language)
    )
    form = AgreementTranslationForm(
        request.POST if action == "save" else None,
        initial=initial,
        language=language,
        direction="rtl" if get_language_info(language)["bidi"] else "ltr",
    )
    publish_form = TranslationPublishForm(request.POST if action == "publish" else None)
    name = agreement_translations.language_name(language)
    here = redirect("parents_agreement_translation", agreement.pk, language)
    error = ""
    if request.method == "POST":
        if not editable:
            error = (
                f"Version {agreement.version} has been replaced: translate the current version."
                if replaced
                else "This translation is published and is never changed: to change it, "
                "publish a new version of the agreement."
            )
        elif action == "save":
            if form.is_valid():
                try:
                    agreement_translations.translation_save(
                        actor=request.user,
                        agreement=agreement,
                        language=language,
                        text=form.cleaned_data,
                    )
                except AgreementError as refused:
                    form.add_error(None, str(refused))
                else:
                    messages.success(request, f"The {name} translation is saved.")
                    return here
        elif action == "publish":
            if existing is None:
                error = "Save the translation before publishing it."
            elif publish_form.is_valid():
                try:
                    agreement_translations.translation_publish(
                        actor=request.user, translation=existing
                    )
                except AgreementError as refused:
                    publish_form.add_error(None, str(refused))
                else:
                    messages.success(
                        request,
                        f"The {name} translation of version {agreement.version} is published.",
                    )
                    return redirect("parents_agreement_edit")
        elif action == "discard":
            if existing is None:
                error = "There is no translation to discard."
            else:
                try:
                    agreement_translations.translation_discard(
                        actor=request.user, translation=existing
                    )
                except AgreementError as refused:
                    error = str(refused)
                else:
                    messages.success(request, f"The {name} translation is discarded.")
                    return redirect("parents_agreement_edit")
        else:
            error = "Choose save, publish or discard."
    return render(
        request,
        "parents/agreements/translation.html",
        {
            "agreement": agreement,
            "language": language,
            "language_name": name,
            "existing": existing,
            "editable": editable,
            "form": form,
            "publish_form": publish_form,
            "pairs": [(form[field], getattr(agreement, field)) for field in agreements.TEXT_FIELDS],
            "sections": agreements.sections(existing) if existing else [],
            "error": error,
        },
        status=400 if request.method == "POST" else 200,
    )


# Guardians: reading and signing -----------------------------------------------------------


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
    reading_english = request.GET.get("text") == "en" or posted_language == agreements.ENGLISH
    page = agreements.guardian_page(
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
                signed = agreements.signatures_record(
                    user=request.user,
                    agreement=entry.agreement,
                    pupil_ids=form.cleaned_data["pupils"],
                    typed_name=form.cleaned_data["typed_name"],
                    language=posted_language or agreements.ENGLISH,
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
            "page": [
                (entry, agreements.sections(entry.text) if entry.agreement else [])
                for entry in page
            ],
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
        signature = agreements.signature_for(request.user, signature_id)
    except Signature.DoesNotExist:
        raise Http404("No such signature.") from None
    # The copy is in the language signed; the English version is one link away.
    signed_text = agreements.signed_text(signature)
    reading_english = request.GET.get("text") == "en"
    text = signature.agreement if reading_english or signed_text is None else signed_text
    here = reverse("parents_agreement_signature", args=[signature.pk])
    return render(
        request,
        "parents/agreements/signature.html",
        {
            "signature": signature,
            "agreement": signature.agreement,
            "text": text,
            "text_language": getattr(text, "language", agreements.ENGLISH),
            "signed_text": signed_text,
            "reading_english": reading_english,
            "english_url": f"{here}?text=en",
            "translated_url": here,
            "sections": agreements.sections(text),
        },
    )


# The pupil's acknowledgement ------------------------------------------------------------


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
    page = agreements.pupil_page(pupil, timezone.localdate())
    form = AcknowledgementForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST":
        if page.agreement is None:
            error = _("There is no agreement to acknowledge yet.")
        elif page.acknowledgement is not None:
            error = _("You have already added your acknowledgement.")
        elif form.is_valid():
            try:
                agreements.acknowledgement_record(pupil=pupil, agreement=page.agreement)
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
            "sections": agreements.sections(page.agreement) if page.agreement else [],
        },
        status=400 if request.method == "POST" else 200,
    )


# Staff: coverage and reminders -----------------------------------------------------------


def _coverage_viewer_or_404(user) -> None:
    if not agreements.may_see_coverage(user):
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
    languages = agreements.LANGUAGE_NAMES
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
    names = dict(agreements.LANGUAGE_NAMES)
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
    coverage = agreements.coverage(request.user, timezone.localdate())
    unsigned = (
        agreements.unsigned_families(request.user, coverage.agreement) if coverage.agreement else []
    )
    export = request.GET.get("format") if request.method == "GET" else None
    if export == "csv":
        return _unsigned_csv(unsigned)
    if export == "coverage-csv":
        return _coverage_csv(coverage)
    if export == "signed-csv" and coverage.agreement:
        return _signed_csv(agreements.signed_families(request.user, coverage.agreement))
    return render(
        request,
        "parents/agreements/coverage.html",
        {
            "coverage": coverage,
            "unsigned": list(unsigned),
            "may_write": agreements.may_write(request.user),
            "reminder_days": agreements.REMINDER_INTERVAL.days,
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
        group = access.tutor_groups_visible_to(request.user).get(
            pk=form.cleaned_data["tutor_group"]
        )
    except TutorGroup.DoesNotExist:
        raise Http404("No such tutor group in your care.") from None
    try:
        sent = agreements.reminders_send(actor=request.user, tutor_group=group)
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
            f"{agreements.REMINDER_INTERVAL.days} days, or no parent with parental "
            "responsibility to contact."
        )
    messages.success(request, text)
    return redirect("parents_agreement_coverage")
