"""Who may open the parents' account pages: the guardians list is for school admins and
senior leaders (the other school's admin sees their own school's, empty); adding a child
with a code is for parents. The invitation link is a secret address (no login: its tests
are in tests/parents/test_accounts_invitations.py); the POST actions' tests are in
tests/parents/test_accounts_pages.py."""

from django.urls import reverse

MANAGERS = {"senior_leader", "school_admin"}

PAGES = {
    "parents_accounts": (
        lambda w: reverse("parents_accounts"),
        MANAGERS | {"other_school_staff"},
    ),
    "parents_link": (lambda w: reverse("parents_link"), {"parent", "other_parent"}),
}

POST_ONLY = {
    "parents_guardian_invite": (
        lambda w: reverse("parents_guardian_invite", args=[w.guardian.pk]),
        MANAGERS,
    ),
    "parents_guardian_link_code": (
        lambda w: reverse("parents_guardian_link_code", args=[w.guardian.pk]),
        MANAGERS,
    ),
    "parents_accounts_invite_all": (
        lambda w: reverse("parents_accounts_invite_all"),
        MANAGERS | {"other_school_staff"},
    ),
}

SECRET_ADDRESS = {"parents_invitation"}
