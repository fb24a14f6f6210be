"""Tutor groups with their tutors, and teaching groups with their subject, year group and
teachers. Groups are matched by name (any case) within the school, teaching groups within
the school's current academic year. A tutors or teachers cell lists staff codes or
emails (separated by ";", "," or spaces) and is the whole list: someone no longer listed
stops being the group's tutor or teacher. Without that column, they are left alone.
Neither file is a full list: a group missing from it stays (it holds pupils and
homework); the new academic year archives last year's teaching groups."""

from django.db.models import Count, Q

from mis.kinds import ADD, CHANGE, Change, FileRejected, Plan
from school.calendar import groups_year_for
from school.models import (
    Pupil,
    RoleAssignment,
    Subject,
    TeachingGroup,
    TutorGroup,
    YearGroup,
)

from .csv_common import CsvKind, Duplicates, StaffFinder, people, year_number

Role = RoleAssignment.Role


BATCH = 500


def _year_check(row, errors) -> int | None:
    text = row.get("year_group")
    number = year_number(text)
    if not text:
        errors.append(row.error("year_group", "Missing year group"))
    elif number is None:
        errors.append(row.error("year_group", f"{text} is not a year group from 7 to 13"))
    return number


def _year_groups(school, numbers) -> dict[int, YearGroup]:
    years = {}
    for number in sorted(set(numbers)):
        years[number], _ = YearGroup.objects.get_or_create(school=school, number=number)
    return years


class TutorGroupsPlan(CsvKind):
    def compare(self, *, school, table, today, actor):
        plan, work = Plan(), []
        groups = {
            group.name.casefold(): group
            for group in TutorGroup.objects.current()
            .filter(school=school)
            .select_related("year_group")
        }
        pupils = dict(
            Pupil.objects.filter(school=school)
            .values_list("tutor_group")
            .annotate(n=Count("id"))
            .values_list("tutor_group", "n")
        )
        tutors: dict[int, dict] = {}
        for assignment in RoleAssignment.objects.filter(
            school=school, role=Role.FORM_TUTOR
        ).select_related("user"):
            tutors.setdefault(assignment.tutor_group_id, {})[assignment.user] = assignment.id
        finder = StaffFinder(school)
        duplicates = Duplicates()
        for row in table.rows:
            name, room = row.get("name"), row.get("room")
            errors = []
            if not name:
                errors.append(row.error("name", "Missing tutor group name"))
            elif len(name) > 20:
                errors.append(row.error("name", f"{name} is longer than 20 characters"))
            if error := duplicates.seen(row, "name", name.casefold(), f"The tutor group {name}"):
                errors.append(error)
            number = _year_check(row, errors)
            if len(room) > 50:
                errors.append(row.error("room", "A room has at most 50 characters"))
            listed = None
            if table.has("tutors"):
                listed, problems = finder.resolve(row, "tutors", f"tutor group {name}")
                errors += problems
            group = groups.get(name.casefold())
            if group and number and group.year_group.number != number and pupils.get(group.id):
                errors.append(
                    row.error(
                        "year_group",
                        f"{group.name} has {pupils[group.id]} "
                        f"pupil{'s' if pupils[group.id] != 1 else ''} in Year "
                        f"{group.year_group.number}: a tutor group moves up with the new "
                        "academic year, not by import",
                    )
                )
            if errors:
                plan.errors += errors
                continue
            held = tutors.get(group.id, {}) if group else {}
            fields, values = [], {}
            old_year = f"Year {group.year_group.number}" if group else ""
            if old_year != f"Year {number}":
                fields.append(("Year group", old_year, f"Year {number}"))
                values["year"] = number
            if table.has("room") and (group.room if group else "") != room:
                fields.append(("Room", group.room if group else "", room))
                values["room"] = room
            add, remove = [], []
            if listed is not None and set(listed) != set(held):
                fields.append(("Tutors", people(held), people(listed)))
                add = [user for user in listed if user not in held]
                remove = [a_id for user, a_id in held.items() if user not in listed]
            if not fields:
                plan.unchanged += 1
                continue
            plan.changes.append(Change(CHANGE if group else ADD, name, name, fields))
            work.append((group, name, values, add, remove))
        return plan, work

    def write(self, *, school, work, today, actor, progress):
        years = _year_groups(
            school, [values["year"] for _, _, values, _, _ in work if "year" in values]
        )
        assignments, removed = [], []
        for group, name, values, add, remove in work:
            if group is None:
                group = TutorGroup.objects.create(
                    school=school,
                    academic_year=groups_year_for(school, today),
                    name=name,
                    year_group=years[values["year"]],
                    room=values.get("room", ""),
                )
            elif values:
                if "year" in values:
                    group.year_group = years[values["year"]]
                group.room = values.get("room", group.room)
                group.save(update_fields=["year_group", "room"])
            assignments += [
                RoleAssignment(school=school, user=user, role=Role.FORM_TUTOR, tutor_group=group)
                for user in add
            ]
            removed += remove
        RoleAssignment.objects.filter(school=school, id__in=removed).delete()
        RoleAssignment.objects.bulk_create(assignments)
        progress(len(work), len(work))


def current_year(school, today):
    year = groups_year_for(school, today)
    if year is None:
        raise FileRejected(
            f"The school has no academic year for {today:%d/%m/%Y}, and teaching groups "
            "and enrolments belong to one. Add the academic year (with its dates) first, "
            "then import this file again."
        )
    return year


class TeachingGroupsPlan(CsvKind):
    def compare(self, *, school, table, today, actor):
        year = current_year(school, today)
        plan, work = Plan(), {"year": year, "groups": []}
        groups = {
            group.name.casefold(): group
            for group in TeachingGroup.objects.filter(school=school, academic_year=year)
            .select_related("subject", "year_group")
            .prefetch_related("teachers")
        }
        subjects = {}
        for subject in Subject.objects.filter(school=school):
            subjects.setdefault(subject.name.casefold(), subject)
        for subject in Subject.objects.filter(school=school):
            subjects[subject.code.casefold()] = subject
        finder = StaffFinder(school)
        duplicates = Duplicates()
        for row in table.rows:
            name, code = row.get("name"), row.get("subject")
            errors = []
            if not name:
                errors.append(row.error("name", "Missing group code"))
            elif len(name) > 30:
                errors.append(row.error("name", f"{name} is longer than 30 characters"))
            if error := duplicates.seen(row, "name", name.casefold(), f"The group code {name}"):
                errors.append(error)
            subject = subjects.get(code.casefold())
            if not code:
                errors.append(row.error("subject", "Missing subject code"))
            elif subject is None:
                errors.append(
                    row.error("subject", f"Unknown subject code {code} (import subjects first)")
                )
            number = _year_check(row, errors)
            listed = None
            if table.has("teachers"):
                listed, problems = finder.resolve(row, "teachers", f"class {name}")
                errors += problems
            if errors:
                plan.errors += errors
                continue
            group = groups.get(name.casefold())
            held = list(group.teachers.all()) if group else []
            fields, values = [], {}
            if group is None or group.subject_id != subject.id:
                fields.append(("Subject", str(group.subject) if group else "", str(subject)))
                values["subject"] = subject
            if group is None or group.year_group.number != number:
                old = f"Year {group.year_group.number}" if group else ""
                fields.append(("Year group", old, f"Year {number}"))
                values["year"] = number
            add, remove = [], []
            if listed is not None and set(listed) != set(held):
                fields.append(("Teachers", people(held), people(listed)))
                add = [user.id for user in listed if user not in held]
                remove = [user.id for user in held if user not in listed]
            if not fields:
                plan.unchanged += 1
                continue
            plan.changes.append(Change(CHANGE if group else ADD, name, name, fields))
            work["groups"].append((group, name, values, add, remove))
        return plan, work

    def write(self, *, school, work, today, actor, progress):
        numbers = [values["year"] for _, _, values, _, _ in work["groups"] if "year" in values]
        years = _year_groups(school, numbers)
        through = TeachingGroup.teachers.through
        # A few queries for any number of groups: the new ones in one insert, the changed
        # in one update, the teachers' links added and removed in batches.
        new, changed, teachers = [], [], []
        for group, name, values, add, remove in work["groups"]:
            if group is None:
                group = TeachingGroup(
                    school=school,
                    academic_year=work["year"],
                    name=name,
                    subject=values["subject"],
                    year_group=years[values["year"]],
                )
                new.append(group)
            elif values:
                group.subject = values.get("subject", group.subject)
                if "year" in values:
                    group.year_group = years[values["year"]]
                changed.append(group)
            teachers.append((group, add, remove))
        TeachingGroup.objects.bulk_create(new, batch_size=BATCH)
        TeachingGroup.objects.bulk_update(changed, ["subject", "year_group"], batch_size=BATCH)
        links, unlinks = [], Q(pk__in=[])
        for group, add, remove in teachers:
            links += [through(teachinggroup_id=group.id, user_id=user_id) for user_id in add]
            if remove:
                unlinks |= Q(teachinggroup_id=group.id, user_id__in=list(remove))
        through.objects.filter(unlinks).delete()
        through.objects.bulk_create(links, ignore_conflicts=True, batch_size=BATCH)
        progress(len(work["groups"]), len(work["groups"]))
