"""The admin's choice lists, autocompletes and saving: a school admin is offered only their
own school's rows and logins, a posted school or another school's row is not accepted,
new rows (pupils, roles on a group's or a person's page, users) take the admin's school,
and a superuser's lists name each row's school."""

from django.urls import reverse

from school.models import GuardianLink, Pupil, RoleAssignment, User
from tests.school.admin_cast import form_data, new_pupil_data, text, url

Role = RoleAssignment.Role


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
