"""Signing in with the school's account: the email step, the redirect to the school's
service (mozilla-django-oidc's, with state, nonce and PKCE kept in the session) and the
callback, which says clearly why a sign-in was refused."""

from urllib.parse import parse_qs, urlsplit

import requests
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from school.models import School

from ..forms.sign_in import SchoolAccountForm
from ..models import IdentityProvider
from ..sign_in import providers_for_email, providers_of_school

# state -> provider id, beside the library's own session entry for the same state.
STATES_KEY = "sso_states"
MAX_STATES = 20
# The provider a session signed in with (its id token is the library's "oidc_id_token").
PROVIDER_KEY = "sso_provider_id"
SIGNED_OUT_KEY = "sso_signed_out"


def _safe_next(request) -> str:
    value = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return value if ok else ""


def _start_url(provider: IdentityProvider, *, email: str = "", next_url: str = "") -> str:
    query = {key: value for key, value in (("login_hint", email), ("next", next_url)) if value}
    url = reverse("sso_start", args=[provider.pk])
    return f"{url}?{urlencode(query)}" if query else url


def school_account(request):
    """The email step. ?school=<slug> (a link from the school's own website) shows that
    school's buttons at once."""
    next_url = _safe_next(request)
    school, providers = None, []
    if slug := request.GET.get("school"):
        school = get_object_or_404(School, slug=slug)
        providers = list(providers_of_school(school))
    form = SchoolAccountForm(request.POST if request.method == "POST" else None)
    email = ""
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        # The services are offered as links, not a redirect: the page's Content-Security-
        # Policy (form-action 'self') forbids a form from leading to another site.
        providers = list(providers_for_email(email))
        if not providers:
            form.add_error(
                "email",
                _(
                    "No school here signs in with an account at @%(domain)s. Check the "
                    "address, or log in with your email address and password."
                )
                % {"domain": email.rpartition("@")[2]},
            )
    choices = [
        (provider, _start_url(provider, email=email, next_url=next_url)) for provider in providers
    ]
    return render(
        request,
        "sso/sign_in/school_account.html",
        {"form": form, "school": school, "choices": choices, "next": next_url},
    )


class SignInStart(OIDCAuthenticationRequestView):
    def __init__(self, *args, **kwargs):
        # The library reads one provider from settings here; ours is in the address.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request, provider_id):
        provider = IdentityProvider.objects.filter(pk=provider_id, enabled=True).first()
        if provider is None:
            raise Http404("No such sign-in.")
        self.provider = provider
        self.OIDC_OP_AUTH_ENDPOINT = provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id
        response = super().get(request)
        state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
        states = request.session.get(STATES_KEY, {})
        states = dict(list(states.items())[-(MAX_STATES - 1) :])
        states[state] = provider.pk
        request.session[STATES_KEY] = states
        return response

    def get_extra_params(self, request):
        params = {}
        hint = request.GET.get("login_hint", "").strip()
        if hint:
            params["login_hint"] = hint[:254]
        if self.provider.kind == IdentityProvider.Kind.GOOGLE and self.provider.email_domains:
            # Google's account chooser offers only accounts of the school's Workspace
            # domain (a hint: the answer's hd claim is checked, sso/sign_in.py).
            params["hd"] = self.provider.email_domains[0]
        return params


class SignInCallback(OIDCAuthenticationCallbackView):
    def get(self, request):
        state = request.GET.get("state", "")
        provider_id = request.session.get(STATES_KEY, {}).get(state)
        provider = (
            IdentityProvider.objects.filter(pk=provider_id).select_related("school").first()
            if provider_id
            else None
        )
        self.provider = provider
        request.sso_provider = provider
        if provider is None:
            # The library refuses such a callback too (SuspiciousOperation); say it plainly.
            return self._refused(
                _(
                    "This sign-in has expired, was already used, or did not start here. "
                    "Please start again."
                ),
                status=400,
            )
        try:
            response = super().get(request)
        except SuspiciousOperation:
            return self._refused(
                _("The answer from %(provider)s could not be verified, so you are not signed in.")
                % {"provider": provider.label},
                status=400,
            )
        except requests.RequestException:
            return self._refused(
                _(
                    "%(provider)s did not confirm this sign-in (it may have been used "
                    "already). Please start again."
                )
                % {"provider": provider.label},
                status=400,
            )
        finally:
            states = request.session.get(STATES_KEY, {})
            if states.pop(state, None) is not None:
                request.session[STATES_KEY] = states
        return response

    def login_success(self):
        response = super().login_success()
        self.request.session[PROVIDER_KEY] = self.provider.pk
        return response

    def login_failure(self):
        if self.request.GET.get("error"):
            message = _("Signing in at %(provider)s did not finish, so you are not signed in.")
            return self._refused(message % {"provider": self.provider.label}, status=400)
        message = getattr(self.request, "sso_refusal", None) or _(
            "You could not be signed in. Please start again."
        )
        return self._refused(message, status=403)

    def _refused(self, message: str, *, status: int):
        return render(
            self.request,
            "sso/sign_in/refused.html",
            {"message": message, "provider": self.provider},
            status=status,
        )


def signed_out(request):
    entry = request.session.pop(SIGNED_OUT_KEY, None) or {}
    provider = IdentityProvider.objects.filter(pk=entry.get("provider")).first()
    if provider is None or request.user.is_authenticated:
        return redirect("login")
    query = {"client_id": provider.client_id}
    if entry.get("id_token"):
        query["id_token_hint"] = entry["id_token"]
    return render(
        request,
        "sso/sign_in/signed_out.html",
        {
            "provider": provider,
            "end_session_url": f"{provider.end_session_endpoint}?{urlencode(query)}",
        },
    )
