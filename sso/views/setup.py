"""A school admin's sign-in pages: the school's sign-in services and password switch, a
service's form, and who of the school's staff and pupils has linked their account (with
unlink). A superuser chooses the school (?school=<slug>); anyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from school import access
from school.models import RoleAssignment
from school.views.choose_school import choose_school, page_school, school_query

from ..forms.setup import PolicyForm, ProviderForm
from ..models import IdentityProvider
from ..setup import (
    link_remove,
    links_of_school,
    people_for_sign_in,
    policy_of,
    policy_save,
    provider_save,
    setup_history,
)

NOT_FOUND = "Sign-in is set up by the school's admins."
PEOPLE_PER_PAGE = 100


def may_set_up(user) -> bool:
    """The menu's rule: a school admin, or a superuser (who chooses the school)."""
    return bool(getattr(user, "is_superuser", False)) or access.has_role(
        user, RoleAssignment.Role.SCHOOL_ADMIN
    )


def _school(request, *, required=False):
    school = page_school(
        request,
        may=lambda user: access.has_role(user, RoleAssignment.Role.SCHOOL_ADMIN),
        not_found=NOT_FOUND,
    )
    if school is None and (required or request.method == "POST"):
        raise Http404(NOT_FOUND)
    return school


def _back(request, school, name="sso_setup"):
    return redirect(reverse(name) + school_query(request, school))


def _home(request, school, *, policy_form=None, status=200):
    policy = policy_of(school)
    return render(
        request,
        "sso/setup/home.html",
        {
            "school": school,
            "school_query": school_query(request, school),
            "providers": list(IdentityProvider.objects.filter(school=school).order_by("label")),
            "policy": policy,
            "policy_form": policy_form or PolicyForm(instance=policy, school=school),
            "linked_count": links_of_school(school).values("user").distinct().count(),
            "callback_url": request.build_absolute_uri(reverse("sso_callback")),
            "history": setup_history(school),
        },
        status=status,
    )


@login_required
@require_GET
def setup_home(request):
    school = _school(request)
    if school is None:
        return choose_school(
            request,
            title=_("Sign-in with the school's account"),
            about=_("Each school sets up its own sign-in. Choose the school."),
        )
    return _home(request, school)


@login_required
def policy_change(request):
    school = _school(request, required=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = PolicyForm(request.POST, instance=policy_of(school), school=school)
    if not form.is_valid():
        return _home(request, school, policy_form=form, status=400)
    policy = policy_save(policy=form.save(commit=False), by=request.user)
    if policy.password_login_off:
        messages.success(
            request,
            _(
                "Staff and pupils now sign in only with the school account; "
                "%(admin)s keeps a password."
            )
            % {"admin": policy.break_glass_admin},
        )
    else:
        messages.success(request, _("Staff and pupils may log in with a password again."))
    return _back(request, school)


def _provider_page(request, school, provider):
    posted = request.POST if request.method == "POST" else None
    form = ProviderForm(posted, instance=provider, school=school)
    if request.method == "POST" and form.is_valid():
        provider_save(
            provider=form.save(commit=False),
            endpoints=form.endpoints,
            domains=form.cleaned_data["domains"],
            secret=form.cleaned_data["client_secret"],
            by=request.user,
        )
        messages.success(request, _("Saved. The sign-in service answered as expected."))
        return _back(request, school)
    return render(
        request,
        "sso/setup/provider_form.html",
        {
            "form": form,
            "school": school,
            "provider": provider,
            "school_query": school_query(request, school),
            "callback_url": request.build_absolute_uri(reverse("sso_callback")),
        },
        status=400 if form.errors else 200,
    )


@login_required
def provider_add(request):
    school = _school(request, required=True)
    return _provider_page(request, school, IdentityProvider(school=school))


@login_required
def provider_edit(request, provider_id):
    school = _school(request, required=True)
    provider = get_object_or_404(IdentityProvider, school=school, pk=provider_id)
    return _provider_page(request, school, provider)


@login_required
@require_GET
def people(request):
    school = _school(request, required=True)
    show = request.GET.get("show", "")
    linked = {"linked": True, "unlinked": False}.get(show)
    page = Paginator(people_for_sign_in(school, linked=linked), PEOPLE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    shown = list(page)
    links = {
        link.user_id: link
        for link in links_of_school(school)
        .filter(user__in=[person.pk for person in shown])
        .select_related("provider")
    }
    return render(
        request,
        "sso/setup/people.html",
        {
            "school": school,
            "school_query": school_query(request, school),
            "page": page,
            "rows": [(person, links.get(person.pk)) for person in shown],
            "show": show if linked is not None else "",
        },
    )


@login_required
def unlink(request, link_id):
    school = _school(request, required=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    link = link_remove(school=school, link_id=link_id)
    if link is None:
        raise Http404("No such linked account at your school.")
    messages.success(
        request,
        _("%(person)s is unlinked from %(provider)s: their next sign-in links again.")
        % {"person": link.user, "provider": link.provider.label},
    )
    return _back(request, school, "sso_people")
