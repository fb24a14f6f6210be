"""Invitations and linking a further child."""

from django.urls import path

from ..views import accounts

urlpatterns = [
    path("accounts/", accounts.parents_accounts, name="parents_accounts"),
    path(
        "accounts/invite-all/",
        accounts.parents_accounts_invite_all,
        name="parents_accounts_invite_all",
    ),
    path(
        "accounts/guardians/<int:guardian_id>/invite/",
        accounts.parents_guardian_invite,
        name="parents_guardian_invite",
    ),
    path(
        "accounts/guardians/<int:guardian_id>/link-code/",
        accounts.parents_guardian_link_code,
        name="parents_guardian_link_code",
    ),
    path("invitations/<str:token>/", accounts.parents_invitation, name="parents_invitation"),
    path("link/", accounts.parents_link, name="parents_link"),
]
