"""Who may open the trust view: a trust leader of the school's trust (the shared world's
school is in no trust, so no one here: tests/reports/test_trust.py checks trust leaders,
superusers and the other trust). Everyone else: 404."""

from django.urls import reverse

PAGES = {"reports_trust": (lambda w: reverse("reports_trust"), set())}
# A trust leader opening their trust's schools' reports with ?school=<slug> (and nothing
# of another trust's): tests/reports/test_trust_schools.py, every report URL.
