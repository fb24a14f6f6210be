"""A guardian's choice of which notifications they receive, and how often."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import registry, selectors, services
from .forms import PreferencesForm


def _records_or_404(user):
    records = selectors.guardian_records(user)
    if not records:
        raise Http404("This page is for parents and carers.")
    return records


def _page(request, records, *, bound=None, status=200):
    forms = [
        bound
        if bound is not None and bound.guardian.pk == record.guardian.pk
        else PreferencesForm(guardian=record.guardian, frequencies=record.frequencies)
        for record in records
    ]
    return render(
        request,
        "notifications/preferences.html",
        {
            "sections": list(zip(records, forms, strict=True)),
            "mandatory": [kind.label for kind in registry.kinds() if kind.mandatory],
        },
        status=status,
    )


@login_required
def notification_preferences(request):
    return _page(request, _records_or_404(request.user))


@login_required
def notification_preferences_save(request, guardian_id):
    """Only the record's own login may save (others get 404); a GET answers 405."""
    records = _records_or_404(request.user)
    record = next((r for r in records if r.guardian.pk == guardian_id), None)
    if record is None:
        raise Http404("No such guardian record of yours.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = PreferencesForm(request.POST, guardian=record.guardian)
    if not form.is_valid():
        return _page(request, records, bound=form, status=400)
    services.preferences_save(
        guardian=record.guardian, frequencies=form.cleaned_data, actor=request.user
    )
    messages.success(request, _("Your choices are saved."))
    return redirect("notification_preferences")
