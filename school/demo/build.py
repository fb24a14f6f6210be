"""Building and deleting the demo schools: each school's rows written in bulk from the
plans of the other modules, then each registered extension's rows."""

import io
import multiprocessing
import os
import random

from django.contrib.auth.hashers import make_password
from django.db import connection, connections, transaction
from django.db.models import Q
from django.utils import timezone

from ..models import (
    Guardian,
    Pupil,
    RoleAssignment,
    School,
    TeachingGroup,
    Trust,
    TutorGroup,
    User,
)
from . import (
    DEMO_DOMAIN,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DEMO_SLUG,
    DEMO_TRUST_SLUG,
    demo_extensions,
)
from .calendar import calendar_create
from .guardians import guardians_create
from .names import SCHOOL_NAMES, ascii_letters
from .pupils import admission_numbers, families_make, flags_assign, houses_assign, upns_draw
from .rows import rows_insert
from .shape import DEFAULT_PUPILS, DEFAULT_SEED, HOUSES, MAX_PUPILS, MAX_SCHOOLS, MIN_PUPILS
from .staff import staff_plan
from .structure import forms_plan, structure_create, teaching_groups_plan


class DemoDataError(Exception):
    """The demo data cannot be built as asked; the message says why."""


def demo_schools():
    """The schools this command builds: slug "demo" and the trust's "demo-2", "demo-3"..."""
    return School.objects.filter(Q(slug=DEMO_SLUG) | Q(slug__regex=r"^demo-[0-9]+$"))


def demo_school_delete(*, stdout=None) -> int:
    """Delete the demo schools, everyone at them and the demo parent; returns how many
    schools went. PROTECT foreign keys decide the order."""
    schools = list(demo_schools())
    school_ids = [school.pk for school in schools]
    in_demo = Q(school_id__in=school_ids)
    if schools:
        for extension in reversed(demo_extensions()):
            extension.delete(schools=schools)
    parent_users = (
        User.objects.filter(school__isnull=True)
        .filter(
            Q(guardian_records__school_id__in=school_ids)
            | Q(email__in=DEMO_LOGINS.values())
            | Q(email__endswith=f".{DEMO_DOMAIN}")
            | Q(email__endswith=f"@{DEMO_DOMAIN}")
        )
        .exclude(pk__in=Guardian.objects.exclude(in_demo).filter(user__isnull=False).values("user"))
    )
    parent_ids = list(parent_users.values_list("pk", flat=True).distinct())
    Guardian.objects.filter(in_demo).delete()
    Pupil.objects.filter(in_demo).delete()
    TeachingGroup.objects.filter(in_demo).delete()
    RoleAssignment.objects.filter(in_demo).delete()
    TutorGroup.objects.filter(in_demo).delete()
    User.objects.filter(Q(school_id__in=school_ids) | Q(pk__in=parent_ids)).delete()
    School.objects.filter(pk__in=school_ids).delete()
    Trust.objects.filter(slug=DEMO_TRUST_SLUG).delete()
    if stdout is not None and schools:
        names = ", ".join(school.name for school in schools)
        stdout.write(f"Deleted the demo data: {names}.\n")
    return len(schools)


# Building -----------------------------------------------------------------------------


# A made-up term in one transaction: it holds many events, each of which keeps its own
# messages to parents (notifications/services.py merges only what one event says).
def _made_up_term():
    block = transaction.atomic()
    block.holds_many_events = True
    return block


def demo_school_build(
    *, pupils=DEFAULT_PUPILS, schools=1, seed=DEFAULT_SEED, reset=False, stdout, jobs=None
):
    """Build the demo school (and K-1 more schools of its trust).

    Returns False and changes nothing if the demo school is already there and `reset` is
    not set; with `reset`, deletes the old demo data first.

    One school, SQLite, or a call inside a transaction: everything in one transaction, as
    one school at a time. A trust on PostgreSQL: the schools are built side by side in
    `jobs` processes (default: one per CPU), each school in its own transaction, and a
    failure deletes whatever was built. The same seed builds the same rows either way."""
    if not MIN_PUPILS <= pupils <= MAX_PUPILS:
        raise DemoDataError(
            f"--pupils must be between {MIN_PUPILS} and {MAX_PUPILS} (got {pupils})."
        )
    if not 1 <= schools <= MAX_SCHOOLS:
        raise DemoDataError(f"--schools must be between 1 and {MAX_SCHOOLS} (got {schools}).")
    side_by_side = (
        schools > 1
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and (jobs is None or jobs > 1)
    )
    if not side_by_side:
        with _made_up_term():
            return _trust_build(pupils, schools, seed, reset, stdout, jobs=1)
    return _trust_build(pupils, schools, seed, reset, stdout, jobs=jobs or os.cpu_count() or 2)


def _trust_build(pupils, schools, seed, reset, stdout, *, jobs):
    with transaction.atomic():
        if reset:
            demo_school_delete(stdout=stdout)
        elif demo_schools().exists():
            stdout.write("Demo school already present; use --reset to rebuild.\n")
            return False
        clash = User.objects.filter(
            Q(email__endswith=f"@{DEMO_DOMAIN}") | Q(email__endswith=f".{DEMO_DOMAIN}")
        ).first()
        if clash is not None:
            raise DemoDataError(
                f"A user with a demo address already exists ({clash.email}); "
                "delete it or run with --reset."
            )
        trust, _ = Trust.objects.get_or_create(
            slug=DEMO_TRUST_SLUG, defaults={"name": "Demo Trust"}
        )

    rng = random.Random(seed)
    school_seeds = [rng.getrandbits(64) for _ in range(schools)]
    common = {
        "pupils": pupils,
        "seed": seed,
        "password": make_password(DEMO_PASSWORD),
        "today": timezone.localdate(),
        "trust_id": trust.pk,
    }
    plans = [dict(common, index=index, school_seed=school_seeds[index]) for index in range(schools)]
    summaries = []
    if jobs == 1:
        for plan in plans:
            summaries.append(_school_and_extensions_build(plan, stdout))
    else:
        # Each process opens its own connection: none may be inherited open.
        connections.close_all()
        try:
            with multiprocessing.get_context("fork").Pool(min(jobs, schools)) as pool:
                for summary, written in pool.imap(_school_job, plans):
                    stdout.write(written)
                    summaries.append(summary)
        except BaseException:
            with transaction.atomic():
                demo_school_delete()
            raise

    for summary in summaries:
        stdout.write(
            f"{summary['school']} ({summary['slug']}): {summary['pupils']} pupils in "
            f"{summary['tutor_groups']} tutor groups, {summary['teaching_groups']} teaching "
            f"groups ({summary['enrolments']} enrolments), {summary['staff']} staff, "
            f"{summary['guardians']} guardians.\n"
        )
    stdout.write(f"Demo logins (password {DEMO_PASSWORD}):\n")
    for line in summaries[0]["logins"]:
        stdout.write(f"  {line}\n")
    return True


def _school_job(plan) -> tuple[dict, str]:
    """One school of the trust in a process of its own, in its own transaction; returns
    its summary and what it wrote."""
    written = io.StringIO()
    try:
        with _made_up_term():
            summary = _school_and_extensions_build(plan, written)
    finally:
        connections.close_all()
    summary.pop("school_row")
    return summary, written.getvalue()


def _school_and_extensions_build(plan, stdout) -> dict:
    index, seed = plan["index"], plan["seed"]
    summary = _school_build(
        rng=random.Random(plan["school_seed"]),
        index=index,
        pupils=plan["pupils"],
        password=plan["password"],
        trust=Trust.objects.get(pk=plan["trust_id"]),
    )
    for extension in demo_extensions():
        # Each extension draws from its own generator, so adding one never changes
        # the school (or another extension's rows) built from the same seed.
        extension.build(
            school=summary["school_row"],
            rng=random.Random(f"{seed}:{index}:{extension.name}"),
            today=plan["today"],
            stdout=stdout,
        )
    return summary


def _school_build(*, rng, index, pupils, password, trust):
    demo = index == 0
    slug = DEMO_SLUG if demo else f"{DEMO_SLUG}-{index + 1}"
    name = SCHOOL_NAMES[index] if index < len(SCHOOL_NAMES) else f"Trust Academy {index + 1}"
    domain = DEMO_DOMAIN if demo else f"{slug}.{DEMO_DOMAIN}"
    town = name.split()[0]

    school = School.objects.create(name=name, slug=slug, time_zone="Europe/London", trust=trust)
    year = calendar_create(school)
    years, houses, subjects = structure_create(school)

    families, children = families_make(rng, pupils, demo)
    flags_assign(rng, families, children)
    houses_assign(rng, families)
    forms = forms_plan(rng, children, demo)
    groups = teaching_groups_plan(rng, children)
    staff = staff_plan(rng, groups, forms, demo)

    # Users: staff first (numbered per kind), then pupils.
    numbers = {}
    for member in staff:
        if member.persona:
            member.email = DEMO_LOGINS[member.persona]
        else:
            numbers[member.kind] = numbers.get(member.kind, 0) + 1
            member.email = f"{member.kind}{numbers[member.kind]}@{domain}"
        member.user = User(
            email=member.email,
            first_name=member.first_name,
            last_name=member.last_name,
            school=school,
            password=password,
            is_staff=member.persona == "admin",
        )
    admission = admission_numbers(children)
    upns = upns_draw(rng, len(children))
    pupil_users = []
    for child, number in zip(children, admission, strict=True):
        email = (
            DEMO_LOGINS["pupil"]
            if child.persona == "pupil"
            else f"{ascii_letters(child.first_name)[:1]}.{ascii_letters(child.last_name)}.{number}"
            f"@pupils.{domain}"
        )
        pupil_users.append(
            User(
                email=email,
                first_name=child.first_name,
                last_name=child.last_name,
                school=school,
                password=password,
            )
        )
    User.objects.bulk_create([member.user for member in staff] + pupil_users, batch_size=500)

    tutor_groups = TutorGroup.objects.bulk_create(
        [
            TutorGroup(school=school, name=form_name, year_group=years[form_year], room=room)
            for form_name, form_year, room in forms
        ]
    )
    pupil_rows = []
    for child, user, number, upn in zip(children, pupil_users, admission, upns, strict=True):
        child.pupil = Pupil(
            school=school,
            user=user,
            first_name=child.first_name,
            last_name=child.last_name,
            upn=upn,
            admission_number=number,
            date_of_birth=child.date_of_birth,
            year_group=years[child.year],
            tutor_group=tutor_groups[child.form],
            house=houses[child.family.house],
            pupil_premium=child.family.pp,
            free_school_meals=child.family.fsm,
            sen=child.sen,
            eal=child.family.eal,
            young_carer=child.young_carer,
            looked_after=child.family.looked_after,
            travel_note=child.travel_note,
        )
        pupil_rows.append(child.pupil)
    Pupil.objects.bulk_create(pupil_rows, batch_size=500)

    teaching_groups = TeachingGroup.objects.bulk_create(
        [
            TeachingGroup(
                school=school,
                name=group.name,
                academic_year=year,
                subject=subjects[group.code],
                year_group=years[group.year],
            )
            for group in groups
        ]
    )
    TeachingGroup.teachers.through.objects.bulk_create(
        [
            TeachingGroup.teachers.through(teachinggroup_id=row.pk, user_id=group.teacher.user.pk)
            for row, group in zip(teaching_groups, groups, strict=True)
        ],
        batch_size=1000,
    )
    enrolments = [
        (row.pk, child.pupil.pk)
        for row, group in zip(teaching_groups, groups, strict=True)
        for child in group.members
    ]
    rows_insert(TeachingGroup.pupils.through, ["teachinggroup_id", "pupil_id"], enrolments)

    scopes = {
        "subject": subjects,
        "year_group": years,
        "house": houses,
        "tutor_group": dict(enumerate(tutor_groups)),
    }
    assignments = []
    for member in staff:
        for role, scope_kind, scope_key in member.roles:
            scope = {scope_kind: scopes[scope_kind][scope_key]} if scope_kind else {}
            assignments.append(RoleAssignment(school=school, user=member.user, role=role, **scope))
    RoleAssignment.objects.bulk_create(assignments, batch_size=1000)

    guardian_count, parent = guardians_create(rng, school, families, town, password, demo)

    logins = []
    if demo:
        readers = _report_readers_create(school, password)
        by_persona = {member.persona: member for member in staff if member.persona}
        pupil = next(child for child in children if child.persona == "pupil")
        sibling = next(child for child in children if child.persona == "sibling")
        teacher = by_persona["teacher"]
        maths = ", ".join(group.name for group in teacher.groups)
        house = HOUSES[pupil.family.house]
        logins = [
            f"{DEMO_LOGINS['admin']}: {_full(by_persona['admin'])}, school admin and senior "
            "leader (can open /admin/)",
            f"{DEMO_LOGINS['teacher']}: {_full(teacher)}, teaches {maths}; form tutor of "
            f"{forms[pupil.form][0]}",
            f"{DEMO_LOGINS['headofyear']}: {_full(by_persona['headofyear'])}, head of Year 7",
            f"{DEMO_LOGINS['headofhouse']}: {_full(by_persona['headofhouse'])}, head of "
            f"{house} house",
            f"{DEMO_LOGINS['parent']}: {parent.first_name} {parent.last_name}, parent of "
            f"{pupil.first_name} (Year 7) and {sibling.first_name} (Year 10)",
            f"{DEMO_LOGINS['pupil']}: {pupil.first_name} {pupil.last_name}, Year 7, "
            f"{forms[pupil.form][0]}, {house}",
            f"{DEMO_LOGINS['governor']}: {_full(readers['governor'])}, governor (reads the "
            "half-term report only)",
            f"{DEMO_LOGINS['trust']}: {_full(readers['trust'])}, leader of the Demo Trust "
            "(reads the reports and the trust report only)",
        ]
    return {
        "school_row": school,
        "school": name,
        "slug": slug,
        "pupils": len(children),
        "tutor_groups": len(forms),
        "teaching_groups": len(groups),
        "enrolments": len(enrolments),
        "staff": len(staff),
        "guardians": guardian_count,
        "logins": logins,
    }


def _report_readers_create(school, password) -> dict:
    """The demo school's governor and a trust leader: they read the reports only."""
    readers = {}
    for persona, role, first, last in [
        ("governor", RoleAssignment.Role.GOVERNOR, "Margaret", "Lewis"),
        ("trust", RoleAssignment.Role.TRUST_LEADER, "Tom", "Hargreaves"),
    ]:
        user = User.objects.create(
            email=DEMO_LOGINS[persona],
            first_name=first,
            last_name=last,
            school=school,
            password=password,
        )
        RoleAssignment.objects.create(school=school, user=user, role=role)
        readers[persona] = user
    return readers


def _full(member):
    return f"{member.first_name} {member.last_name}"
