"""The weekly sign-off of a child's homework, and the tutor's view of it."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from school import access
from school.calendar import week_start
from school.models import GuardianLink

from .. import signoff
from ..forms.signoff import SignOffForm, SignOffReplyForm, TutorWeekForm
from ..models import WeeklySignOff


@login_required
def parents_signoff(request):
    """GET: each child's homework this week and the guardian's sign-off of it. POST
    (`pupil`, `comment`): sign off one child's week, or the page again with the error
    (status 400) and nothing saved. A child who is not theirs answers 404."""
    if not access.is_guardian(request.user):
        raise Http404("The weekly sign-off is for parents and carers.")
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    posted = None
    if request.method == "POST":
        # Its ids are the child's card's from the start: the errors are tied to them.
        raw = request.POST.get("pupil", "")
        posted = SignOffForm(request.POST, auto_id=f"child{raw if raw.isdigit() else 0}_%s")
    error, posted_pupil = "", None
    if posted is not None:
        if posted.is_valid():
            posted_pupil = posted.cleaned_data["pupil"]
            try:
                link = signoff.guardian_link_for(request.user, posted_pupil)
            except GuardianLink.DoesNotExist:
                raise Http404("No such child.") from None
            try:
                signoff.sign_off_record(
                    user=request.user, link=link, comment=posted.cleaned_data["comment"]
                )
            except signoff.SignOffError as refused:
                posted.add_error(None, str(refused))
            else:
                messages.success(
                    request,
                    _("Thank you: this week's homework for %(name)s is signed off.")
                    % {"name": link.pupil.first_name},
                )
                return redirect("parents_signoff")
        else:
            posted_pupil = posted.data.get("pupil")
    week = signoff.guardian_week(request.user)
    shown = False  # whether the posted form, with its errors, is on the page
    for child in week.children:
        is_posted = posted is not None and str(child.pupil.pk) == str(posted_pupil)
        child.form = (
            posted
            if is_posted
            else SignOffForm(initial={"pupil": child.pupil.pk}, auto_id=f"child{child.pupil.pk}_%s")
        )
        if is_posted:
            shown = child.sign_off is None
    # A form that names no child (the hidden field was changed), or a week signed off
    # meanwhile (so no form is shown), is refused above the children.
    error = ""
    if posted is not None and not shown:
        error = " ".join(posted.non_field_errors()) or _(
            "Nothing was saved: correct the form below."
        )
    return render(
        request,
        "parents/signoff/week.html",
        {"week": week, "error": error},
        status=400 if posted is not None else 200,
    )


def _tutor_url(group_id: int, monday: datetime.date) -> str:
    query = urlencode({"group": group_id, "week": f"{monday:%Y-%m-%d}"})
    return f"{reverse('parents_signoff_tutor')}?{query}"


@login_required
def parents_signoff_tutor(request):
    """GET (`group`, `week`): who in the group has and has not signed off the week, the
    comments and replies, unanswered ones waiting more than two school days marked. POST
    (`sign_off`, `reply`): the form tutor answers one comment (heads of year read only: a
    POST from anyone but the pupil's tutor answers 404)."""
    if not signoff.may_read_sign_offs(request.user):
        raise Http404("The sign-off page is for form tutors and heads of year.")
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    reply_form, replying, bad = None, None, False
    if request.method == "POST":
        try:
            sign_off_id = int(request.POST.get("sign_off", ""))
            replying = signoff.sign_off_for_reply(request.user, sign_off_id)
        except (ValueError, WeeklySignOff.DoesNotExist):
            raise Http404("No such comment in your tutor group.") from None
        reply_form = SignOffReplyForm(request.POST, sign_off=replying)
        if reply_form.is_valid():
            try:
                signoff.sign_off_reply(
                    actor=request.user, sign_off=replying, reply=reply_form.cleaned_data["reply"]
                )
            except signoff.SignOffError as refused:
                reply_form.add_error(None, str(refused))
            else:
                messages.success(request, f"Reply sent to {replying.guardian.full_name}.")
                return redirect(_tutor_url(replying.pupil.tutor_group_id, replying.week_start))
        filters = TutorWeekForm(
            {"group": replying.pupil.tutor_group_id, "week": replying.week_start}
        )
    else:
        filters = TutorWeekForm(request.GET)
    if not filters.is_valid():
        bad = True
        data = {}
    else:
        data = filters.cleaned_data
    groups = sorted(
        signoff.tutor_groups_for_sign_off(request.user),
        key=lambda g: (
            g.pk not in access.scope_ids(request.user, signoff.Role.FORM_TUTOR),
            g.year_group.number,
            g.name,
        ),
    )
    chosen_id = data.get("group") or (groups[0].pk if groups else None)
    group = next((g for g in groups if g.pk == chosen_id), None)
    if chosen_id is not None and group is None:
        raise Http404("No such tutor group in your care.")
    monday = week_start(data.get("week") or timezone.localdate())
    week = signoff.tutor_week(request.user, group, monday) if group else None
    if week and week.may_reply:
        for row in week.rows:
            for sign_off in row.sign_offs:
                if sign_off.comment and not sign_off.reply:
                    sign_off.reply_form = (
                        reply_form
                        if replying and replying.pk == sign_off.pk
                        else SignOffReplyForm(sign_off=sign_off)
                    )
    if not bad:  # the week chosen, as the page shows it
        filters = TutorWeekForm(initial={"week": monday})
    return render(
        request,
        "parents/signoff/tutor.html",
        {
            "groups": groups,
            "group": group,
            "week": week,
            "monday": monday,
            "filters": filters,
            "reply_form": reply_form,
            "replying": replying,
            "previous_url": _tutor_url(group.pk, monday - datetime.timedelta(weeks=1))
            if group
            else "",
            "next_url": _tutor_url(group.pk, monday + datetime.timedelta(weeks=1)) if group else "",
            "this_week_url": _tutor_url(group.pk, week_start(timezone.localdate()))
            if group
            else "",
        },
        status=400 if bad or request.method == "POST" else 200,
    )
