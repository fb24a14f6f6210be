"""Senior leaders translate a version into the families' languages and publish
the translation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language_info

from ...agreements.text import TEXT_FIELDS, AgreementError, sections
from ...agreements.translations import (
    is_offered,
    language_name,
    may_translate,
    translation_discard,
    translation_initial,
    translation_publish,
    translation_save,
    translations_of,
)
from ...agreements.versions import agreement_for_staff
from ...forms.agreements import (
    AgreementTranslationForm,
    TranslationPublishForm,
)
from ...models import Agreement
from .editing import writer_or_404


@login_required
def parents_agreement_translation(request, agreement_id, language):
    """GET: a version's translation into one of the families' languages, to write (from
    an earlier translation or the suggested text) or change, beside the English. POST
    (`action`): save it; publish it (a translation of the current version, confirmed);
    discard it. A published translation is read only; a bad request shows the page again
    with the reason (400) and changes nothing."""
    writer_or_404(request.user)
    if not is_offered(language):
        raise Http404("No such language.")
    try:
        agreement = agreement_for_staff(request.user, agreement_id)
    except Agreement.DoesNotExist:
        raise Http404("No such agreement.") from None
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    existing = translations_of(agreement).get(language)
    replaced = not may_translate(agreement, timezone.localdate())
    editable = not replaced and (existing is None or existing.published_at is None)
    action = request.POST.get("action", "save") if request.method == "POST" else ""
    initial = (
        {name: getattr(existing, name) for name in TEXT_FIELDS}
        if existing
        else translation_initial(agreement, language)
    )
    form = AgreementTranslationForm(
        request.POST if action == "save" else None,
        initial=initial,
        language=language,
        direction="rtl" if get_language_info(language)["bidi"] else "ltr",
    )
    publish_form = TranslationPublishForm(request.POST if action == "publish" else None)
    name = language_name(language)
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
                    translation_save(
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
                    translation_publish(actor=request.user, translation=existing)
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
                    translation_discard(actor=request.user, translation=existing)
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
            "pairs": [(form[field], getattr(agreement, field)) for field in TEXT_FIELDS],
            "sections": sections(existing) if existing else [],
            "error": error,
        },
        status=400 if request.method == "POST" else 200,
    )
