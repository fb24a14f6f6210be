"""Who may open the family calendar page: guardians (for their own feed). Resetting the
address answers POST only, and the feed is reached by its secret address without a login;
tests/parents/test_calendar_feed.py covers both."""

from django.urls import reverse

PAGES = {"parents_calendar": (lambda w: reverse("parents_calendar"), {"parent", "other_parent"})}

POST_ONLY = {
    "parents_calendar_reset": (lambda w: reverse("parents_calendar_reset"), {"parent"}),
}
SECRET_ADDRESS = {"parents_feed"}
