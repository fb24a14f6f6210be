"""School structure and people. Every school-owned row carries its school, and every
index that a page filters on starts with it (a trust runs many schools on one database).

structure.py: the school, years, terms, days off, year groups, houses, tutor groups,
subjects, teaching groups. people.py: logins, staff roles, pupils, placements, guardians.
limits.py: the counts rate limits keep. history.py: changes to pupils' and guardians'
records."""

from .history import PersonChange
from .key_dates import KeyDate
from .limits import RateLimit
from .people import (
    Guardian,
    GuardianLink,
    Pupil,
    PupilPlacement,
    PupilQuerySet,
    RoleAssignment,
    User,
    UserManager,
    on_roll,
)
from .structure import (
    AcademicYear,
    HalfTerm,
    House,
    NonSchoolDay,
    School,
    SchoolOwned,
    Subject,
    TeachingGroup,
    Trust,
    TutorGroup,
    TutorGroupQuerySet,
    YearGroup,
)

__all__ = [
    "AcademicYear",
    "Guardian",
    "KeyDate",
    "GuardianLink",
    "HalfTerm",
    "House",
    "NonSchoolDay",
    "PersonChange",
    "Pupil",
    "PupilPlacement",
    "PupilQuerySet",
    "RateLimit",
    "RoleAssignment",
    "School",
    "SchoolOwned",
    "Subject",
    "TeachingGroup",
    "Trust",
    "TutorGroup",
    "TutorGroupQuerySet",
    "User",
    "UserManager",
    "YearGroup",
    "on_roll",
]
