"""Invitations (school admins invite a guardian; the guardian sets a password) and linking
a further child with a code from the school and the child's date of birth."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from school.exports import csv_response
from school.models import Guardian, User

from .. import accounts
from ..forms.accounts import GuardianFilterForm, InviteAllForm, LinkChildForm, SetPasswordForm

PASSWORD_BACKEND = "school.auth.AccountBackend"


def _manager_or_404(user) -> None:
    if not accounts.may_manage(user):
        raise Http404("Parents' accounts are for school admins and senior leaders.")


def _overview_url() -> str:
    try:
        return reverse("parents_overview")
    except NoReverseMatch:
        return "/parents/"


def _site(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _filter_form(request, data):
    years, tutor_groups = accounts.filter_choices(request.user.school_id)
    form_class = InviteAllForm if request.method == "POST" else GuardianFilterForm
    return form_class(data, years=years, tutor_groups=tutor_groups)


def _csv(guardians):
    response, writer = csv_response("parent-accounts")
    writer.writerow(["Surname", "First name", "Email", "Children", "Account"])
    for guardian in guardians:
        writer.writerow(
            [
                guardian.last_name,
                guardian.first_name,
                guardian.email,
                "; ".join(
                    f"{link.pupil.full_name} ({link.pupil.tutor_group.name})"
                    for link in guardian.children
                ),
                _status_text(guardian),
            ]
        )
    return response


def _status_text(guardian) -> str:
    if guardian.user_id:
        return "Has a login"
    if guardian.invited_until:
        return "Invited, waiting"
    reason = accounts.not_invitable_reason(guardian)
    return f"Cannot be invited: {reason}" if reason else "Not invited"


@login_required
def parents_accounts(request):
    """The school's guardians with parental responsibility, whether each has a login or a
    pending invitation, filtered by year, tutor group and status, a page at a time;
    `?format=csv` downloads the filtered list."""
    _manager_or_404(request.user)
    filters = _filter_form(request, request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    guardians = accounts.guardian_list(
        request.user.school_id,
        year=data.get("year"),
        tutor_group=data.get("tutor_group"),
        status=data.get("status", ""),
    )
    if request.GET.get("format") == "csv" and not filters.errors:
        return _csv(guardians)
    page = Paginator(guardians, accounts.GUARDIANS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "parents/accounts/list.html",
        {
            "page": page,
            "guardians": list(page),
            "filters": filters,
            "query": query.urlencode(),
            "group_chosen": bool(data.get("year") or data.get("tutor_group")),
            "back": request.get_full_path(),
        },
        status=400 if filters.errors else 200,
    )


def _back(request) -> str:
    """Where the list was (its filters and page), if the form said so and it is ours."""
    back = request.POST.get("back", "")
    if back.startswith(reverse("parents_accounts")):
        return back
    return reverse("parents_accounts")


def _sent_messages(request, result) -> None:
    if result.sent:
        names = ", ".join(g.full_name for g in result.sent[:5])
        more = len(result.sent) - 5
        messages.success(
            request,
            f"Invitation sent to {names}"
            + (f" and {more} more" if more > 0 else "")
            + f" ({len(result.sent)} in all).",
        )
    for reason, guardians in result.skipped.items():
        messages.warning(request, f"Not invited ({reason}): {len(guardians)}.")
    if not result.sent and not result.skipped:
        messages.info(request, "Nobody to invite.")


@login_required
def parents_guardian_invite(request, guardian_id):
    """POST: invite one guardian (again: the earlier link stops working)."""
    _manager_or_404(request.user)
    try:
        guardian = accounts.guardian_for_staff(request.user, guardian_id)
    except Guardian.DoesNotExist:
        raise Http404("No such guardian.") from None
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    result = accounts.invitations_send(
        actor=request.user, guardians=[guardian], site=_site(request)
    )
    if result.sent:
        messages.success(
            request, f"Invitation sent to {guardian.full_name} at {guardian.email.strip()}."
        )
    else:
        (reason,) = result.skipped
        messages.error(request, f"{guardian.full_name} was not invited: {reason}.")
    return redirect(_back(request))


@login_required
def parents_accounts_invite_all(request):
    """POST (year or tutor group): invite everyone of the group without a login who has
    an email address and no invitation waiting, in one go."""
    _manager_or_404(request.user)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = _filter_form(request, request.POST)
    if not form.is_valid():
        errors = " ".join(e for field in form.errors.values() for e in field)
        messages.error(request, f"Nobody was invited: {errors}")
        return redirect(_back(request))
    guardians = accounts.guardian_list(
        request.user.school_id,
        year=form.cleaned_data["year"],
        tutor_group=form.cleaned_data["tutor_group"],
        status="no_login",
    )
    result = accounts.invitations_send(
        actor=request.user, guardians=list(guardians), site=_site(request), skip_pending=True
    )
    _sent_messages(request, result)
    return redirect(_back(request))


@login_required
def parents_guardian_link_code(request, guardian_id):
    """POST: a new code for the guardian to add their children to the login they have,
    shown once on a printable letter (only its hash is kept)."""
    _manager_or_404(request.user)
    try:
        guardian = accounts.guardian_for_staff(request.user, guardian_id)
    except Guardian.DoesNotExist:
        raise Http404("No such guardian.") from None
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        issued = accounts.link_code_issue(actor=request.user, guardian=guardian)
    except accounts.AccountError as refused:
        messages.error(request, str(refused))
        return redirect(_back(request))
    response = render(
        request,
        "parents/accounts/link_code.html",
        {
            "issued": issued,
            "school": guardian.school,
            "link_url": request.build_absolute_uri(reverse("parents_link")),
            "back": _back(request),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


# The guardian's side ---------------------------------------------------------------------


@never_cache
def parents_invitation(request, token):
    """The link from the invitation email (no login needed: the token is the key).
    A valid link asks for a password and creates the login; if a login with the invited
    address exists, its owner logs in and attaches the record. Unknown links answer 404,
    used, replaced or expired ones 410, and nothing changes."""
    state = accounts.invitation_state(token)
    if not state.valid:
        return render(
            request,
            "parents/accounts/invitation_invalid.html",
            {"state": state},
            status=404 if state.status == "unknown" else 410,
        )
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    invitation = state.invitation
    if state.existing_user is not None:
        return _invitation_existing_account(request, invitation, state.existing_user)
    candidate = User(
        email=invitation.email,
        first_name=invitation.guardian.first_name,
        last_name=invitation.guardian.last_name,
    )
    form = SetPasswordForm(request.POST if request.method == "POST" else None, user=candidate)
    if form.is_valid():
        try:
            user = accounts.invitation_accept(
                invitation=invitation, password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            form.add_error("password1", error)
        except accounts.AccountError as refused:
            form.add_error(None, str(refused))
        else:
            login(request, user, backend=PASSWORD_BACKEND)
            messages.success(request, _("Welcome: your account is ready."))
            return redirect(_overview_url())
    return render(
        request,
        "parents/accounts/invitation.html",
        {"invitation": invitation, "form": form, "school": invitation.school},
        status=400 if form.is_bound else 200,
    )


def _invitation_existing_account(request, invitation, existing):
    """A login with the invited address exists: its owner, logged in, attaches the
    record with one button; anyone else is asked to log in as that address."""
    is_owner = request.user.is_authenticated and request.user.pk == existing.pk
    error = ""
    if request.method == "POST":
        if not is_owner:
            error = _("Log in as %(email)s to add these children to that account.") % {
                "email": invitation.email
            }
        else:
            try:
                accounts.invitation_attach(invitation=invitation, user=request.user)
            except accounts.AccountError as refused:
                error = str(refused)
            else:
                messages.success(
                    request,
                    _("The children of %(school)s now show on your account.")
                    % {"school": invitation.school},
                )
                return redirect(_overview_url())
    login_url = reverse("login") + "?" + urlencode({"next": request.path})
    return render(
        request,
        "parents/accounts/invitation_existing.html",
        {
            "invitation": invitation,
            "school": invitation.school,
            "is_owner": is_owner,
            "login_url": login_url,
            "error": error,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def parents_link(request):
    """A parent adds a further child: the code from the school's letter and the child's
    date of birth attach that guardian record to their login. Any mismatch gives one
    message; after LINK_ATTEMPTS misses in an hour, nothing more is checked."""
    if not accounts.may_link(request.user):
        raise Http404("Adding a child is for parents.")
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = LinkChildForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            children = accounts.link_code_redeem(
                user=request.user,
                code=form.cleaned_data["code"],
                date_of_birth=form.cleaned_data["date_of_birth"],
            )
        except accounts.AccountError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("Linked: you can now see %(names)s.")
                % {"names": ", ".join(child.full_name for child in children)},
            )
            return redirect(_overview_url())
    return render(
        request,
        "parents/accounts/link.html",
        {"form": form, "overview_url": _overview_url()},
        status=400 if form.is_bound else 200,
    )
