"""Who may edit the privacy notice: a school's data protection lead (school admins hold
the role), their own school's. The notice itself is public, like the login page: anyone
reads it, logged in or not (invitation emails link to it); test_notice.py checks those
two pages for anonymous visitors and each kind of login."""

from django.urls import reverse

PAGES = {
    "privacy_notice_edit": (
        lambda w: reverse("privacy_notice_edit"),
        {"school_admin", "other_school_staff"},
    ),
}
# Public pages (no login), checked by test_notice.py.
SECRET_ADDRESS = {"privacy_notice", "privacy_notice_school"}
