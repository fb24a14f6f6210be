from django.urls import path  # noqa: F401 (each area adds its paths below)

from .views import accounts, agreements, messages, overview, signoff  # noqa: F401

urlpatterns = [
    # The child overview (parents/views/overview.py)
    path("", overview.overview, name="parents_overview"),
    path("children/<int:pupil_id>/", overview.child, name="parents_child"),
    # Invitations and linking a further child (parents/views/accounts.py)
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
    # The home-school agreement (parents/views/agreements.py)
    path("agreement/", agreements.parents_agreement, name="parents_agreement"),
    path(
        "agreement/signatures/<int:signature_id>/",
        agreements.parents_agreement_signature,
        name="parents_agreement_signature",
    ),
    path("agreement/pupil/", agreements.parents_agreement_pupil, name="parents_agreement_pupil"),
    path("agreements/edit/", agreements.parents_agreement_edit, name="parents_agreement_edit"),
    path(
        "agreements/publish/",
        agreements.parents_agreement_publish,
        name="parents_agreement_publish",
    ),
    path(
        "agreements/<int:agreement_id>/",
        agreements.parents_agreement_version,
        name="parents_agreement_version",
    ),
    path(
        "agreements/<int:agreement_id>/translations/<str:language>/",
        agreements.parents_agreement_translation,
        name="parents_agreement_translation",
    ),
    path(
        "agreements/coverage/",
        agreements.parents_agreement_coverage,
        name="parents_agreement_coverage",
    ),
    path(
        "agreements/coverage/remind/",
        agreements.parents_agreement_remind,
        name="parents_agreement_remind",
    ),
    # The weekly sign-off (parents/views/signoff.py)
    path("sign-off/", signoff.parents_signoff, name="parents_signoff"),
    path("sign-off/tutor/", signoff.parents_signoff_tutor, name="parents_signoff_tutor"),
    # Messages (parents/views/messages.py)
    path("messages/", messages.parents_messages, name="parents_messages"),
    path("messages/new/", messages.parents_message_new, name="parents_message_new"),
    path(
        "messages/<int:thread_id>/",
        messages.parents_message_thread,
        name="parents_message_thread",
    ),
]
