"""Who may commend the world's pupil: the staff who may see them (their maths teacher and
form tutor, their English teacher, the maths subject leader, their head of year and of
house, the school-wide roles). The learning support assistant, the pupil, parents and the
other school get 404. Saving is checked in tests/sanctions/test_commendations.py."""

from django.urls import reverse

PAGES = {
    "sanctions_commend": (
        lambda w: reverse("sanctions_commend", args=[w.pupil.pk]),
        {
            "teacher",
            "other_teacher",
            "head_of_year",
            "head_of_house",
            "subject_leader",
            "senior_leader",
            "school_admin",
        },
    ),
}
