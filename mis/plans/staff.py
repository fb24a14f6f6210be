"""The staff file: the school's whole staff list, one row per person.

- A person is matched by staff code, else by email (any case). A new one gets a login
  (their email, no password until they are invited or reset it) at this school.
- Names, email and staff code follow the file; a blank staff code or email keeps the one
  held. The roles cell (mis/plans/roles.py) is the whole list of the person's roles at
  the school except form tutor and trust leader (a superuser's to give, kept whatever
  the file says); without a roles column, roles are left alone.
- The file is the whole staff: anyone on the school's staff missing from it is reported
  as leaving, and applying turns their login off, removes their roles here and takes
  them off this academic year's classes (their homework, messages and history stay).
  Never the person running the import, never a superuser nor a trust leader (often not on
  the school's own staff list). Someone who had left and is
  in the file again gets their login back.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from mis.kinds import ADD, CHANGE, LEAVE, Change, Plan
from school.calendar import groups_year_for
from school.models import RoleAssignment, TeachingGroup, User, YearGroup

from .csv_common import CsvKind, Duplicates, staff_at
from .roles import NOT_FROM_THE_FILE, RoleKey, RoleReader, assignment_key

Role = RoleAssignment.Role


def _label(first: str, last: str, code: str) -> str:
    return f"{first} {last}" + (f" ({code})" if code else "")


class StaffPlan(CsvKind):
    def compare(self, *, school, table, today, actor):
        plan = Plan()
        work = {"add": [], "update": [], "leave": []}
        staff = staff_at(school)
        by_code = {u.staff_code.casefold(): u for u in staff if u.staff_code}
        by_email = {u.email: u for u in staff}
        emails = {row.get("email").lower() for row in table.rows if row.get("email")}
        elsewhere = set(
            User.objects.filter(email__in=emails)
            .exclude(id__in=[u.id for u in staff])
            .values_list("email", flat=True)
        )
        reader = RoleReader(school)
        held, kept = _roles_held(school)
        duplicates = Duplicates()
        present = set()
        for row in table.rows:
            first, last = row.get("first_name"), row.get("last_name")
            email, code = row.get("email").lower(), row.get("staff_code")
            errors = []
            if not first:
                errors.append(row.error("first_name", "Missing first name"))
            if not last:
                errors.append(row.error("last_name", "Missing last name"))
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    errors.append(row.error("email", f"{email} is not an email address"))
            if len(code) > 10:
                errors.append(
                    row.error("staff_code", f"The staff code {code} is longer than 10 characters")
                )
            for name, key, what in (
                ("staff_code", code.casefold(), f"The staff code {code}"),
                ("email", email, f"The email {email}"),
            ):
                if error := duplicates.seen(row, name, key, what):
                    errors.append(error)
            by_c = by_code.get(code.casefold()) if code else None
            by_e = by_email.get(email) if email else None
            if by_c and by_e and by_c != by_e:
                errors.append(
                    row.error(
                        "email",
                        f"The staff code {code} is {by_c.get_full_name()}'s but "
                        f"the email {email} is {by_e.get_full_name()}'s",
                    )
                )
            user = by_c or by_e
            if user:
                present.add(user.id)
            if email in elsewhere:
                errors.append(
                    row.error(
                        "email",
                        f"The email {email} is already used by an account that "
                        "is not on this school's staff (a parent's, or at another school)",
                    )
                )
            if not email and user is None:
                errors.append(
                    row.error("email", "Missing email (a new member of staff signs in with it)")
                )
            roles = None
            if table.has("roles"):
                roles, problems = reader.read(row.get("roles"))
                errors += [row.error("roles", problem) for problem in problems]
            if errors:
                plan.errors += errors
                continue
            label = _label(first, last, code or (user.staff_code if user else ""))
            if user is None:
                fields = [("First name", "", first), ("Last name", "", last), ("Email", "", email)]
                fields += [("Staff code", "", code)] if code else []
                fields += [("Roles", "", reader.labels(roles))] if roles else []
                plan.changes.append(Change(ADD, code or email, label, fields))
                work["add"].append(
                    (
                        {
                            "first_name": first,
                            "last_name": last,
                            "email": email,
                            "staff_code": code,
                        },
                        roles or set(),
                    )
                )
                continue
            fields, values = [], {}
            for name, title, new in (
                ("first_name", "First name", first),
                ("last_name", "Last name", last),
                ("email", "Email", email),
                ("staff_code", "Staff code", code),
            ):
                if new and getattr(user, name) != new:
                    fields.append((title, getattr(user, name), new))
                    values[name] = new
            if not user.is_active:
                fields.append(("Login", "off", "on"))
                values["is_active"] = True
            old_roles = {key for key, _ in held.get(user.id, [])}
            add_roles, remove = set(), []
            admin = RoleKey(Role.SCHOOL_ADMIN)
            if (
                roles is not None
                and actor is not None
                and user.id == actor.id
                and admin in old_roles
            ):
                roles = roles | {admin}  # the person importing never locks themselves out
            if roles is not None and roles != old_roles:
                fields.append(("Roles", reader.labels(old_roles), reader.labels(roles)))
                add_roles = roles - old_roles
                remove = [a_id for key, a_id in held.get(user.id, []) if key not in roles]
            if not fields:
                plan.unchanged += 1
                continue
            plan.changes.append(
                Change(CHANGE, code or user.staff_code or user.email, label, fields)
            )
            work["update"].append((user, values, add_roles, remove))
        if table.complete:
            leaving = [
                user
                for user in staff
                if user.id not in present
                and user.is_active
                and not user.is_superuser
                and user.id not in kept
                and not (actor is not None and user.id == actor.id)
            ]
            ties = _ties(school, today, leaving)
            for user in leaving:
                tutor_of, classes, links = ties.get(user.id, ([], [], []))
                old = reader.labels(key for key, _ in held.get(user.id, []))
                fields = [("Login", "on", "off")]
                fields += [("Roles", old, "")] if old else []
                fields += [("Form tutor of", ", ".join(tutor_of), "")] if tutor_of else []
                fields += [("Teaches", ", ".join(classes), "")] if classes else []
                label = _label(user.first_name, user.last_name, user.staff_code)
                plan.changes.append(Change(LEAVE, user.staff_code or user.email, label, fields))
                work["leave"].append(user)
                work["unteach"] = [*work.get("unteach", []), *links]
        return plan, work

    def write(self, *, school, work, today, actor, progress):
        total = len(work["add"]) + len(work["update"]) + len(work["leave"])
        years = _year_groups(school, work)
        new_roles = []
        for fields, roles in work["add"]:
            user = User(school=school, **fields)
            user.set_unusable_password()
            user.save()
            new_roles += [_assignment(school, user, key, years) for key in roles]
        for user, values, add_roles, remove in work["update"]:
            for name, value in values.items():
                setattr(user, name, value)
            if values:
                user.save(update_fields=list(values))
            RoleAssignment.objects.filter(school=school, id__in=remove).delete()
            new_roles += [_assignment(school, user, key, years) for key in add_roles]
        RoleAssignment.objects.bulk_create(new_roles)
        leavers = [user.id for user in work["leave"]]
        User.objects.filter(school=school, id__in=leavers).update(is_active=False)
        RoleAssignment.objects.filter(school=school, user_id__in=leavers).delete()
        TeachingGroup.teachers.through.objects.filter(id__in=work.get("unteach", [])).delete()
        progress(total, total)


def _ties(school, today, users) -> dict[int, tuple[list[str], list[str], list[int]]]:
    """What a leaver stops being (two queries): form tutor of which tutor groups, teacher
    of which classes of the current academic year (and those links' ids). Classes of
    past years keep their teachers: they are history."""
    if not users:
        return {}
    ids = [user.id for user in users]
    ties: dict[int, tuple[list, list, list]] = {user_id: ([], [], []) for user_id in ids}
    for user_id, name in (
        RoleAssignment.objects.filter(school=school, role=Role.FORM_TUTOR, user_id__in=ids)
        .order_by("tutor_group__name")
        .values_list("user_id", "tutor_group__name")
    ):
        ties[user_id][0].append(name)
    year = groups_year_for(school, today)
    if year is not None:
        for link_id, user_id, name in (
            TeachingGroup.teachers.through.objects.filter(
                user_id__in=ids,
                teachinggroup__school=school,
                teachinggroup__academic_year=year,
            )
            .order_by("teachinggroup__name")
            .values_list("id", "user_id", "teachinggroup__name")
        ):
            ties[user_id][1].append(name)
            ties[user_id][2].append(link_id)
    return ties


def _roles_held(school) -> tuple[dict[int, list[tuple[RoleKey, int]]], set[int]]:
    """Each person's roles at the school the file manages (all but form tutor and those a
    superuser gives): (key, assignment id); and who holds one a superuser gives."""
    held: dict[int, list] = {}
    kept: set[int] = set()
    for assignment in (
        RoleAssignment.objects.filter(school=school)
        .exclude(role=Role.FORM_TUTOR)
        .select_related("year_group")
    ):
        if assignment.role in NOT_FROM_THE_FILE.values():
            kept.add(assignment.user_id)
            continue
        held.setdefault(assignment.user_id, []).append((assignment_key(assignment), assignment.id))
    return held, kept


def _year_groups(school, work) -> dict[int, YearGroup]:
    """The year groups heads of year are given, made if the school has none yet."""
    given = [roles for _, roles in work["add"]]
    given += [add_roles for _, _, add_roles, _ in work["update"]]
    numbers = {key.scope for roles in given for key in roles if key.role == Role.HEAD_OF_YEAR}
    years = {}
    for number in sorted(numbers):
        years[number], _ = YearGroup.objects.get_or_create(school=school, number=number)
    return years


def _assignment(school, user, key: RoleKey, years) -> RoleAssignment:
    scope = {}
    if key.role == Role.HEAD_OF_YEAR:
        scope["year_group"] = years[key.scope]
    elif key.role == Role.HEAD_OF_HOUSE:
        scope["house_id"] = key.scope
    elif key.role == Role.SUBJECT_LEADER:
        scope["subject_id"] = key.scope
    return RoleAssignment(school=school, user=user, role=key.role, **scope)
