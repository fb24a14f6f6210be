"""Logins in the admin: a school admin cannot hand out admin access or manage another
admin's account, manages their school's people and its parent logins, and never a login
linked at another school of the trust (a guardian, pupil or staff member there), which
only a superuser manages."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from school.models import Guardian, RoleAssignment, User
from tests.school.admin_cast import form_data, text, url

Role = RoleAssignment.Role


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
