"""The Django admin for school setup, who gets in and what they see: a school admin sees
and changes their own school's rows and nothing else (another school's row answers like a
missing one), a staff user without the role manages nothing, a superuser sees every
school, and every changelist has a fixed query budget."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from school.models import NonSchoolDay
from tests.school.admin_cast import add_rows, changelist_names, form_data, text, url

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
