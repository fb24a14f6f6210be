"""Who may open the marking pages: a teacher's homework page is for anyone who teaches a
class; a homework's register is open to the teachers of its class and to staff who may see
the class (subject leader, head of year, senior leaders, school admins). Changing the
register is for the class's teachers only. Returning marked work answers GET with a
confirmation page; saving marks and recording work handed in on paper answer POST only
(GET answers 405 to the class's teacher and 404 to everyone else). The POSTs are covered in
tests/homework/test_marking_access.py."""

from django.urls import reverse

TEACHERS = {"teacher", "other_teacher"}
REGISTER_READERS = {"teacher", "head_of_year", "subject_leader", "senior_leader", "school_admin"}


def _maths(name):
    return lambda w: reverse(name, args=[w.maths_homework.pk])


PAGES = {
    "homework_home": (lambda w: reverse("homework_home"), TEACHERS),
    "homework_register": (_maths("homework_register"), REGISTER_READERS),
    "homework_return": (_maths("homework_return"), {"teacher"}),
}

# POST only: GET answers 405 to the class's teacher and 404 to everyone else.
POST_ONLY = {
    "homework_register_save": (_maths("homework_register_save"), {"teacher"}),
    "homework_register_paper": (_maths("homework_register_paper"), {"teacher"}),
}
