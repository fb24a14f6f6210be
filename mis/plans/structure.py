"""Houses and subjects from a CSV: added when new, a subject's name changed when its code
says so. Neither list is full: a house or subject missing from the file stays (pupils,
classes and homework point at them)."""

from mis.kinds import ADD, CHANGE, Change, Plan
from school.models import House, Subject

from .csv_common import CsvKind, Duplicates


class HousesPlan(CsvKind):
    """Matched by name, ignoring case; a name whose case differs is corrected."""

    def compare(self, *, school, table, today, actor):
        plan, work = Plan(), {"add": [], "rename": []}
        existing = {house.name.casefold(): house for house in House.objects.filter(school=school)}
        duplicates = Duplicates()
        for row in table.rows:
            name = row.get("name")
            if not name:
                plan.errors.append(row.error("name", "Missing house name"))
                continue
            if len(name) > 100:
                plan.errors.append(row.error("name", "A house name has at most 100 characters"))
                continue
            if error := duplicates.seen(row, "name", name.casefold(), f"The house {name}"):
                plan.errors.append(error)
                continue
            house = existing.get(name.casefold())
            if house is None:
                plan.changes.append(Change(ADD, name, name, [("Name", "", name)]))
                work["add"].append(name)
            elif house.name != name:
                plan.changes.append(Change(CHANGE, name, name, [("Name", house.name, name)]))
                work["rename"].append((house, name))
            else:
                plan.unchanged += 1
        return plan, work

    def write(self, *, school, work, today, actor, progress):
        for house, name in work["rename"]:
            house.name = name
            house.save(update_fields=["name"])
        House.objects.bulk_create([House(school=school, name=name) for name in work["add"]])
        progress(len(work["add"]) + len(work["rename"]), len(work["add"]) + len(work["rename"]))


class SubjectsPlan(CsvKind):
    """Matched by code (as the MIS writes it, e.g. Ma); the name follows the file."""

    def compare(self, *, school, table, today, actor):
        plan, work = Plan(), {"add": [], "rename": []}
        subjects = list(Subject.objects.filter(school=school))
        by_code = {subject.code: subject for subject in subjects}
        by_name = {subject.name.casefold(): subject for subject in subjects}
        duplicates = Duplicates()
        for row in table.rows:
            code, name = row.get("code"), row.get("name")
            errors = []
            if not code:
                errors.append(row.error("code", "Missing subject code"))
            elif len(code) > 10:
                errors.append(row.error("code", f"The code {code} is longer than 10 characters"))
            if not name:
                errors.append(row.error("name", "Missing subject name"))
            elif len(name) > 100:
                errors.append(row.error("name", "A subject name has at most 100 characters"))
            errors += filter(
                None,
                [
                    duplicates.seen(row, "code", code, f"The subject code {code}"),
                    duplicates.seen(row, "name", name.casefold(), f"The subject name {name}"),
                ],
            )
            named = by_name.get(name.casefold())
            if not errors and named is not None and named.code != code:
                errors.append(
                    row.error("name", f"The name {name} belongs to the subject coded {named.code}")
                )
            if errors:
                plan.errors += errors
                continue
            subject = by_code.get(code)
            label = f"{name} ({code})"
            if subject is None:
                plan.changes.append(
                    Change(ADD, code, label, [("Code", "", code), ("Name", "", name)])
                )
                work["add"].append((code, name))
            elif subject.name != name:
                plan.changes.append(Change(CHANGE, code, label, [("Name", subject.name, name)]))
                work["rename"].append((subject, name))
            else:
                plan.unchanged += 1
        return plan, work

    def write(self, *, school, work, today, actor, progress):
        for subject, name in work["rename"]:
            subject.name = name
            subject.save(update_fields=["name"])
        Subject.objects.bulk_create(
            [Subject(school=school, code=code, name=name) for code, name in work["add"]]
        )
        done = len(work["add"]) + len(work["rename"])
        progress(done, done)
