"""Who may open the setting pages. Setting homework (and its workload panel) is for anyone
who teaches a class; editing, setting again, setting a draft and deleting are for the
teachers of the homework's class; an attachment downloads for the class's teachers, staff
who may see the class, and the pupils given the homework (once set) and their parents.
The publish and delete pages answer GET with a confirmation page; their POSTs are covered
in tests/homework/test_setting_*.py."""

from django.urls import reverse

TEACHERS = {"teacher", "other_teacher"}


def _maths(name):
    return lambda w: reverse(name, args=[w.maths_homework.pk])


PAGES = {
    "homework_new": (lambda w: reverse("homework_new"), TEACHERS),
    "homework_workload": (
        lambda w: (
            reverse("homework_workload")
            + f"?teaching_groups={w.maths_7.pk}&due_on=01/10/2026&estimated_minutes=30"
        ),
        TEACHERS,
    ),
    "homework_edit": (_maths("homework_edit"), {"teacher"}),
    "homework_copy": (_maths("homework_copy"), {"teacher"}),
    "homework_delete": (_maths("homework_delete"), {"teacher"}),
    "homework_publish": (
        lambda w: reverse("homework_publish", args=[w.draft_homework.pk]),
        {"teacher"},
    ),
    # 8x/Ma1's worksheet: its teacher, staff who see the class (the maths subject leader,
    # senior leaders, admins), and the parent of a pupil in it; not the pupil persona (7x)
    # nor the head of Year 7.
    "homework_attachment": (
        lambda w: reverse("homework_attachment", args=[w.year8_attachment.pk]),
        {"other_teacher", "subject_leader", "senior_leader", "school_admin", "parent"},
    ),
}
