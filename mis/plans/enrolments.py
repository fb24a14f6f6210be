"""Enrolments (which pupils are in which teaching group) and the pupil premium and young
carer flags, both keyed by UPN; built for a whole school's file (~14,000 rows) in a few
queries.

Enrolments: the file is the whole list of every group it names. A pupil listed in a
group joins it; a pupil in a named group who is not listed leaves it (the homework
already set for them stays theirs). Groups the file does not name are left alone, and so
are pupils who have left the school. Groups are the current academic year's.

Flags: a pupil's flags follow the file; pupils not in it are left alone. Each flag cell
reads Y/Yes/True/1 as yes and N/No/False/0 or blank as no."""

from django.utils import timezone

from mis.kinds import CHANGE, Change, FileRejected, Plan
from school import history
from school.models import PersonChange, Pupil, TeachingGroup

from .csv_common import CsvKind, Duplicates, yes_no
from .groups import current_year

BATCH = 2000


def _pupils(school) -> dict[str, tuple]:
    """(id, name, left_on, pupil premium, young carer) by UPN: one query."""
    return {
        upn.upper(): (pupil_id, f"{first} {last}", left_on, premium, carer)
        for pupil_id, upn, first, last, left_on, premium, carer in Pupil.objects.filter(
            school=school
        ).values_list(
            "id", "upn", "first_name", "last_name", "left_on", "pupil_premium", "young_carer"
        )
    }


def _pupil_for(row, pupils, today, errors):
    upn = row.get("upn").upper()
    if not upn:
        errors.append(row.error("upn", "Missing UPN"))
        return None
    pupil = pupils.get(upn)
    if pupil is None:
        errors.append(row.error("upn", f"No pupil at the school has the UPN {upn}"))
    return pupil


def _names(pupil_ids, names) -> str:
    return ", ".join(sorted(names[pupil_id] for pupil_id in pupil_ids))


class EnrolmentsPlan(CsvKind):
    def compare(self, *, school, table, today, actor):
        year = current_year(school, today)
        plan = Plan()
        groups = {
            group.name.casefold(): group
            for group in TeachingGroup.objects.filter(school=school, academic_year=year).only(
                "id", "name"
            )
        }
        pupils = _pupils(school)
        names = {pupil[0]: pupil[1] for pupil in pupils.values()}
        gone = {pupil[0] for pupil in pupils.values() if pupil[2] and pupil[2] <= today}
        wanted: dict[int, set[int]] = {}
        duplicates = Duplicates()
        for row in table.rows:
            errors = []
            pupil = _pupil_for(row, pupils, today, errors)
            code = row.get("group")
            group = groups.get(code.casefold())
            if not code:
                errors.append(row.error("group", "Missing group code"))
            elif group is None:
                errors.append(
                    row.error(
                        "group",
                        f"Unknown group code {code} (no teaching group of {year} has it; "
                        "import teaching groups first)",
                    )
                )
            if pupil and pupil[0] in gone:
                errors.append(
                    row.error("upn", f"{pupil[1]} ({row.get('upn')}) left on {pupil[2]:%d/%m/%Y}")
                )
            if pupil and group:
                what = f"{pupil[1]} ({row.get('upn').upper()}) in {group.name}"
                if error := duplicates.seen(row, "upn", f"{pupil[0]}:{group.id}", what):
                    errors.append(error)
            if errors:
                plan.errors += errors
                continue
            wanted.setdefault(group.id, set()).add(pupil[0])
        held: dict[int, dict[int, int]] = {group_id: {} for group_id in wanted}
        through = TeachingGroup.pupils.through
        for link_id, group_id, pupil_id in through.objects.filter(
            teachinggroup_id__in=list(wanted)
        ).values_list("id", "teachinggroup_id", "pupil_id"):
            if pupil_id not in gone:
                held[group_id][pupil_id] = link_id
        by_id = {group.id: group for group in groups.values()}
        work = {"add": [], "remove": []}
        for group_id in sorted(wanted, key=lambda g: by_id[g].name):
            joining = wanted[group_id] - held[group_id].keys()
            leaving = held[group_id].keys() - wanted[group_id]
            if not joining and not leaving:
                plan.unchanged += 1
                continue
            fields = []
            if joining:
                fields.append((f"Pupils joining ({len(joining)})", "", _names(joining, names)))
            if leaving:
                fields.append(
                    (f"Pupils leaving the group ({len(leaving)})", _names(leaving, names), "")
                )
            name = by_id[group_id].name
            plan.changes.append(Change(CHANGE, name, name, fields))
            work["add"] += [(group_id, pupil_id) for pupil_id in sorted(joining)]
            work["remove"] += [held[group_id][pupil_id] for pupil_id in sorted(leaving)]
        return plan, work

    def write(self, *, school, work, today, actor, progress):
        through = TeachingGroup.pupils.through
        total = len(work["add"]) + len(work["remove"])
        done = 0
        for start in range(0, len(work["remove"]), BATCH):
            batch = work["remove"][start : start + BATCH]
            through.objects.filter(id__in=batch).delete()
            done += len(batch)
            progress(done, total)
        for start in range(0, len(work["add"]), BATCH):
            batch = work["add"][start : start + BATCH]
            through.objects.bulk_create(
                [through(teachinggroup_id=g, pupil_id=p) for g, p in batch],
                ignore_conflicts=True,
            )
            done += len(batch)
            progress(done, total)
        progress(total, total)


FLAGS = (("pupil_premium", "Pupil premium", 3), ("young_carer", "Young carer", 4))


class FlagsPlan(CsvKind):
    def compare(self, *, school, table, today, actor):
        given = [flag for flag in FLAGS if table.has(flag[0])]
        if not given:
            raise FileRejected(
                "The file has neither a pupil premium nor a young carer column. Is this the "
                "right kind of file? Map at least one of them."
            )
        plan, work = Plan(), {}
        pupils = _pupils(school)
        duplicates = Duplicates()
        for row in table.rows:
            errors = []
            pupil = _pupil_for(row, pupils, today, errors)
            if error := duplicates.seen(
                row, "upn", row.get("upn").upper(), f"The UPN {row.get('upn')}"
            ):
                errors.append(error)
            values = {}
            for name, label, position in given:
                value = yes_no(row.get(name))
                if value is None:
                    errors.append(
                        row.error(
                            name,
                            f'{label} should be Yes or No (or Y/N, 1/0), not "{row.get(name)}"',
                        )
                    )
                values[name] = (value, pupil[position] if pupil else None, label)
            if errors:
                plan.errors += errors
                continue
            fields = [
                (label, "Yes" if old else "No", "Yes" if new else "No")
                for name, (new, old, label) in values.items()
                if new != old
            ]
            if not fields:
                plan.unchanged += 1
                continue
            upn = row.get("upn").upper()
            plan.changes.append(Change(CHANGE, upn, f"{pupil[1]} ({upn})", fields))
            for name, (new, old, _) in values.items():
                if new != old:
                    work.setdefault((name, new), []).append(pupil[0])
        return plan, work

    def write(self, *, school, work, today, actor, progress):
        labels = {name: label for name, label, _position in FLAGS}
        now, changes = timezone.now(), []
        for (name, value), pupil_ids in work.items():
            Pupil.objects.filter(school=school, id__in=pupil_ids).update(**{name: value})
            changes += [
                PersonChange(
                    school=school,
                    pupil_id=pupil_id,
                    field=labels[name],
                    old_value=history.value_shown(not value),
                    new_value=history.value_shown(value),
                    changed_by=actor,
                    changed_at=now,
                    source=PersonChange.Source.IMPORT,
                )
                for pupil_id in pupil_ids
            ]
        # Who changed which flag, in one insert (school/history.py).
        history.person_changes_save(changes)
        total = sum(len(ids) for ids in work.values())
        progress(total, total)
