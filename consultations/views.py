"""The consultations' pages: leaders write, send, remind, read results, tag answers and
publish "you said, we did"; a guardian answers from their overview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from school import access, calendar
from school.exports import csv_response

from . import results as results_selectors
from . import selectors, services
from .forms import (
    AnswerForm,
    AnswerTagsForm,
    ConsultationForm,
    OutcomeForm,
    QuestionForm,
    SendForm,
    TagForm,
)
from .models import Answer, Consultation, Question, Tag
from .texts import in_language

# Leaders


def _leader(request):
    if not access.is_school_wide(request.user):
        raise Http404("Consultations are written by the school's leaders.")


def _consultation(request, consultation_id) -> Consultation:
    _leader(request)
    try:
        return selectors.consultation_for_leader(request.user, consultation_id)
    except Consultation.DoesNotExist:
        raise Http404("No such consultation.") from None


@login_required
@require_safe
def consultation_list(request):
    _leader(request)
    return render(
        request,
        "consultations/list.html",
        {"consultations": selectors.consultation_list(request.user), "today": timezone.localdate()},
    )


def _form_fields(form) -> dict:
    data = form.cleaned_data
    fields = {
        name: data[name]
        for name in (
            "title",
            "introduction",
            "opens_on",
            "closes_on",
            "anonymous",
            "agreement",
            "policy_title",
            "policy_text",
            "policy_link",
        )
    }
    fields["pupil_groups"] = list(data["pupil_groups"])
    fields["translations"] = form.translations()
    return fields


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def consultation_new(request):
    _leader(request)
    school_id = request.user.school_id
    year = calendar.academic_year_for(school_id, timezone.localdate())
    opens, closes = services.default_dates(timezone.localdate())
    form = ConsultationForm(
        request.POST if request.method == "POST" else None,
        school_id=school_id,
        initial={"opens_on": opens, "closes_on": closes, "anonymous": True},
    )
    if request.method == "POST" and form.is_valid():
        if year is None:
            form.add_error(None, "The school has no academic year for today: add it first.")
        else:
            consultation = services.consultation_save(
                consultation=Consultation(school_id=school_id, academic_year=year),
                fields=_form_fields(form),
                year_groups=form.cleaned_data["year_groups"],
                tutor_groups=form.cleaned_data["tutor_groups"],
                actor=request.user,
            )
            messages.success(request, "Saved as a draft. Now add its questions.")
            return redirect("consultations_detail", consultation.pk)
    return render(request, "consultations/edit.html", {"form": form, "consultation": None})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def consultation_edit(request, consultation_id):
    consultation = _consultation(request, consultation_id)
    if consultation.is_sent:
        messages.info(request, "It has been sent: it can no longer be changed.")
        return redirect("consultations_detail", consultation.pk)
    form = ConsultationForm(
        request.POST if request.method == "POST" else None,
        school_id=consultation.school_id,
        initial=ConsultationForm.initial_for(consultation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_save(
                consultation=consultation,
                fields=_form_fields(form),
                year_groups=form.cleaned_data["year_groups"],
                tutor_groups=form.cleaned_data["tutor_groups"],
                actor=request.user,
            )
        except services.ConsultationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Saved.")
            return redirect("consultations_detail", consultation.pk)
    return render(request, "consultations/edit.html", {"form": form, "consultation": consultation})


@login_required
@require_safe
def consultation_detail(request, consultation_id):
    consultation = _consultation(request, consultation_id)
    return render(
        request,
        "consultations/detail.html",
        {
            "consultation": consultation,
            "audience": selectors.audience_description(consultation),
            "problems": selectors.questions_complete(consultation),
            "asked": selectors.guardians_asked(consultation).count(),
            "responses": consultation.responses.count(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def question_add(request, consultation_id):
    consultation = _consultation(request, consultation_id)
    if consultation.is_sent:
        messages.info(request, "It has been sent: its questions can no longer be changed.")
        return redirect("consultations_detail", consultation.pk)
    form = QuestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.question_add(
                consultation=consultation,
                kind=data["kind"],
                text=data["text"],
                required=data["required"],
                translations=form.translations(),
                options=data["option_list"],
                option_translations=form.option_translations(),
            )
        except services.ConsultationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Question added.")
            return redirect("consultations_detail", consultation.pk)
    return render(
        request, "consultations/question.html", {"form": form, "consultation": consultation}
    )


@login_required
@require_POST
def question_delete(request, consultation_id, question_id):
    consultation = _consultation(request, consultation_id)
    question = get_object_or_404(Question, pk=question_id, consultation=consultation)
    try:
        services.question_delete(question=question)
    except services.ConsultationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Question removed.")
    return redirect("consultations_detail", consultation.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def consultation_send(request, consultation_id):
    consultation = _consultation(request, consultation_id)
    if consultation.is_sent:
        messages.info(request, "It has already been sent.")
        return redirect("consultations_detail", consultation.pk)
    form = SendForm(request.POST if request.method == "POST" else None)
    problems = selectors.questions_complete(consultation)
    if request.method == "POST" and form.is_valid():
        try:
            families = services.consultation_send(consultation=consultation, actor=request.user)
        except services.ConsultationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Sent: {families} families were told.")
            return redirect("consultations_detail", consultation.pk)
    return render(
        request,
        "consultations/send.html",
        {
            "form": form,
            "consultation": consultation,
            "problems": problems,
            "audience": selectors.audience_description(consultation),
            "asked": selectors.guardians_asked(consultation).count(),
        },
    )


@login_required
@require_POST
def consultation_remind(request, consultation_id):
    consultation = _consultation(request, consultation_id)
    try:
        reminded = services.reminders_send(consultation=consultation, actor=request.user)
    except services.ConsultationError as error:
        messages.error(request, str(error))
    else:
        if reminded.too_soon:
            messages.info(request, "Families were reminded less than two days ago: none sent.")
        else:
            messages.success(
                request, f"Reminded {reminded.families} families who have not answered."
            )
    return redirect("consultations_detail", consultation.pk)


@login_required
@require_safe
def consultation_results(request, consultation_id):
    consultation = _consultation(request, consultation_id)
    return render(
        request,
        "consultations/results.html",
        {
            "results": results_selectors.results_for(consultation),
            "consultation": consultation,
            "audience": selectors.audience_description(consultation),
        },
    )


@login_required
@require_safe
def consultation_csv(request, consultation_id):
    consultation = _consultation(request, consultation_id)
    response, writer = csv_response(f"consultation-{consultation.pk}")
    writer.writerows(results_selectors.csv_rows(consultation))
    return response


@login_required
@require_POST
def answer_tags(request, consultation_id, answer_id):
    consultation = _consultation(request, consultation_id)
    answer = get_object_or_404(
        Answer, pk=answer_id, question__consultation=consultation, text__gt=""
    )
    form = AnswerTagsForm(request.POST, school_id=consultation.school_id)
    if form.is_valid():
        services.answer_tags_set(answer=answer, tags=form.cleaned_data["tags"])
        messages.success(request, "Tags saved.")
    else:
        messages.error(request, "Nothing was saved: choose tags from the list.")
    return redirect(f"{_results_url(consultation)}#answer-{answer.pk}")


def _results_url(consultation):
    return reverse("consultations_results", args=[consultation.pk])


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tags(request):
    _leader(request)
    school_id = request.user.school_id
    form = TagForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.tag_create(school_id=school_id, name=form.cleaned_data["name"])
        messages.success(request, "Tag added.")
        return redirect("consultations_tags")
    return render(
        request,
        "consultations/tags.html",
        {"form": form, "tags": Tag.objects.filter(school_id=school_id).order_by("name")},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def outcome_publish(request, consultation_id):
    consultation = _consultation(request, consultation_id)
    if not consultation.is_sent:
        messages.info(request, "Send the consultation before saying what changed.")
        return redirect("consultations_detail", consultation.pk)
    form = OutcomeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_publish(
                consultation=consultation,
                text=form.cleaned_data["text"],
                translations=form.translations(),
                actor=request.user,
            )
        except services.ConsultationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Published: every family asked can see it and is told.")
            return redirect("consultations_detail", consultation.pk)
    return render(
        request, "consultations/outcome.html", {"form": form, "consultation": consultation}
    )


# A guardian


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request, consultation_id):
    today = timezone.localdate()
    try:
        consultation, guardian_id, children = selectors.consultation_for_guardian(
            request.user, consultation_id, day=today
        )
    except Consultation.DoesNotExist:
        raise Http404("No such consultation.") from None
    language = translation.get_language()
    response = selectors.response_of(consultation, guardian_id)
    is_open = consultation.is_open(today)
    form = AnswerForm(
        request.POST if request.method == "POST" and is_open else None,
        consultation=consultation,
        language=language,
        initial=AnswerForm.initial_for(response),
    )
    status = 200
    if request.method == "POST":
        if not is_open:
            status = 409
        elif form.is_valid():
            try:
                _response, created = services.response_save(
                    consultation=consultation,
                    guardian_id=guardian_id,
                    answers=form.answers(),
                    language=language,
                )
            except services.ConsultationError:
                status = 409
                is_open = False
            else:
                messages.success(
                    request,
                    _("Thank you: your answers are saved.")
                    if created
                    else _("Thank you: your changed answers are saved."),
                )
                return redirect("parents_overview")
    translations = consultation.translations
    text = {
        key: in_language(getattr(consultation, key), translations, language, key)
        for key in ("title", "introduction", "policy_title", "policy_text")
    }
    return render(
        request,
        "consultations/answer.html",
        {
            "consultation": consultation,
            "text": text,
            "form": form,
            "response": response,
            "children": children,
            "names": ", ".join(child.first_name for child in children),
            "is_open": is_open,
            "posted": request.method == "POST",
            "today": today,
        },
        status=status,
    )
