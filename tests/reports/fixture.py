"""A small school built by hand whose half-term report is known (tests/reports/):

Autumn 1 (2/9-23/10/2026), Autumn 2 (2/11-18/12) and Spring 1 (4/1-12/2/2027, nothing in
it) of 2026/27. Pupils: Ada (Pupil Premium), Ben (leaves on 10/11), Cal (joins during the
year: first seen in December) and Dot (only a voided and an excused miss). The other
school has a counted miss of its own in Autumn 1, which no measure may see."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from clubs.models import Attendance, Club, ClubSession
from homework.models import Assignment, Homework
from sanctions.models import (
    DetentionBooking,
    DetentionSession,
    EscalationPolicy,
    Meeting,
    Miss,
    Sanction,
    SessionKind,
)
from school.models import RoleAssignment
from tests.conftest import staff
from tests.factories import (
    AcademicYearFactory,
    HalfTermFactory,
    HouseFactory,
    PupilFactory,
    SchoolFactory,
    SubjectFactory,
    TeachingGroupFactory,
    TutorGroupFactory,
    YearGroupFactory,
)

LONDON = ZoneInfo("Europe/London")
TODAY = datetime.date(2026, 12, 9)
Booked = DetentionBooking.Status
# The pupil's homework after a miss is recorded, voided (recorded in error) or excused.
ASSIGNMENT_OF_MISS = {
    Miss.Status.COUNTED: Assignment.Status.MISSED,
    Miss.Status.VOIDED: Assignment.Status.SET,
    Miss.Status.EXCUSED: Assignment.Status.EXCUSED,
}


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def d(month: int, day: int, year: int = 2026) -> datetime.date:
    return datetime.date(year, month, day)


class Builder:
    def __init__(self, school, year, teacher, group):
        self.school, self.year, self.teacher, self.group = school, year, teacher, group
        self.policy = EscalationPolicy.objects.create(school=school, version=1)

    def homework(self, set_on, due_on, status=Homework.Status.SET) -> Homework:
        return Homework.objects.create(
            school=self.school,
            teaching_group=self.group,
            set_by=self.teacher,
            status=status,
            title=f"Task set {set_on}",
            instructions="Do it",
            set_on=set_on,
            due_at=at(due_on, 9),
            estimated_minutes=30,
        )

    def assignment(self, homework, pupil, status=Assignment.Status.SET, **fields):
        return Assignment.objects.create(
            school=self.school,
            homework=homework,
            pupil=pupil,
            due_at=homework.due_at,
            status=status,
            **fields,
        )

    def miss(self, pupil, day, status=Miss.Status.COUNTED) -> Miss:
        homework = self.homework(day - datetime.timedelta(days=7), day - datetime.timedelta(days=1))
        return Miss.objects.create(
            school=self.school,
            assignment=self.assignment(homework, pupil, ASSIGNMENT_OF_MISS[status]),
            pupil=pupil,
            academic_year=self.year,
            status=status,
            recorded_by=self.teacher,
            recorded_at=at(day),
        )

    def sanction(self, pupil, day, step, status=Sanction.Status.TO_SCHEDULE) -> Sanction:
        return Sanction.objects.create(
            school=self.school,
            pupil=pupil,
            academic_year=self.year,
            cycle=step,
            policy=self.policy,
            step_number=step,
            detention_minutes=60,
            status=status,
            created_at=at(day),
        )

    def booking(self, sanction, day, status, kind=SessionKind.DETENTION) -> DetentionBooking:
        session = DetentionSession.objects.create(
            school=self.school,
            kind=kind,
            date=day,
            start_time=datetime.time(15, 30),
            end_time=datetime.time(16, 30),
            room="D1",
        )
        return DetentionBooking.objects.create(
            school=self.school, sanction=sanction, session=session, kind=kind, status=status
        )

    def meeting(self, sanction, status, proposed_at=None, changed_at=None) -> Meeting:
        return Meeting.objects.create(
            school=self.school,
            sanction=sanction,
            pupil=sanction.pupil,
            meeting_with="form_tutor",
            status=status,
            proposed_at=proposed_at,
            changed_at=changed_at,
        )

    def club_session(self, club, day, status=ClubSession.Status.SCHEDULED) -> ClubSession:
        return ClubSession.objects.create(
            school=self.school,
            club=club,
            date=day,
            start_time=datetime.time(15, 0),
            end_time=datetime.time(16, 0),
            room="L1",
            capacity=30,
            staff_needed=1,
            status=status,
        )

    def attend(self, session, pupil, rewarded=False) -> Attendance:
        return Attendance.objects.create(
            school=self.school,
            session=session,
            pupil=pupil,
            checked_in_at=at(session.date, 15),
            worked_effectively=rewarded,
        )


def school_build(slug="known"):
    school = SchoolFactory(name=f"{slug.title()} School", slug=slug)
    year = AcademicYearFactory(school=school)
    HalfTermFactory(academic_year=year, name="autumn_1", start_date=d(9, 2), end_date=d(10, 23))
    HalfTermFactory(academic_year=year, name="autumn_2", start_date=d(11, 2), end_date=d(12, 18))
    HalfTermFactory(
        academic_year=year,
        name="spring_1",
        start_date=d(1, 4, 2027),
        end_date=d(2, 12, 2027),
    )
    y7 = YearGroupFactory(school=school, number=7)
    tutor_group = TutorGroupFactory(school=school, year_group=y7, name="7K")
    teacher = staff(school, f"teacher@{slug}.school", (RoleAssignment.Role.TEACHER, {}))
    group = TeachingGroupFactory(
        school=school,
        academic_year=year,
        year_group=y7,
        subject=SubjectFactory(school=school, name="Maths", code="Ma"),
        name="7x/Ma",
        teachers=[teacher],
    )
    return Builder(school, year, teacher, group), tutor_group


def known_school():
    """The school of the module's docstring, with everything the report counts."""
    b, tutor_group = school_build()
    ada = PupilFactory(tutor_group=tutor_group, first_name="Ada", pupil_premium=True)
    ben = PupilFactory(tutor_group=tutor_group, first_name="Ben", left_on=d(11, 10))
    dot = PupilFactory(tutor_group=tutor_group, first_name="Dot")
    cal = PupilFactory(tutor_group=tutor_group, first_name="Cal")

    # Misses: Autumn 1 Ada and Ben, Autumn 2 Ada and Cal; Dot's do not count.
    b.miss(ada, d(10, 1))
    b.miss(ben, d(10, 10))
    b.miss(ada, d(11, 20))
    b.miss(cal, d(12, 1))
    b.miss(dot, d(10, 2), Miss.Status.VOIDED)
    b.miss(dot, d(11, 21), Miss.Status.EXCUSED)

    # Homework set in Autumn 1 (besides the misses' own): one task, due 1/10, for all four.
    task = b.homework(d(9, 20), d(10, 1))
    b.homework(d(9, 21), d(10, 2), status=Homework.Status.DRAFT)
    b.assignment(task, ada, Assignment.Status.MISSED)
    b.assignment(task, ben, Assignment.Status.SUBMITTED, is_late=True)
    b.assignment(task, cal, Assignment.Status.PAPER)
    b.assignment(task, dot, Assignment.Status.EXCUSED)

    # Sanctions: Ada step 1 (served on 15/10 after an authorised absence on 8/10, then
    # missed again on 20/11), Ben step 1 cancelled, Cal step 2 in Autumn 2 (missed his
    # detention: an internal exclusion day booked).
    ada_sanction = b.sanction(ada, d(10, 2), 1, Sanction.Status.SERVED)
    b.booking(ada_sanction, d(10, 8), Booked.REBOOKED)
    b.booking(ada_sanction, d(10, 15), Booked.ATTENDED)
    ben_sanction = b.sanction(ben, d(10, 12), 1, Sanction.Status.CANCELLED)
    cal_sanction = b.sanction(cal, d(12, 2), 2)
    b.booking(cal_sanction, d(12, 3), Booked.ABSENT_UNAUTHORISED)
    b.booking(cal_sanction, d(12, 14), Booked.BOOKED, kind=SessionKind.INTERNAL_EXCLUSION)
    b.meeting(ada_sanction, Meeting.Status.HELD, changed_at=at(d(10, 20)))
    b.meeting(cal_sanction, Meeting.Status.HELD, proposed_at=at(d(12, 5)), changed_at=at(d(12, 6)))
    b.meeting(ben_sanction, Meeting.Status.ARRANGED, proposed_at=at(d(10, 22)))

    # Homework club: two nights in Autumn 1 (Ada twice, rewarded once; Ben once), a
    # cancelled night, a study session, and a night after today.
    club = Club.objects.create(school=b.school, name="Homework club", room="L1")
    study = Club.objects.create(
        school=b.school, name="Study", room="L2", kind=Club.Kind.STUDY_SESSION
    )
    first = b.club_session(club, d(10, 6))
    b.attend(first, ada, rewarded=True)
    b.attend(first, ben)
    b.attend(b.club_session(club, d(10, 13)), ada)
    b.club_session(club, d(10, 20), ClubSession.Status.CANCELLED)
    b.attend(b.club_session(study, d(10, 7)), cal)
    b.attend(b.club_session(club, d(12, 10)), dot)

    other, other_group = school_build("elsewhere")
    other.miss(PupilFactory(tutor_group=other_group), d(10, 1))
    return SimpleNamespace(builder=b, school=b.school, year=b.year, ada=ada, ben=ben, cal=cal)


def groups_school(slug="groups"):
    """A school of 20 pupils whose split by pupil group is known (tests/reports/test_groups*):

    Year 7 (7K): ten pupils, p0-p4 Pupil Premium (p4 leaves on 10/11), p5-p9 FSM.
    Year 8 (8L): six pupils, q0-q3 SEN support; Year 9 (9M): four pupils. Houses: Year 7
    in North, the rest in South.
    Autumn 1 misses (counted): p0-p3 one each (Maths), p5-p7 one each (Maths), q0 one
    (English): 8 in all; p0 also has a voided and an excused one. So Pupil Premium has
    4/8 of the misses and 5/20 of the roll (ratio 2.00), FSM 3/8 and 5/20 (1.50, the
    flag's threshold), Year 7 7/8 and 10/20 (1.75).
    A Maths task due 1/10 to Year 7: p0, p1 and p5-p9 on time, p2-p4 missed; an English
    task due 2/10 to Years 8 and 9, all on time. p0 served a detention (15/10) after a
    step 1 sanction (2/10); q0 has a step 1 sanction whose detention he missed (16/10).
    p0 attended homework club twice, p5 once."""
    b, tutor_group = school_build(slug)
    school = b.school
    north = HouseFactory(school=school, name="North")
    south = HouseFactory(school=school, name="South")
    y8 = YearGroupFactory(school=school, number=8)
    y9 = YearGroupFactory(school=school, number=9)
    tg8 = TutorGroupFactory(school=school, year_group=y8, name="8L")
    tg9 = TutorGroupFactory(school=school, year_group=y9, name="9M")
    p = [
        PupilFactory(
            tutor_group=tutor_group,
            house=north,
            first_name=f"P{i}",
            pupil_premium=i < 5,
            free_school_meals=i >= 5,
            left_on=d(11, 10) if i == 4 else None,
        )
        for i in range(10)
    ]
    q = [
        PupilFactory(
            tutor_group=tg8,
            house=south,
            first_name=f"Q{i}",
            sen="support" if i < 4 else "",
        )
        for i in range(6)
    ]
    r = [PupilFactory(tutor_group=tg9, house=south, first_name=f"R{i}") for i in range(4)]
    maths = b.group
    english = TeachingGroupFactory(
        school=school,
        academic_year=b.year,
        year_group=y8,
        subject=SubjectFactory(school=school, name="English", code="En"),
        name="8x/En",
        teachers=[b.teacher],
    )
    for i, pupil in enumerate([p[0], p[1], p[2], p[3], p[5], p[6], p[7]]):
        b.miss(pupil, d(10, 5 + i))
    b.miss(p[0], d(10, 20), Miss.Status.VOIDED)
    b.miss(p[0], d(10, 21), Miss.Status.EXCUSED)
    b.group = english
    b.miss(q[0], d(10, 14))
    task = b.homework(d(9, 25), d(10, 2))
    for pupil in q + r:
        b.assignment(task, pupil, Assignment.Status.SUBMITTED)
    b.group = maths
    task = b.homework(d(9, 24), d(10, 1))
    for i, pupil in enumerate(p):
        on_time = Assignment.Status.SUBMITTED if i < 2 else Assignment.Status.PAPER
        b.assignment(task, pupil, Assignment.Status.MISSED if 2 <= i <= 4 else on_time)
    served = b.sanction(p[0], d(10, 2), 1, Sanction.Status.SERVED)
    b.booking(served, d(10, 15), Booked.ATTENDED)
    missed = b.sanction(q[0], d(10, 14), 1)
    b.booking(missed, d(10, 16), Booked.ABSENT_UNAUTHORISED)
    club = Club.objects.create(school=school, name="Homework club", room="L1")
    first = b.club_session(club, d(10, 6))
    b.attend(first, p[0])
    b.attend(first, p[5])
    b.attend(b.club_session(club, d(10, 13)), p[0])
    return SimpleNamespace(
        builder=b, school=school, year=b.year, p=p, q=q, r=r, maths=maths, english=english
    )
