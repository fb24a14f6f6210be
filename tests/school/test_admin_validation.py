"""The models' validation shows in the admin as form errors, never a crash: duplicate
UPNs and roles, a tutor group of another year, a role without its scope or for a
pupil's login, a guardian's channel without its contact, half-terms outside their year,
and a superuser mixing schools in one row."""

from school.models import AcademicYear, RoleAssignment, User
from tests.school.admin_cast import form_data, new_pupil_data, text, url

Role = RoleAssignment.Role


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
