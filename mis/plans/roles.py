"""The roles cell of the staff file: the roles a person holds, separated by semicolons,
each in words a school uses, its scope after it:

    Teacher; School admin; Senior leader; LSA;
    Head of year 9; Head of house Brunel; Subject leader Ma

- Unscoped: "Teacher", "School admin" (or "Admin"), "Senior leader" (or "SLT"),
  "LSA" (or "Learning support assistant", "Teaching assistant", "TA"), "Governor"
  (reads the half-term report only).
- Scoped: "Head of year 9" ("Head of year Y9", "HoY 9"), "Head of house Brunel" (the
  house by name; "HoH Brunel"), "Subject leader Ma" (the subject by code or name;
  "Head of department Ma", "HoD Ma").
- Form tutors come from the tutor groups file, which names each group's tutors: the
  staff file leaves them alone.
- "Trust leader" is refused (a row error): it opens the other schools' figures of the
  trust, so only a superuser gives it, and the staff file leaves it alone.

Case does not matter. A blank cell means no roles (other than form tutor)."""

from dataclasses import dataclass

from school.models import House, RoleAssignment, Subject

from .csv_common import year_number

Role = RoleAssignment.Role
UNSCOPED = {
    "teacher": Role.TEACHER,
    "school admin": Role.SCHOOL_ADMIN,
    "admin": Role.SCHOOL_ADMIN,
    "senior leader": Role.SENIOR_LEADER,
    "slt": Role.SENIOR_LEADER,
    "lsa": Role.LSA,
    "learning support assistant": Role.LSA,
    "teaching assistant": Role.LSA,
    "ta": Role.LSA,
    "data protection lead": Role.DATA_PROTECTION_LEAD,
    "dpl": Role.DATA_PROTECTION_LEAD,
    "governor": Role.GOVERNOR,
}
# Roles only a superuser gives (the admin): a row naming one is refused, and the file
# neither shows nor removes them.
NOT_FROM_THE_FILE = {
    "trust leader": Role.TRUST_LEADER,
    "trust lead": Role.TRUST_LEADER,
}
SCOPED = {
    "head of year": Role.HEAD_OF_YEAR,
    "hoy": Role.HEAD_OF_YEAR,
    "head of house": Role.HEAD_OF_HOUSE,
    "hoh": Role.HEAD_OF_HOUSE,
    "subject leader": Role.SUBJECT_LEADER,
    "head of department": Role.SUBJECT_LEADER,
    "hod": Role.SUBJECT_LEADER,
}
KNOWN = (
    "Teacher, School admin, Senior leader, LSA, Head of year 9, Head of house <name>, "
    "Subject leader <subject code>"
)


@dataclass(frozen=True, order=True)
class RoleKey:
    """A role with its scope: the year's number, or the house's or subject's id."""

    role: str
    scope: int | None = None


class RoleReader:
    """Reads roles cells against the school's houses and subjects (two queries), and
    names roles as the file would write them."""

    def __init__(self, school):
        self.houses = {
            house.name.casefold(): house for house in House.objects.filter(school=school)
        }
        subjects = list(Subject.objects.filter(school=school))
        self.subjects = {subject.code.casefold(): subject for subject in subjects}
        self.subjects.update(
            {s.name.casefold(): s for s in subjects if s.name.casefold() not in self.subjects}
        )
        self.house_names = {house.id: house.name for house in self.houses.values()}
        self.subject_codes = {subject.id: subject.code for subject in subjects}

    def read(self, text: str) -> tuple[set[RoleKey], list[str]]:
        """The roles a cell names, and a message for each part it cannot read."""
        keys, problems = set(), []
        for part in (p.strip() for p in text.replace(",", ";").split(";")):
            if not part:
                continue
            key, problem = self._one(" ".join(part.split()))
            if key:
                keys.add(key)
            else:
                problems.append(problem)
        return keys, problems

    def _one(self, part: str) -> tuple[RoleKey | None, str]:
        words = part.casefold()
        if words in UNSCOPED:
            return RoleKey(UNSCOPED[words]), ""
        if words in NOT_FROM_THE_FILE:
            return None, (
                f'"{part}" cannot be given by the staff file: it opens the figures of the '
                "trust's other schools, so only the service's support (a superuser) gives it"
            )
        if words.startswith("form tutor"):
            return None, "Form tutors come from the tutor groups file, not the staff file"
        for start in sorted(SCOPED, key=len, reverse=True):
            if words == start or words.startswith(start + " "):
                return self._scoped(SCOPED[start], part[len(start) :].strip(), part)
        return None, f'Unknown role "{part}" (the roles are: {KNOWN})'

    def _scoped(self, role, scope: str, part: str) -> tuple[RoleKey | None, str]:
        if not scope:
            return None, f'"{part}" needs to say which one (e.g. {KNOWN.split(", ")[4]})'
        if role == Role.HEAD_OF_YEAR:
            number = year_number(scope)
            if number is None:
                return None, f'"{part}": {scope} is not a year group from 7 to 13'
            return RoleKey(role, number), ""
        if role == Role.HEAD_OF_HOUSE:
            house = self.houses.get(scope.casefold())
            if house is None:
                return (
                    None,
                    f'"{part}": the school has no house called {scope} (import houses first)',
                )
            return RoleKey(role, house.id), ""
        subject = self.subjects.get(scope.casefold())
        if subject is None:
            return None, f'"{part}": the school has no subject {scope} (import subjects first)'
        return RoleKey(role, subject.id), ""

    def label(self, key: RoleKey) -> str:
        if key.role == Role.HEAD_OF_YEAR:
            return f"Head of year {key.scope}"
        if key.role == Role.HEAD_OF_HOUSE:
            return f"Head of house {self.house_names.get(key.scope, '?')}"
        if key.role == Role.SUBJECT_LEADER:
            return f"Subject leader {self.subject_codes.get(key.scope, '?')}"
        return str(Role(key.role).label)

    def labels(self, keys) -> str:
        """The roles as the file writes them, in the order of Role (Teacher first)."""
        order = list(Role.values)
        return "; ".join(
            label for _, label in sorted((order.index(key.role), self.label(key)) for key in keys)
        )


def assignment_key(assignment: RoleAssignment) -> RoleKey:
    """The RoleKey of a school's role assignment (its year group's number loaded)."""
    if assignment.role == Role.HEAD_OF_YEAR:
        return RoleKey(assignment.role, assignment.year_group.number)
    if assignment.role == Role.HEAD_OF_HOUSE:
        return RoleKey(assignment.role, assignment.house_id)
    if assignment.role == Role.SUBJECT_LEADER:
        return RoleKey(assignment.role, assignment.subject_id)
    return RoleKey(assignment.role)
