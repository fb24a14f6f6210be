"""Key dates for year groups: the list (from today on) and the add, edit and delete pages,
for senior leaders and school admins (every year) and heads of year (their own years).
Anyone else, and another school's date, answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from .. import key_dates
from ..forms_key_dates import KeyDateForm


def _keeper_or_404(user):
    if not key_dates.may_keep_key_dates(user):
        raise Http404("Key dates are kept by leaders and heads of year.")


@login_required
@require_safe
def key_dates_list(request):
    _keeper_or_404(request.user)
    return render(
        request,
        "school/key_dates/list.html",
        {"key_dates": key_dates.key_dates_list(request.user, since=timezone.localdate())},
    )


def _form_page(request, key_date=None):
    user = request.user
    years = list(key_dates.years_kept_by(user))
    if request.method == "POST":
        form = KeyDateForm(request.POST, years=years)
    else:
        initial = KeyDateForm.initial_from(key_date) if key_date else {}
        form = KeyDateForm(initial=initial, years=years)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = key_dates.key_date_save(
                user=user,
                key_date=key_date,
                kind=data["kind"],
                title=data["title"],
                date=data["date"],
                ends_on=data["ends_on"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                details=data["details"],
                year_groups=data["years"],
            )
        except key_dates.KeyDateError as error:
            form.add_error(None, str(error))
        else:
            verb = "changed" if key_date else "added"
            messages.success(request, f"Key date “{saved.title}” {verb}.")
            return redirect("key_dates")
    return render(request, "school/key_dates/form.html", {"form": form, "key_date": key_date})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def key_date_new(request):
    _keeper_or_404(request.user)
    return _form_page(request)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def key_date_edit(request, key_date_id):
    key_date = get_object_or_404(key_dates.key_dates_kept_by(request.user), pk=key_date_id)
    return _form_page(request, key_date)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def key_date_delete(request, key_date_id):
    key_date = get_object_or_404(key_dates.key_dates_kept_by(request.user), pk=key_date_id)
    if request.method == "POST":
        key_dates.key_date_delete(key_date=key_date)
        messages.success(request, f"Key date “{key_date.title}” deleted.")
        return redirect("key_dates")
    return render(request, "school/key_dates/delete.html", {"key_date": key_date})
