"""The admin tests' cast, built with the ORM: two schools of one trust (North and South),
each with one of everything, and what the tests read from and post to admin pages. The
fixtures that build it (north, south, superuser, roleless_staff) are in conftest.py."""

from datetime import date
from types import SimpleNamespace

from django.forms import CheckboxInput
from django.urls import reverse

from school.models import (
    AcademicYear,
    Guardian,
    GuardianLink,
    House,
    NonSchoolDay,
    Pupil,
    RoleAssignment,
    School,
    Subject,
    TeachingGroup,
    TutorGroup,
    User,
    YearGroup,
)

Role = RoleAssignment.Role


def build_school(label: str) -> SimpleNamespace:
    slug = label.lower()
    school = School.objects.create(name=f"{label} Academy", slug=slug)
    year = AcademicYear.objects.create(
        school=school, name="2026/27", start_date=date(2026, 9, 1), end_date=date(2027, 7, 21)
    )
    y7 = YearGroup.objects.create(school=school, number=7)
    y8 = YearGroup.objects.create(school=school, number=8)
    house = House.objects.create(school=school, name=f"{label}house")
    tutor_group = TutorGroup.objects.create(school=school, year_group=y7, name=f"7{label[:2]}")
    y8_tutor_group = TutorGroup.objects.create(school=school, year_group=y8, name=f"8{label[:2]}")
    subject = Subject.objects.create(school=school, name=f"{label} Maths", code="Ma")
    admin = User.objects.create_user(
        email=f"admin@{slug}.example", school=school, is_staff=True, first_name="Ada"
    )
    RoleAssignment.objects.create(school=school, user=admin, role=Role.SCHOOL_ADMIN)
    teacher = User.objects.create_user(
        email=f"teacher@{slug}.example", school=school, first_name="Tom", last_name=f"{label}er"
    )
    teacher_role = RoleAssignment.objects.create(school=school, user=teacher, role=Role.TEACHER)
    inset_day = NonSchoolDay.objects.create(
        school=school, date=date(2027, 1, 4), kind=NonSchoolDay.Kind.INSET
    )
    pupil = Pupil.objects.create(
        school=school,
        first_name="Pat",
        last_name=f"{label}cott",
        upn=f"{label[0]}00000000001",
        admission_number=f"{label[0]}001",
        date_of_birth=date(2015, 3, 1),
        year_group=y7,
        tutor_group=tutor_group,
        house=house,
        free_school_meals=True,
    )
    parent_login = User.objects.create_user(email=f"parent@{slug}.example")
    guardian = Guardian.objects.create(
        school=school,
        user=parent_login,
        first_name="Gwen",
        last_name=f"{label}cott",
        email=f"parent@{slug}.example",
    )
    GuardianLink.objects.create(
        guardian=guardian, pupil=pupil, relationship=GuardianLink.Relationship.MOTHER
    )
    teaching_group = TeachingGroup.objects.create(
        school=school,
        name=f"7x/{label}1",
        academic_year=year,
        subject=subject,
        year_group=y7,
    )
    teaching_group.teachers.add(teacher)
    teaching_group.pupils.add(pupil)
    return SimpleNamespace(**locals())


def add_rows(world: SimpleNamespace, count: int) -> None:
    """`count` more of everything a changelist shows, each with its related rows."""
    label, school = world.label, world.school
    for n in range(count):
        tutor_group = TutorGroup.objects.create(
            school=school, year_group=world.y7, name=f"{label[0]}{n}"
        )
        tutor = User.objects.create_user(email=f"tutor{n}@{world.slug}.example", school=school)
        RoleAssignment.objects.create(
            school=school, user=tutor, role=Role.FORM_TUTOR, tutor_group=tutor_group
        )
        pupil = Pupil.objects.create(
            school=school,
            first_name=f"Pupil{n}",
            last_name=label,
            upn=f"{label[0]}X{n:011d}",
            admission_number=f"X{n}",
            date_of_birth=date(2015, 1, 1),
            year_group=world.y7,
            tutor_group=tutor_group,
            house=world.house,
            pupil_premium=True,
            sen=Pupil.Sen.SUPPORT,
        )
        parent = User.objects.create_user(email=f"parent{n}@{world.slug}.example")
        guardian = Guardian.objects.create(
            school=school, user=parent, first_name=f"Parent{n}", email=parent.email
        )
        GuardianLink.objects.create(
            guardian=guardian, pupil=pupil, relationship=GuardianLink.Relationship.FATHER
        )
        subject = Subject.objects.create(school=school, name=f"Subject {n}", code=f"S{n}")
        RoleAssignment.objects.create(
            school=school, user=tutor, role=Role.SUBJECT_LEADER, subject=subject
        )
        AcademicYear.objects.create(
            school=school,
            name=f"Past year {n}",
            start_date=date(2000 + n, 9, 1),
            end_date=date(2001 + n, 7, 20),
        )
        teaching_group = TeachingGroup.objects.create(
            school=school,
            name=f"{label}-{n}",
            academic_year=world.year,
            subject=subject,
            year_group=world.y7,
        )
        teaching_group.teachers.add(tutor)
        teaching_group.pupils.add(pupil)


def url(name, *args):
    return reverse(f"admin:school_{name}", args=args)


def text(response) -> str:
    return response.content.decode()


def form_data(response) -> dict:
    """What a browser would post back, unchanged, for the admin form on this page."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    for form in forms:
        for bound in form:
            if bound.field.disabled:
                continue
            value = bound.value()
            if isinstance(bound.field.widget, CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
            elif value is None:
                data[bound.html_name] = ""
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(item) for item in value]
            else:
                data[bound.html_name] = str(value)
    return data


def changelist_names(response) -> set[str]:
    return {str(obj) for obj in response.context["cl"].result_list}


def new_pupil_data(response, world, **changes):
    data = form_data(response)
    data.update(
        first_name="Nell",
        last_name="Newcome",
        upn="N99999999999",
        admission_number="N999",
        date_of_birth="2014-11-05",
        year_group=str(world.y7.pk),
        tutor_group=str(world.tutor_group.pk),
        house=str(world.house.pk),
        eal="on",
    )
    data.update(changes)
    return data
