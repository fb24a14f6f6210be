"""Logging out (Django's view), wired here so that the page every template links to stays
the project's own: after a sign-in with the school's account (sso/) whose service can end
its own session, the next page offers that too."""

from django.contrib.auth import views as auth_views
from django.shortcuts import redirect

from sso.models import IdentityProvider
from sso.views.sign_in import PROVIDER_KEY, SIGNED_OUT_KEY


class SchoolLogoutView(auth_views.LogoutView):
    """Django's logout; after a sign-in with the school's account whose service can end
    its own session (RP-initiated logout), the next page offers that too, which matters on
    a shared classroom computer. A link, not a redirect: the form's CSP keeps it here."""

    def post(self, request, *args, **kwargs):
        provider_id = request.session.get(PROVIDER_KEY)
        id_token = request.session.get("oidc_id_token", "")
        response = super().post(request, *args, **kwargs)
        provider = (
            IdentityProvider.objects.filter(pk=provider_id).exclude(end_session_endpoint="").first()
            if provider_id
            else None
        )
        if provider is None:
            return response
        request.session[SIGNED_OUT_KEY] = {"provider": provider.pk, "id_token": id_token}
        return redirect("sso_signed_out")
