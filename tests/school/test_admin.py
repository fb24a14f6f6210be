"""The Django admin for school setup: a school admin manages their own school and nothing
else, a staff user without the role manages nothing, a superuser manages everything, the
models' validation shows as form errors, and every changelist has a fixed query budget."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connection
from django.forms import CheckboxInput
from django.test.utils import CaptureQueriesContext
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


# A small cast built with the ORM: two schools of one trust, each with one of everything.


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


@pytest.fixture
def north(db):
    return build_school("North")


@pytest.fixture
def south(db):
    return build_school("South")


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="root@trust.example")


@pytest.fixture
def roleless_staff(north):
    """Can reach the admin (is_staff) but holds no school admin role."""
    user = User.objects.create_user(email="clerk@north.example", school=north.school, is_staff=True)
    RoleAssignment.objects.create(school=north.school, user=user, role=Role.TEACHER)
    return user


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


# Seeing only one's own school


def test_school_admin_sees_their_own_pupils_and_not_the_other_schools(client, north, south):
    client.force_login(north.admin)
    response = client.get(url("pupil_changelist"))
    assert response.status_code == 200
    assert changelist_names(response) == {"Pat Northcott"}
    assert "Southcott" not in text(response)


def test_pupil_filters_offer_only_the_admins_own_tutor_groups_and_houses(client, north, south):
    client.force_login(north.admin)
    page = text(client.get(url("pupil_changelist")))
    assert "7No" in page and "Northhouse" in page
    assert "7So" not in page and "Southhouse" not in page


def test_another_schools_pupil_answers_like_a_missing_one(client, north, south):
    client.force_login(north.admin)
    for view in ("change", "history", "delete"):
        response = client.get(url(f"pupil_{view}", south.pupil.pk), follow=True)
        assert response.redirect_chain[0] == (reverse("admin:index"), 302)
        assert "Southcott" not in text(response)
        assert south.pupil.upn not in text(response)


def test_saving_over_another_schools_pupil_changes_nothing(client, north, south):
    client.force_login(north.admin)
    client.post(url("pupil_change", south.pupil.pk), {"first_name": "Hacked"})
    south.pupil.refresh_from_db()
    assert south.pupil.first_name == "Pat"


def test_superuser_sees_both_schools(client, north, south, superuser):
    client.force_login(superuser)
    response = client.get(url("pupil_changelist"))
    assert changelist_names(response) == {"Pat Northcott", "Pat Southcott"}
    response = client.get(url("school_changelist"))
    assert changelist_names(response) == {"North Academy", "South Academy"}


def test_every_other_changelist_shows_only_the_admins_school(client, north, south):
    client.force_login(north.admin)
    for name in (
        "academicyear",
        "nonschoolday",
        "yeargroup",
        "house",
        "tutorgroup",
        "subject",
        "teachinggroup",
        "roleassignment",
        "guardian",
        "user",
    ):
        response = client.get(url(f"{name}_changelist"))
        assert response.status_code == 200, name
        for row in response.context["cl"].result_list:
            assert row.school_id in (north.school.pk, None), (name, row)
        assert "South" not in text(response), name


# Choices, autocomplete and saving


def test_pupil_add_form_offers_only_own_school_choices_and_no_school_field(client, north, south):
    client.force_login(north.admin)
    response = client.get(url("pupil_add"))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "school" not in form.fields
    assert set(form.fields["tutor_group"].queryset) == {north.tutor_group, north.y8_tutor_group}
    assert set(form.fields["year_group"].queryset) == {north.y7, north.y8}
    assert set(form.fields["house"].queryset) == {north.house}
    page = text(response)
    assert "7No" in page
    assert "7So" not in page and "Southhouse" not in page
    assert 'name="school"' not in page


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


def test_saving_a_new_pupil_through_the_admin_sets_the_admins_school(client, north, south):
    client.force_login(north.admin)
    response = client.get(url("pupil_add"))
    response = client.post(url("pupil_add"), new_pupil_data(response, north))
    assert response.status_code == 302
    pupil = Pupil.objects.get(upn="N99999999999")
    assert pupil.school == north.school
    assert pupil.eal


def test_a_posted_school_or_other_schools_tutor_group_is_not_accepted(client, north, south):
    client.force_login(north.admin)
    response = client.get(url("pupil_add"))
    data = new_pupil_data(response, north, school=str(south.school.pk))
    client.post(url("pupil_add"), data)
    assert Pupil.objects.get(upn="N99999999999").school == north.school

    data = new_pupil_data(
        response,
        north,
        upn="N88888888888",
        admission_number="N888",
        tutor_group=south.tutor_group.pk,
    )
    response = client.post(url("pupil_add"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in str(response.context["adminform"].form.errors["tutor_group"])
    assert not Pupil.objects.filter(upn="N88888888888").exists()


def test_autocomplete_offers_only_own_school_pupils(client, north, south):
    client.force_login(north.admin)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "school", "model_name": "guardianlink", "field_name": "pupil", "term": "Pat"},
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Pat Northcott"]


def test_autocomplete_offers_only_own_school_logins(client, north, south):
    client.force_login(north.admin)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "school",
            "model_name": "roleassignment",
            "field_name": "user",
            "term": "Tom",
        },
    )
    assert [result["text"] for result in response.json()["results"]] == ["Tom Norther"]


def test_teaching_group_form_offers_only_own_school_teachers_pupils_and_subjects(
    client, north, south
):
    client.force_login(north.admin)
    form = client.get(url("teachinggroup_add")).context["adminform"].form
    assert north.teacher in form.fields["teachers"].queryset
    assert south.teacher not in form.fields["teachers"].queryset
    assert set(form.fields["pupils"].queryset) == {north.pupil}
    assert set(form.fields["subject"].queryset) == {north.subject}
    assert set(form.fields["academic_year"].queryset) == {north.year}


def test_adding_a_form_tutor_on_the_tutor_group_page_sets_school_and_role(client, north, south):
    client.force_login(north.admin)
    response = client.get(url("tutorgroup_change", north.tutor_group.pk))
    assert response.status_code == 200
    data = form_data(response)
    data["role_assignments-0-user"] = str(north.teacher.pk)
    response = client.post(url("tutorgroup_change", north.tutor_group.pk), data)
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=north.teacher, role=Role.FORM_TUTOR)
    assert assignment.tutor_group == north.tutor_group
    assert assignment.school == north.school


def test_a_form_tutor_from_another_school_is_refused(client, north, south):
    client.force_login(north.admin)
    response = client.get(url("tutorgroup_change", north.tutor_group.pk))
    data = form_data(response)
    data["role_assignments-0-user"] = str(south.teacher.pk)
    response = client.post(url("tutorgroup_change", north.tutor_group.pk), data)
    assert response.status_code == 200
    assert not RoleAssignment.objects.filter(role=Role.FORM_TUTOR).exists()


def test_school_admin_gives_a_role_on_the_persons_page(client, north, south):
    client.force_login(north.admin)
    response = client.get(url("user_change", north.teacher.pk))
    inline_form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert set(inline_form.fields["year_group"].queryset) == {north.y7, north.y8}
    data = form_data(response)
    data.update({"role_assignments-1-role": Role.HEAD_OF_YEAR})
    data["role_assignments-1-year_group"] = str(south.y7.pk)
    response = client.post(url("user_change", north.teacher.pk), data)
    assert response.status_code == 200
    data["role_assignments-1-year_group"] = str(north.y8.pk)
    response = client.post(url("user_change", north.teacher.pk), data)
    assert response.status_code == 302
    role = RoleAssignment.objects.get(user=north.teacher, role=Role.HEAD_OF_YEAR)
    assert role.school == north.school and role.year_group == north.y8


def test_a_subject_leader_is_added_on_the_subject_page(client, north):
    client.force_login(north.admin)
    response = client.get(url("subject_change", north.subject.pk))
    data = form_data(response)
    data["roleassignment_set-0-user"] = str(north.teacher.pk)
    assert client.post(url("subject_change", north.subject.pk), data).status_code == 302
    role = RoleAssignment.objects.get(role=Role.SUBJECT_LEADER)
    assert (role.user, role.subject, role.school) == (north.teacher, north.subject, north.school)


def test_a_guardian_cannot_be_linked_to_another_schools_pupil(client, north, south):
    client.force_login(north.admin)
    response = client.get(url("guardian_change", north.guardian.pk))
    data = form_data(response)
    data.update({"links-1-pupil": str(south.pupil.pk), "links-1-relationship": "carer"})
    response = client.post(url("guardian_change", north.guardian.pk), data)
    assert response.status_code == 200
    assert not GuardianLink.objects.filter(pupil=south.pupil, guardian=north.guardian).exists()


def test_superuser_choices_name_the_school_and_follow_the_parent_record(
    client, north, south, superuser
):
    client.force_login(superuser)
    page = text(client.get(url("pupil_add")))
    assert "7No (North Academy)" in page and "7So (South Academy)" in page

    response = client.get(url("user_change", south.teacher.pk))
    inline_form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert set(inline_form.fields["tutor_group"].queryset) == {
        south.tutor_group,
        south.y8_tutor_group,
    }


def test_superuser_giving_a_role_to_someone_without_a_school_is_a_form_error(
    client, north, superuser
):
    client.force_login(superuser)
    response = client.get(url("user_change", north.parent_login.pk))
    data = form_data(response)
    data["role_assignments-0-role"] = Role.TEACHER
    response = client.post(url("user_change", north.parent_login.pk), data)
    assert response.status_code == 200
    assert "Give this person a school before giving them a role." in text(response)
    assert not RoleAssignment.objects.filter(user=north.parent_login).exists()


def test_adding_a_user_sets_the_admins_school(client, north):
    client.force_login(north.admin)
    response = client.get(url("user_add"))
    form = response.context["adminform"].form
    assert set(form.fields) >= {"email", "password1", "password2"}
    assert not {"school", "is_staff", "is_superuser", "username"} & set(form.fields)
    response = client.post(
        url("user_add"),
        {
            "email": "New.Teacher@North.example",
            "first_name": "Nina",
            "last_name": "New",
            "usable_password": "true",
            "password1": "a-long-enough-password-1",
            "password2": "a-long-enough-password-1",
            "school": "",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.teacher@north.example")
    assert user.school == north.school
    assert not user.is_superuser and not user.is_staff


def test_an_email_differing_only_in_case_is_a_form_error(client, north):
    client.force_login(north.admin)
    response = client.post(
        url("user_add"),
        {
            "email": "TEACHER@north.example",
            "usable_password": "false",
        },
    )
    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors


# Users


def test_school_admin_cannot_make_anyone_superuser_or_staff(client, north):
    client.force_login(north.admin)
    response = client.get(url("user_change", north.teacher.pk))
    assert response.status_code == 200
    form = response.context["adminform"].form
    for field in ("is_superuser", "is_staff", "groups", "user_permissions", "school"):
        assert field not in form.fields
    assert 'name="is_superuser"' not in text(response)

    data = form_data(response)
    data.update(is_superuser="on", is_staff="on", first_name="Thomas")
    response = client.post(url("user_change", north.teacher.pk), data)
    assert response.status_code == 302
    north.teacher.refresh_from_db()
    assert north.teacher.first_name == "Thomas"
    assert not north.teacher.is_superuser and not north.teacher.is_staff
    assert north.teacher.school == north.school


def test_user_list_holds_own_school_and_its_parent_logins_only(client, north, south, superuser):
    superuser.school = north.school
    superuser.save()
    client.force_login(north.admin)
    response = client.get(url("user_changelist"))
    emails = {user.email for user in response.context["cl"].result_list}
    assert emails == {"admin@north.example", "teacher@north.example", "parent@north.example"}
    response = client.get(url("user_change", superuser.pk), follow=True)
    assert response.redirect_chain[0] == (reverse("admin:index"), 302)
    response = client.get(url("user_change", south.parent_login.pk), follow=True)
    assert response.redirect_chain[0] == (reverse("admin:index"), 302)


def test_school_admin_may_reset_a_teachers_password_but_not_another_admins(client, north):
    other_admin = User.objects.create_user(
        email="admin2@north.example", school=north.school, is_staff=True
    )
    client.force_login(north.admin)
    password_url = "admin:auth_user_password_change"
    assert client.get(reverse(password_url, args=[north.teacher.pk])).status_code == 200
    assert client.get(reverse(password_url, args=[other_admin.pk])).status_code == 403
    assert client.post(url("user_delete", other_admin.pk), {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=other_admin.pk).exists()
    response = client.get(url("user_change", other_admin.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    (roles,) = response.context["inline_admin_formsets"]
    assert not roles.has_add_permission and not roles.has_change_permission
    assert client.post(url("user_change", other_admin.pk), {}).status_code == 403
    own_page = client.get(url("user_change", north.admin.pk))
    assert own_page.context["has_change_permission"]


def test_a_parent_login_may_be_edited_but_not_deleted(client, north):
    client.force_login(north.admin)
    assert client.get(url("user_change", north.parent_login.pk)).status_code == 200
    assert client.get(url("user_delete", north.parent_login.pk)).status_code == 403


# Who gets in


def test_staff_without_the_role_gets_403_and_sees_no_school_models(client, north, roleless_staff):
    client.force_login(roleless_staff)
    assert client.get(url("pupil_changelist")).status_code == 403
    assert client.get(url("pupil_change", north.pupil.pk)).status_code == 403
    assert client.get(url("pupil_add")).status_code == 403
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "school" not in {app["app_label"] for app in response.context["app_list"]}


def test_school_admin_without_is_staff_is_sent_to_the_admin_login(client, north):
    north.admin.is_staff = False
    north.admin.save()
    client.force_login(north.admin)
    response = client.get(url("pupil_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_school_admin_sees_every_school_model_in_the_index(client, north):
    client.force_login(north.admin)
    response = client.get(reverse("admin:index"))
    (app,) = [app for app in response.context["app_list"] if app["app_label"] == "school"]
    assert {model["object_name"] for model in app["models"]} == {
        "School",
        "AcademicYear",
        "NonSchoolDay",
        "YearGroup",
        "House",
        "TutorGroup",
        "Subject",
        "TeachingGroup",
        "User",
        "RoleAssignment",
        "Pupil",
        "Guardian",
    }


def test_school_admin_changes_only_their_own_school_and_cannot_add_or_delete_one(
    client, north, south
):
    client.force_login(north.admin)
    response = client.get(url("school_changelist"))
    assert changelist_names(response) == {"North Academy"}
    assert client.get(url("school_add")).status_code == 403
    assert client.get(url("school_delete", north.school.pk)).status_code == 403
    response = client.get(url("school_change", south.school.pk), follow=True)
    assert response.redirect_chain[0] == (reverse("admin:index"), 302)

    response = client.get(url("school_change", north.school.pk))
    data = form_data(response)
    data["name"] = "North Academy Trust School"
    assert client.post(url("school_change", north.school.pk), data).status_code == 302
    north.school.refresh_from_db()
    assert north.school.name == "North Academy Trust School"
    assert north.school.slug == "north"


def test_school_admin_deletes_own_rows_but_not_another_schools(client, north, south):
    own = NonSchoolDay.objects.create(
        school=north.school, date=date(2026, 10, 16), kind=NonSchoolDay.Kind.INSET
    )
    theirs = NonSchoolDay.objects.create(
        school=south.school, date=date(2026, 10, 16), kind=NonSchoolDay.Kind.INSET
    )
    client.force_login(north.admin)
    assert client.post(url("nonschoolday_delete", own.pk), {"post": "yes"}).status_code == 302
    client.post(url("nonschoolday_delete", theirs.pk), {"post": "yes"})
    assert not NonSchoolDay.objects.filter(pk=own.pk).exists()
    assert NonSchoolDay.objects.filter(pk=theirs.pk).exists()


ADD_PAGES = [
    "academicyear",
    "nonschoolday",
    "yeargroup",
    "house",
    "tutorgroup",
    "subject",
    "teachinggroup",
    "user",
    "roleassignment",
    "pupil",
    "guardian",
]


@pytest.mark.parametrize("name", ADD_PAGES)
def test_school_admin_opens_each_add_page(client, north, name):
    client.force_login(north.admin)
    response = client.get(url(f"{name}_add"))
    assert response.status_code == 200
    assert "school" not in response.context["adminform"].form.fields


@pytest.mark.parametrize(
    "name, attribute",
    [
        ("academicyear", "year"),
        ("nonschoolday", "inset_day"),
        ("yeargroup", "y7"),
        ("house", "house"),
        ("tutorgroup", "tutor_group"),
        ("subject", "subject"),
        ("teachinggroup", "teaching_group"),
        ("user", "teacher"),
        ("roleassignment", "teacher_role"),
        ("pupil", "pupil"),
        ("guardian", "guardian"),
    ],
)
def test_school_admin_opens_and_resaves_each_change_page(client, north, south, name, attribute):
    obj = getattr(north, attribute)
    client.force_login(north.admin)
    response = client.get(url(f"{name}_change", obj.pk))
    assert response.status_code == 200
    response = client.post(url(f"{name}_change", obj.pk), form_data(response))
    assert response.status_code == 302, response.context["adminform"].form.errors
    other = getattr(south, attribute)
    response = client.get(url(f"{name}_change", other.pk))
    assert response.status_code == 302


# Validation shows as form errors


def test_a_duplicate_upn_is_a_form_error_not_a_crash(client, north):
    client.force_login(north.admin)
    response = client.get(url("pupil_add"))
    data = new_pupil_data(response, north, upn=north.pupil.upn)
    response = client.post(url("pupil_add"), data)
    assert response.status_code == 200
    assert "already exists" in str(response.context["adminform"].form.errors)


def test_the_same_upn_at_another_school_is_fine(client, north, south):
    client.force_login(north.admin)
    response = client.get(url("pupil_add"))
    response = client.post(url("pupil_add"), new_pupil_data(response, north, upn=south.pupil.upn))
    assert response.status_code == 302


def test_a_tutor_group_of_another_year_is_a_form_error(client, north):
    client.force_login(north.admin)
    response = client.get(url("pupil_add"))
    data = new_pupil_data(response, north, tutor_group=str(north.y8_tutor_group.pk))
    response = client.post(url("pupil_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "This tutor group belongs to another year group." in errors["tutor_group"]


def test_a_role_without_its_scope_is_a_form_error(client, north):
    client.force_login(north.admin)
    response = client.post(
        url("roleassignment_add"), {"user": north.teacher.pk, "role": Role.HEAD_OF_YEAR}
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Choose the year group this role covers." in errors["year_group"]


def test_a_role_for_a_pupils_login_is_a_form_error(client, north):
    north.pupil.user = User.objects.create_user(email="pat@north.example", school=north.school)
    north.pupil.save()
    client.force_login(north.admin)
    response = client.post(
        url("roleassignment_add"), {"user": north.pupil.user.pk, "role": Role.TEACHER}
    )
    assert response.status_code == 200
    assert "user" in response.context["adminform"].form.errors


def test_a_duplicate_role_is_a_form_error(client, north):
    client.force_login(north.admin)
    response = client.post(
        url("roleassignment_add"), {"user": north.teacher.pk, "role": Role.TEACHER}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors


def test_listing_a_form_tutor_twice_is_a_form_error(client, north):
    client.force_login(north.admin)
    response = client.get(url("tutorgroup_change", north.tutor_group.pk))
    data = form_data(response)
    data.update(
        {
            "role_assignments-TOTAL_FORMS": "2",
            "role_assignments-0-user": str(north.teacher.pk),
            "role_assignments-1-user": str(north.teacher.pk),
        }
    )
    response = client.post(url("tutorgroup_change", north.tutor_group.pk), data)
    assert response.status_code == 200
    assert "listed twice" in text(response)


def test_a_guardian_choosing_text_messages_needs_a_mobile(client, north):
    client.force_login(north.admin)
    response = client.get(url("guardian_change", north.guardian.pk))
    data = form_data(response)
    data.update(notification_channel="sms", mobile="")
    response = client.post(url("guardian_change", north.guardian.pk), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "A mobile number is needed for text messages." in errors["mobile"]


def test_half_terms_outside_their_year_are_form_errors(client, north):
    client.force_login(north.admin)
    response = client.get(url("academicyear_change", north.year.pk))
    data = form_data(response)
    data.update(
        {
            "half_terms-0-name": "autumn_1",
            "half_terms-0-start_date": "2026-08-01",
            "half_terms-0-end_date": "2026-10-23",
        }
    )
    response = client.post(url("academicyear_change", north.year.pk), data)
    assert response.status_code == 200
    assert "must lie within its academic year" in text(response)


def test_a_new_year_with_its_half_terms_saves_in_one_go(client, north):
    client.force_login(north.admin)
    response = client.get(url("academicyear_add"))
    data = form_data(response)
    data.update(
        {
            "name": "2027/28",
            "start_date": "2027-09-01",
            "end_date": "2028-07-20",
            "half_terms-0-name": "autumn_1",
            "half_terms-0-start_date": "2027-09-02",
            "half_terms-0-end_date": "2027-10-22",
        }
    )
    response = client.post(url("academicyear_add"), data)
    assert response.status_code == 302
    year = AcademicYear.objects.get(name="2027/28")
    assert year.school == north.school
    (half_term,) = year.half_terms.all()
    assert half_term.school == north.school


def test_superuser_cannot_mix_schools_in_one_pupil(client, north, south, superuser):
    client.force_login(superuser)
    response = client.get(url("pupil_add"))
    assert "school" in response.context["adminform"].form.fields
    data = new_pupil_data(response, north, school=str(south.school.pk))
    response = client.post(url("pupil_add"), data)
    assert response.status_code == 200
    assert "Not at this school" in str(response.context["adminform"].form.errors)


# Query budgets: a changelist costs the same however many rows it shows.

CHANGELISTS = [
    "pupil",
    "guardian",
    "teachinggroup",
    "user",
    "roleassignment",
    "tutorgroup",
    "subject",
    "academicyear",
]


def changelist_queries(client, name) -> tuple[int, int]:
    client.get(url(f"{name}_changelist"))  # warm caches (content types, sites)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(f"{name}_changelist"))
    assert response.status_code == 200
    return len(queries), response.context["cl"].result_count


@pytest.mark.parametrize("name", CHANGELISTS)
@pytest.mark.parametrize("who", ["school_admin", "superuser"])
def test_changelist_query_count_does_not_grow_with_rows(client, north, superuser, name, who):
    client.force_login(north.admin if who == "school_admin" else superuser)
    # Session, user, the admin's roles, Django's permission rows (for the auth app's Group
    # admin on the sidebar), then the page: filtered and full counts, the rows, one query
    # per related-only filter (year, tutor group, house...) and one per prefetched list
    # (tutors, subject leaders, teachers, children, roles).
    few_queries, few_rows = changelist_queries(client, name)
    add_rows(north, 20)
    many_queries, many_rows = changelist_queries(client, name)
    assert many_rows >= few_rows + 20
    assert many_queries == few_queries
    assert many_queries <= 12


# Logins shared across the schools of a trust


@pytest.fixture
def shared(north, south):
    """Gwen's login is the parent login of North's guardian record and, since she linked
    a second child, of a guardian record at South too; North's teacher Tom is also a
    parent at South."""
    south.guardian.user = north.parent_login
    south.guardian.save()
    Guardian.objects.create(
        school=south.school, user=north.teacher, first_name="Tom", email=north.teacher.email
    )
    return SimpleNamespace(parent=north.parent_login, teacher=north.teacher)


PASSWORD_CHANGE = "admin:auth_user_password_change"


def _password_post(user_id):
    return reverse(PASSWORD_CHANGE, args=[user_id]), {
        "usable_password": "true",
        "password1": "taken-over-123!",
        "password2": "taken-over-123!",
    }


@pytest.mark.parametrize("school_of_admin", ["north", "south"])
def test_no_school_admin_manages_a_login_linked_at_another_school(
    client, north, south, shared, school_of_admin
):
    admin_user = {"north": north, "south": south}[school_of_admin].admin
    client.force_login(admin_user)
    emails = {user.email for user in client.get(url("user_changelist")).context["cl"].result_list}
    assert shared.parent.email not in emails and shared.teacher.email not in emails

    for login in (shared.parent, shared.teacher):
        response = client.get(url("user_change", login.pk), follow=True)
        assert response.redirect_chain[0] == (reverse("admin:index"), 302)
        response = client.post(url("user_change", login.pk), {"email": "mine@evil.example"})
        assert response.status_code == 302 and response["Location"] == reverse("admin:index")
        assert client.get(reverse(PASSWORD_CHANGE, args=[login.pk])).status_code == 404
        password_url, data = _password_post(login.pk)
        assert client.post(password_url, data).status_code == 404
        client.post(
            url("user_changelist"),
            {"action": "delete_selected", "_selected_action": [login.pk], "post": "yes"},
        )
        login.refresh_from_db()
        assert not login.check_password("taken-over-123!")
        assert login.email.endswith("@north.example")


def test_the_autocomplete_offers_no_shared_login_for_a_guardian_record(client, north, shared):
    client.force_login(north.admin)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "school", "model_name": "guardian", "field_name": "user", "term": ""},
    )
    assert response.status_code == 200
    # Gwen and Tom are linked at South too; the school's own admin is all that is left.
    assert [result["id"] for result in response.json()["results"]] == [str(north.admin.pk)]


def test_a_shared_login_cannot_be_given_to_another_guardian_record(client, north, shared):
    other = Guardian.objects.create(school=north.school, first_name="Gail", last_name="Northcott")
    client.force_login(north.admin)
    response = client.get(url("guardian_change", other.pk))
    assert shared.parent not in response.context["adminform"].form.fields["user"].queryset
    data = form_data(response)
    data["user"] = str(shared.parent.pk)
    response = client.post(url("guardian_change", other.pk), data)
    assert response.status_code == 200
    other.refresh_from_db()
    assert other.user is None


def test_a_guardian_record_whose_login_is_shared_still_saves_with_it(client, north, shared):
    client.force_login(north.admin)
    response = client.get(url("guardian_change", north.guardian.pk))
    data = form_data(response)
    data["mobile"] = "07700900123"
    response = client.post(url("guardian_change", north.guardian.pk), data)
    assert response.status_code == 302
    north.guardian.refresh_from_db()
    assert (north.guardian.mobile, north.guardian.user) == ("07700900123", shared.parent)


def test_a_teacher_who_is_a_parent_elsewhere_still_takes_a_role_at_their_school(
    client, north, shared
):
    client.force_login(north.admin)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "school",
            "model_name": "roleassignment",
            "field_name": "user",
            "term": "Tom",
        },
    )
    assert [result["text"] for result in response.json()["results"]] == ["Tom Norther"]
    response = client.post(
        url("roleassignment_add"),
        {"user": shared.teacher.pk, "role": Role.SENIOR_LEADER},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=shared.teacher, role=Role.SENIOR_LEADER).exists()


def test_a_superuser_manages_a_shared_login(client, north, shared, superuser):
    client.force_login(superuser)
    assert client.get(url("user_change", shared.parent.pk)).status_code == 200
    password_url, data = _password_post(shared.parent.pk)
    assert client.post(password_url, data).status_code == 302
    shared.parent.refresh_from_db()
    assert shared.parent.check_password("taken-over-123!")


def test_a_login_linked_only_at_the_admins_school_is_still_theirs(client, north, south):
    client.force_login(north.admin)
    for login in (north.parent_login, north.teacher):
        password_url, data = _password_post(login.pk)
        assert client.post(password_url, data).status_code == 302
        login.refresh_from_db()
        assert login.check_password("taken-over-123!")
