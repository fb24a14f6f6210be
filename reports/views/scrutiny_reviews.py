"""Work scrutiny's reviews: a sampled homework read-only with its review form (leaders),
the teacher's own reviews and their reply, and the results per department and criterion
(table and CSV)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from school.exports import csv_response

from ..forms.scrutiny import ReplyForm, ReviewForm
from ..scrutiny import ScrutinyError, access, selectors, services
from ..scrutiny.results import DEFINITION, results_for
from .scrutiny import leader_or_404


def _review_initial(ratings, review) -> dict:
    if review is None:
        return {}
    initial = {f"criterion_{r.criterion_id}": r.rating for r in ratings}
    initial["comment"] = review.comment
    return initial


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def scrutiny_sample(request, sample_id: int):
    """One sampled homework as pupils were given it, how it was marked, and its review:
    the form while the round is open."""
    leader_or_404(request)
    sample = selectors.sample_for_page(request.user, sample_id)
    if sample is None:
        raise Http404("No such homework in your work scrutiny.")
    homework = sample.homework
    review = getattr(sample, "review", None)
    ratings = selectors.ratings_of(review)
    criteria = selectors.criteria_of(sample.school_id, active_only=True)
    form = None
    if not sample.round.is_closed:
        if request.method == "POST":
            form = ReviewForm(request.POST, criteria=criteria)
            if form.is_valid():
                try:
                    services.review_save(
                        sample=sample,
                        reviewer=request.user,
                        ratings=form.ratings(),
                        comment=form.cleaned_data["comment"],
                    )
                except ScrutinyError as error:
                    messages.error(request, str(error))
                else:
                    messages.success(request, f"Review of “{homework.title}” saved.")
                return redirect("scrutiny_sample", sample_id=sample.pk)
        else:
            form = ReviewForm(criteria=criteria, initial=_review_initial(ratings, review))
    elif request.method == "POST":
        messages.error(request, services.CLOSED)
        return redirect("scrutiny_sample", sample_id=sample.pk)
    return render(
        request,
        "reports/scrutiny/sample.html",
        {
            "sample": sample,
            "round": sample.round,
            "homework": homework,
            "attachments": selectors.attachments_of(homework),
            "marking": selectors.marking_of(homework),
            "review": review,
            "ratings": ratings,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def scrutiny_mine(request):
    """The reviews of the homework this teacher set: theirs alone."""
    if not access.sets_homework(request.user):
        raise Http404("This page is for teachers.")
    return render(
        request,
        "reports/scrutiny/mine.html",
        {"reviews": list(selectors.own_reviews_for_list(request.user))},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def scrutiny_reply(request, review_id: int):
    """A review of the teacher's homework, and their reply to it."""
    review = get_object_or_404(
        access.own_reviews(request.user).select_related(
            "sample__round",
            "sample__homework__teaching_group__subject",
            "sample__homework__set_by",
            "reviewer",
        ),
        pk=review_id,
    )
    closed = review.sample.round.is_closed
    form = None
    if not closed:
        form = ReplyForm(
            request.POST if request.method == "POST" else None,
            initial={"reply": review.reply},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.reply_save(review=review, reply=form.cleaned_data["reply"])
            except ScrutinyError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, "Your reply is saved: the reviewer can read it.")
            return redirect("scrutiny_reply", review_id=review.pk)
    elif request.method == "POST":
        messages.error(request, services.CLOSED)
        return redirect("scrutiny_reply", review_id=review.pk)
    return render(
        request,
        "reports/scrutiny/reply.html",
        {"review": review, "ratings": selectors.ratings_of(review), "form": form},
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def scrutiny_results(request):
    """Per department and criterion, the share of reviewed homework meeting it, round by
    round; ?format=csv downloads the same table."""
    leader_or_404(request)
    results = results_for(request.user)
    if request.GET.get("format") == "csv":
        response, writer = csv_response("work-scrutiny-results")
        writer.writerow(
            [
                "Department",
                "Criterion",
                *(
                    f"{r.title} ({r.period_start:%d/%m/%Y}–{r.period_end:%d/%m/%Y})"
                    for r in results.rounds
                ),
            ]
        )
        for row in results.rows:
            writer.writerow([row.department, row.criterion, *(str(s) for s in row.shares)])
        return response
    return render(
        request,
        "reports/scrutiny/results.html",
        {"results": results, "definition": DEFINITION},
    )
