"""Sign-in with the school's account, under /accounts/sso/ (homework_mgmt/account_urls.py):
the public steps of signing in, then the school admin's setup pages."""

from django.urls import path

from .views import setup, sign_in

urlpatterns = [
    path("", sign_in.school_account, name="sso_school_account"),
    path("start/<int:provider_id>/", sign_in.SignInStart.as_view(), name="sso_start"),
    path("callback/", sign_in.SignInCallback.as_view(), name="sso_callback"),
    path("signed-out/", sign_in.signed_out, name="sso_signed_out"),
    path("setup/", setup.setup_home, name="sso_setup"),
    path("setup/password-login/", setup.policy_change, name="sso_policy"),
    path("setup/services/new/", setup.provider_add, name="sso_provider_add"),
    path("setup/services/<int:provider_id>/", setup.provider_edit, name="sso_provider_edit"),
    path("setup/people/", setup.people, name="sso_people"),
    path("setup/people/<int:link_id>/unlink/", setup.unlink, name="sso_unlink"),
]
