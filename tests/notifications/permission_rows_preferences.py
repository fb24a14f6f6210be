"""The notification choices page is for guardians: each sees their own records' choices
(others get 404). Saving posts to one guardian record's address."""

from django.urls import reverse

PAGES = {
    "notification_preferences": (
        lambda w: reverse("notification_preferences"),
        {"parent", "other_parent"},
    ),
}

# POST only: GET answers 405 to the record's own login and 404 to everyone else.
POST_ONLY = {
    "notification_preferences_save": (
        lambda w: reverse("notification_preferences_save", args=[w.guardian.pk]),
        {"parent"},
    ),
}
