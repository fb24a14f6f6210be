"""Who may open the frequency policy and the compliance report. Both are pages of the
person's own school: the other school's senior leader gets 200 for their own (empty)
school, and tests/homework/test_compliance_*.py check they see nothing of this one. The
policy page's POSTs are covered in tests/homework/test_compliance_policy.py."""

from django.urls import reverse

SENIOR = {"senior_leader", "school_admin", "other_school_staff"}

PAGES = {
    "homework_policy": (lambda w: reverse("homework_policy"), SENIOR),
    "homework_compliance": (
        lambda w: reverse("homework_compliance"),
        SENIOR | {"subject_leader"},
    ),
}
