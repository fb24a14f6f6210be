"""The staff file: people matched by staff code then email, added with a login and their
roles, changed field by field, unchanged, leaving (login off, roles here removed; never
the person importing, never a superuser), back again, and every bad row refused."""

import datetime

import pytest

from mis.kinds import FileRejected
from school.models import RoleAssignment, User

from ..factories import AcademicYearFactory, TeachingGroupFactory
from .csv_helpers import apply, changes, csv_text, errors, plan, sample, school_state

pytestmark = pytest.mark.shared_world
Role = RoleAssignment.Role
HEADER = "Forename,Surname,Work Email Address,Staff Code,Roles"


def world_staff(world):
    """The world's staff with the roles they hold (form tutors aside), as file rows."""
    return {
        world.teacher: "Teacher",
        world.other_teacher: "Teacher",
        world.head_of_year: "Head of year 7",
        world.head_of_house: "Head of house Brunel",
        world.subject_leader: "Subject leader Ma",
        world.senior_leader: "Senior leader",
        world.school_admin: "School admin",
        world.lsa: "LSA",
    }


def staff_file(world, *, change=None, leave=(), extra=()):
    """The world's whole staff as a file; `change` maps a user to the cells that differ."""
    lines = [HEADER]
    for user, roles in world_staff(world).items():
        if user in leave:
            continue
        cells = {
            "first": user.first_name,
            "last": user.last_name,
            "email": user.email,
            "code": user.staff_code,
            "roles": roles,
            **(change or {}).get(user, {}),
        }
        lines.append(",".join(cells[k] for k in ("first", "last", "email", "code", "roles")))
    return csv_text(*lines, *extra)


def roles_of(user):
    return sorted(
        (a.role, str(a.scope) if a.scope else "")
        for a in RoleAssignment.objects.filter(user=user).select_related(
            "year_group", "house", "subject", "tutor_group"
        )
    )


def test_the_staff_as_they_are_change_nothing(world):
    result = plan("staff", world.school, staff_file(world), actor=world.school_admin)

    assert result.changes == [] and result.errors == []
    assert result.counts()["unchanged"] == 8


def test_a_new_member_of_staff_gets_a_login_without_a_password_and_their_roles(world):
    content = staff_file(
        world, extra=["Zoë,Brontë,Z.Bronte@Test.School,ZBR,Teacher; Head of year 8"]
    )

    result = apply("staff", world.school, content, actor=world.school_admin)

    assert changes(result)["ZBR"] == {
        "action": "add",
        "label": "Zoë Brontë (ZBR)",
        "fields": {
            "First name": ("", "Zoë"),
            "Last name": ("", "Brontë"),
            "Email": ("", "z.bronte@test.school"),
            "Staff code": ("", "ZBR"),
            "Roles": ("", "Teacher; Head of year 8"),
        },
    }
    zoe = User.objects.get(email="z.bronte@test.school")
    assert (zoe.school, zoe.staff_code, zoe.is_active) == (world.school, "ZBR", True)
    assert not zoe.has_usable_password()
    assert roles_of(zoe) == [("head_of_year", "Year 8"), ("teacher", "")]
    assert not plan("staff", world.school, content, actor=world.school_admin).changes


def test_changes_are_shown_field_by_field_and_matched_by_staff_code_next_time(world):
    teacher = world.teacher
    first = staff_file(
        world,
        change={
            teacher: {"code": "TTE", "last": "Teacher-Smith", "roles": "Teacher; Subject leader En"}
        },
    )

    result = apply("staff", world.school, first, actor=world.school_admin)

    assert changes(result) == {
        "TTE": {
            "action": "change",
            "label": "Tess Teacher-Smith (TTE)",
            "fields": {
                "Last name": ("Teacher", "Teacher-Smith"),
                "Staff code": ("", "TTE"),
                "Roles": ("Teacher", "Teacher; Subject leader En"),
            },
        }
    }
    # Form tutor comes from the tutor groups file: the staff file leaves it alone.
    assert roles_of(teacher) == [
        ("form_tutor", "7A"),
        ("subject_leader", "English"),
        ("teacher", ""),
    ]
    teacher.refresh_from_db()
    moved = staff_file(world, change={teacher: {"email": "tess@test.school"}})
    assert changes(plan("staff", world.school, moved, actor=world.school_admin))["TTE"][
        "fields"
    ] == {
        "Email": ("teacher@test.school", "tess@test.school"),
        "Roles": ("Teacher; Subject leader En", "Teacher"),
    }


def test_staff_missing_from_the_file_leave_but_never_the_importer_or_a_superuser(world):
    root = User.objects.create_superuser("root@test.school", school=world.school)
    content = staff_file(world, leave=[world.lsa, world.school_admin])
    before_other = school_state(world.other_school)

    preview = plan("staff", world.school, content, actor=world.school_admin)
    result = apply("staff", world.school, content, actor=world.school_admin)

    lsa = world.lsa
    assert changes(preview) == changes(result)
    assert changes(result) == {
        "lsa@test.school": {
            "action": "leave",
            "label": f"{lsa.first_name} {lsa.last_name}",
            "fields": {"Login": ("on", "off"), "Roles": ("Learning support assistant", "")},
        }
    }
    lsa.refresh_from_db()
    assert lsa.is_active is False and roles_of(lsa) == []
    world.school_admin.refresh_from_db()
    root.refresh_from_db()
    assert world.school_admin.is_active and root.is_active
    assert roles_of(world.school_admin) == [("school_admin", "")]
    # Pupils' logins are not staff, and the other school is another school.
    assert User.objects.get(email="pupil@test.school").is_active
    assert school_state(world.other_school) == before_other
    assert not plan("staff", world.school, content, actor=world.school_admin).changes


def test_someone_who_left_and_is_in_the_file_again_gets_their_login_back(world):
    apply("staff", world.school, staff_file(world, leave=[world.lsa]), actor=world.school_admin)

    result = apply("staff", world.school, staff_file(world), actor=world.school_admin)

    assert changes(result)["lsa@test.school"]["fields"] == {
        "Login": ("off", "on"),
        "Roles": ("", "Learning support assistant"),
    }
    world.lsa.refresh_from_db()
    assert world.lsa.is_active and roles_of(world.lsa) == [("lsa", "")]


def test_the_importer_keeps_school_admin_whatever_the_file_says(world):
    content = staff_file(world, change={world.school_admin: {"roles": "Teacher"}})

    apply("staff", world.school, content, actor=world.school_admin)

    assert roles_of(world.school_admin) == [("school_admin", ""), ("teacher", "")]


def test_unknown_roles_and_scopes_are_row_errors_and_nothing_is_written(world):
    content = sample("staff_unknown_roles.csv")
    before = school_state(world.school)

    result = plan("staff", world.school, content, actor=world.school_admin)
    with pytest.raises(FileRejected, match="The file has 5 errors, so nothing was imported"):
        apply("staff", world.school, content, actor=world.school_admin)

    assert errors(result) == [
        (2, "Roles", '"Head of department" needs to say which one (e.g. Head of year 9)'),
        (
            3,
            "Roles",
            '"Head of house Tesla": the school has no house called Tesla (import houses first)',
        ),
        (4, "Roles", '"Subject leader Zz": the school has no subject Zz (import subjects first)'),
        (4, "Roles", '"Head of year 14": 14 is not a year group from 7 to 13'),
        (
            5,
            "Roles",
            'Unknown role "Caretaker" (the roles are: Teacher, School admin, Senior leader, '
            "LSA, Head of year 9, Head of house <name>, Subject leader <subject code>)",
        ),
    ]
    assert school_state(world.school) == before


def test_emails_and_codes_used_twice_or_elsewhere_are_refused(world):
    content = csv_text(
        HEADER,
        "Zoë,Brontë,z.bronte@test.school,ZBR,Teacher",
        "Siân,Lloyd,z.bronte@test.school,SLL,Teacher",
        "Kwame,Mensah,k.mensah@test.school,ZBR,Teacher",
        "Pat,Parent,parent@test.school,PPA,Teacher",
        "Otto,Other,head@other.school,OOT,Teacher",
        "Tess,Teacher,other.teacher@test.school,,Teacher",
        ",Nobody,not-an-email,,",
        "New,Person,,NPE,Teacher",
    )
    apply(
        "staff",
        world.school,
        staff_file(world, change={world.teacher: {"code": "TTE"}}),
        actor=world.school_admin,
    )
    before = school_state(world.school)

    result = plan("staff", world.school, content, actor=world.school_admin)
    with pytest.raises(FileRejected):
        apply("staff", world.school, content, actor=world.school_admin)

    elsewhere = "is already used by an account that is not on this school's staff"
    assert errors(result) == [
        (3, "Work Email Address", "The email z.bronte@test.school is used twice (lines 2 and 3)"),
        (4, "Staff Code", "The staff code ZBR is used twice (lines 2 and 4)"),
        (
            5,
            "Work Email Address",
            f"The email parent@test.school {elsewhere} (a parent's, or at another school)",
        ),
        (
            6,
            "Work Email Address",
            f"The email head@other.school {elsewhere} (a parent's, or at another school)",
        ),
        (8, "Forename", "Missing first name"),
        (8, "Work Email Address", "not-an-email is not an email address"),
        (9, "Work Email Address", "Missing email (a new member of staff signs in with it)"),
    ]
    assert school_state(world.school) == before


def test_a_code_and_an_email_of_two_different_people_are_refused(world):
    apply(
        "staff",
        world.school,
        staff_file(world, change={world.teacher: {"code": "TTE"}}),
        actor=world.school_admin,
    )
    content = staff_file(world, change={world.teacher: {"code": "TTE", "email": "lsa@test.school"}})

    result = plan("staff", world.school, content, actor=world.school_admin)

    ((line, column, message),) = [e for e in errors(result) if e[0] == 2]
    assert column == "Work Email Address"
    assert message.startswith(
        "The staff code TTE is Tess Teacher's but the email lsa@test.school is"
    )


def test_a_refused_formula_cell_stops_the_file_and_takes_nobody_as_leaving(world):
    content = sample("staff_formulas.csv")
    before = school_state(world.school)

    result = plan("staff", world.school, content, actor=world.school_admin)
    with pytest.raises(FileRejected, match="never stores formulas"):
        apply("staff", world.school, content, actor=world.school_admin)

    assert [(line, column) for line, column, _ in errors(result)] == [
        (3, "Forename"),
        (4, "Surname"),
        (5, "Staff Code"),
        (6, "Forename"),
        (6, "Roles"),
    ]
    assert {change.action for change in result.changes} == {"add"}
    assert school_state(world.school) == before


def test_the_same_staff_code_at_another_school_is_another_person(world):
    other = world.other_school_teacher
    other.staff_code = "TTE"
    other.save()
    content = staff_file(world, change={world.teacher: {"code": "TTE"}})

    result = apply("staff", world.school, content, actor=world.school_admin)

    assert changes(result)["TTE"]["fields"] == {"Staff code": ("", "TTE")}
    world.teacher.refresh_from_db()
    other.refresh_from_db()
    assert world.teacher.staff_code == other.staff_code == "TTE"
    assert other.email == "teacher@other.school" and other.is_active


def test_a_leaving_teacher_stops_tutoring_and_teaching_this_years_classes_only(world):
    last_year = AcademicYearFactory(
        school=world.school,
        name="2025/26",
        start_date=datetime.date(2025, 9, 1),
        end_date=datetime.date(2026, 8, 31),
    )
    old_class = TeachingGroupFactory(
        school=world.school,
        academic_year=last_year,
        year_group=world.y7,
        subject=world.maths,
        name="7x/Ma1",
        teachers=[world.teacher],
    )
    content = staff_file(world, leave=[world.teacher])

    result = apply("staff", world.school, content, actor=world.school_admin)

    assert changes(result)["teacher@test.school"] == {
        "action": "leave",
        "label": "Tess Teacher",
        "fields": {
            "Login": ("on", "off"),
            "Roles": ("Teacher", ""),
            "Form tutor of": ("7A", ""),
            "Teaches": ("7x/Ma1", ""),
        },
    }
    assert list(world.maths_7.teachers.all()) == []
    assert world.tg_7a.tutors == []
    assert list(old_class.teachers.all()) == [world.teacher]
    assert set(world.maths_7.pupils.all()) == {world.pupil, world.classmate}


def test_a_business_manager_comes_in_as_the_data_protection_lead(world):
    content = staff_file(world, extra=["Bea,Manager,bea@test.school,BMA,Data protection lead"])

    apply("staff", world.school, content, actor=world.school_admin)

    bea = User.objects.get(email="bea@test.school")
    assert roles_of(bea) == [("data_protection_lead", "")]


@pytest.mark.parametrize("cell", ["Trust leader", "Teacher; trust  LEADER", "Trust lead"])
def test_a_row_naming_trust_leader_is_refused_and_nothing_is_written(world, cell):
    """Only a superuser gives the trust leader role: it opens the trust's other schools'
    figures (reports/, the trust view)."""
    content = staff_file(
        world,
        change={world.teacher: {"roles": cell}},
        extra=[f"Tia,Trust,tia@test.school,TTR,{cell}"],
    )
    before = school_state(world.school)

    result = plan("staff", world.school, content, actor=world.school_admin)
    with pytest.raises(FileRejected, match="The file has 2 errors, so nothing was imported"):
        apply("staff", world.school, content, actor=world.school_admin)

    part = " ".join(cell.split(";")[-1].split())
    message = (
        f'"{part}" cannot be given by the staff file: it opens the figures of the trust\'s '
        "other schools, so only the service's support (a superuser) gives it"
    )
    assert errors(result) == [(2, "Roles", message), (10, "Roles", message)]
    assert school_state(world.school) == before
    assert not RoleAssignment.objects.filter(role=Role.TRUST_LEADER).exists()


def test_a_trust_leader_a_superuser_gave_is_kept_whatever_the_file_says(world):
    """The file neither shows nor removes the role, and a trust leader missing from the
    school's staff list (they often work for the trust) does not leave."""
    RoleAssignment.objects.create(school=world.school, user=world.teacher, role=Role.TRUST_LEADER)
    trust_only = User.objects.create_user("ceo@trust.example", school=world.school)
    RoleAssignment.objects.create(school=world.school, user=trust_only, role=Role.TRUST_LEADER)
    content = staff_file(world, change={world.teacher: {"roles": "Teacher; Senior leader"}})

    result = apply("staff", world.school, content, actor=world.school_admin)

    assert changes(result)[world.teacher.staff_code or world.teacher.email]["fields"] == {
        "Roles": ("Teacher", "Teacher; Senior leader")
    }
    assert roles_of(world.teacher) == [
        ("form_tutor", "7A"),
        ("senior_leader", ""),
        ("teacher", ""),
        ("trust_leader", ""),
    ]
    trust_only.refresh_from_db()
    assert trust_only.is_active and roles_of(trust_only) == [("trust_leader", "")]
