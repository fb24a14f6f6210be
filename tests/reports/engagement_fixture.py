"""A small school built by hand whose families' engagement is known
(tests/reports/test_engagement*.py).

2026/27: Autumn 1 (2/9-23/10/2026) and Autumn 2 (2/11-18/12). Pupils: Ada (Pupil
Premium), Ben (leaves on 10/11), Cal (EAL) and Dot (Cal's sister). Families:
- Ada's mother (English; login made 10/9): opens the portal on 15/9 and 5/11, signs the
  agreement on 20/9, signs off the weeks of 7/9, 14/9 and 9/11, answers the first
  consultation; asks about Ada on 10/9 (answered in 2 h) and 12/11 (never answered).
- Ben's father (Polish; no login): asks about Ben on 20/9 (answered in 1 h).
- Cal and Dot's mother (Polish; login made 3/11): signed last year's agreement in June,
  opens the portal on 20/11, signs this year's on 21/11, signs off the weeks of 16/11
  (for both children: one week) and 23/11, answers the first consultation but not the
  second (sent to her tutor group only); asks about Cal on 5/11 (answered in 24 h) and
  about Dot on 10/11 (a second message, then answered 4 h after the first).
- An erased record linked to Ada with a login, visits, a signature and a conversation,
  a record with no child, and the other school's family: none of them counts."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from consultations.models import Consultation, Response
from parents.models import Agreement, Message, PortalVisit, Signature, Thread, WeeklySignOff
from reports.models import ReportSettings
from school.models import Guardian, HalfTerm, RoleAssignment
from tests.conftest import staff
from tests.factories import (
    AcademicYearFactory,
    GuardianFactory,
    GuardianLinkFactory,
    HalfTermFactory,
    PupilFactory,
    SchoolFactory,
    TutorGroupFactory,
    UserFactory,
    YearGroupFactory,
)

LONDON = ZoneInfo("Europe/London")
TODAY = datetime.date(2026, 12, 9)
Language = Guardian.Language


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def d(month: int, day: int, year: int = 2026) -> datetime.date:
    return datetime.date(year, month, day)


def parent(school, email, joined, language, *children, **fields):
    user = None
    if joined is not None:
        user = UserFactory(email=email)
        user.date_joined = at(joined, 9)
        user.save(update_fields=["date_joined"])
    guardian = GuardianFactory(school=school, user=user, preferred_language=language, **fields)
    for child in children:
        GuardianLinkFactory(guardian=guardian, pupil=child)
    return guardian


class Family:
    def __init__(self, world, guardian):
        self.world, self.guardian = world, guardian

    def visit(self, *days):
        for day in days:
            PortalVisit.objects.create(school=self.guardian.school, guardian=self.guardian, day=day)

    def sign(self, agreement, pupil, day):
        Signature.objects.create(
            school=self.guardian.school,
            agreement=agreement,
            guardian=self.guardian,
            pupil=pupil,
            typed_name="A Parent",
            signed_by=self.guardian.user or self.world.teacher,
            signed_at=at(day),
        )

    def sign_off(self, pupil, monday):
        WeeklySignOff.objects.create(
            school=self.guardian.school,
            pupil=pupil,
            guardian=self.guardian,
            week_start=monday,
            signed_by=self.guardian.user or self.world.teacher,
            signed_at=at(monday + datetime.timedelta(days=4)),
        )

    def ask(self, pupil, when, *, reply_after=None, again_after=None):
        """A conversation the parent starts; staff answer `reply_after` later (or never)."""
        thread = Thread.objects.create(
            school=self.guardian.school,
            pupil=pupil,
            guardian=self.guardian,
            staff=self.world.teacher,
            subject="A question",
            created_at=when,
            last_message_at=when,
        )
        author = self.guardian.user or self.world.teacher
        Message.objects.create(
            school=thread.school,
            thread=thread,
            author=author,
            from_guardian=True,
            body="Hello",
            sent_at=when,
        )
        if again_after is not None:
            Message.objects.create(
                school=thread.school,
                thread=thread,
                author=author,
                from_guardian=True,
                body="Any news?",
                sent_at=when + again_after,
            )
        if reply_after is not None:
            Message.objects.create(
                school=thread.school,
                thread=thread,
                author=self.world.teacher,
                from_guardian=False,
                body="Thanks",
                sent_at=when + reply_after,
            )
        return thread

    def answer(self, consultation):
        Response.objects.create(
            school=self.guardian.school,
            consultation=consultation,
            guardian=self.guardian,
            submitted_at=at(consultation.opens_on),
            updated_at=at(consultation.opens_on),
        )


def agreement_of(school, year, version=1, status=Agreement.Status.PUBLISHED):
    return Agreement.objects.create(
        school=school,
        academic_year=year,
        version=version,
        title="Home-school agreement",
        school_commitments="We",
        teacher_commitments="We",
        parent_commitments="We",
        pupil_commitments="We",
        status=status,
    )


def consultation_of(school, year, opens_on, *, status=Consultation.Status.SENT, tutor_groups=()):
    consultation = Consultation.objects.create(
        school=school,
        academic_year=year,
        title=f"Consultation of {opens_on}",
        opens_on=opens_on,
        closes_on=opens_on + datetime.timedelta(days=14),
        status=status,
    )
    consultation.tutor_groups.set(tutor_groups)
    return consultation


def engagement_school(smallest_group=1, sign_off_weeks=2):
    school = SchoolFactory(name="Engage Academy", slug="engage")
    last_year = AcademicYearFactory(
        school=school, name="2025/26", start_date=d(9, 1, 2025), end_date=d(8, 31, 2026)
    )
    year = AcademicYearFactory(school=school)
    HalfTermFactory(school=school, academic_year=year)
    HalfTermFactory(
        school=school,
        academic_year=year,
        name=HalfTerm.Name.AUTUMN_2,
        start_date=d(11, 2),
        end_date=d(12, 18),
    )
    ReportSettings.objects.create(
        school=school, smallest_group=smallest_group, sign_off_weeks=sign_off_weeks
    )
    y7 = YearGroupFactory(school=school, number=7)
    tg_a = TutorGroupFactory(school=school, year_group=y7, name="7A")
    tg_b = TutorGroupFactory(school=school, year_group=y7, name="7B")
    teacher = staff(school, "teacher@engage.school", (RoleAssignment.Role.TEACHER, {}))
    ada = PupilFactory(tutor_group=tg_a, first_name="Ada", pupil_premium=True)
    ben = PupilFactory(tutor_group=tg_a, first_name="Ben", left_on=d(11, 10))
    cal = PupilFactory(tutor_group=tg_b, first_name="Cal", eal=True)
    dot = PupilFactory(tutor_group=tg_b, first_name="Dot")
    world = SimpleNamespace(school=school, year=year, teacher=teacher, tg_b=tg_b)
    agreement = agreement_of(school, year)
    old_agreement = agreement_of(school, last_year)

    ada_mum = Family(world, parent(school, "ada.mum@example.org", d(9, 10), Language.ENGLISH, ada))
    ben_dad = Family(world, parent(school, "", None, Language.POLISH, ben))
    cal_mum = Family(
        world, parent(school, "cal.mum@example.org", d(11, 3), Language.POLISH, cal, dot)
    )
    ada_mum.visit(d(9, 15), d(11, 5))
    ada_mum.sign(agreement, ada, d(9, 20))
    for monday in (d(9, 7), d(9, 14), d(11, 9)):
        ada_mum.sign_off(ada, monday)
    ada_mum.ask(ada, at(d(9, 10), 10), reply_after=datetime.timedelta(hours=2))
    ada_mum.ask(ada, at(d(11, 12), 10))
    ben_dad.ask(ben, at(d(9, 20), 10), reply_after=datetime.timedelta(hours=1))
    cal_mum.sign(old_agreement, cal, d(6, 20))
    cal_mum.visit(d(11, 20))
    cal_mum.sign(agreement, cal, d(11, 21))
    cal_mum.sign_off(cal, d(11, 16))
    cal_mum.sign_off(dot, d(11, 16))
    cal_mum.sign_off(cal, d(11, 23))
    cal_mum.ask(cal, at(d(11, 5), 9), reply_after=datetime.timedelta(hours=24))
    cal_mum.ask(
        dot,
        at(d(11, 10), 9),
        again_after=datetime.timedelta(hours=1),
        reply_after=datetime.timedelta(hours=4),
    )
    first = consultation_of(school, year, d(10, 1))
    second = consultation_of(school, year, d(11, 15), tutor_groups=[tg_b])
    consultation_of(school, year, d(11, 20), status=Consultation.Status.DRAFT)
    ada_mum.answer(first)
    cal_mum.answer(first)

    # None of these counts.
    erased = Family(
        world,
        parent(school, "erased@example.org", d(9, 1), Language.ENGLISH, ada),
    )
    erased.visit(d(9, 15))
    erased.sign(agreement, ada, d(9, 20))
    erased.sign_off(ada, d(9, 7))
    erased.ask(ada, at(d(9, 11), 10), reply_after=datetime.timedelta(days=9))
    erased.answer(first)
    Guardian.objects.filter(pk=erased.guardian.pk).update(erased_at=at(d(12, 1)))
    childless = Family(world, parent(school, "nochild@example.org", d(9, 1), Language.URDU))
    childless.visit(d(9, 15))
    other = SchoolFactory(name="Other Engage", slug="other-engage")
    other_year = AcademicYearFactory(school=other)
    other_pupil = PupilFactory(
        tutor_group=TutorGroupFactory(school=other, year_group=YearGroupFactory(school=other)),
        pupil_premium=True,
    )
    other_family = Family(
        SimpleNamespace(teacher=staff(other, "t@other.school")),
        parent(other, "other@example.org", d(9, 1), Language.ENGLISH, other_pupil),
    )
    other_family.visit(d(9, 15), d(11, 5))
    other_family.sign(agreement_of(other, other_year), other_pupil, d(9, 20))
    other_family.ask(other_pupil, at(d(9, 10), 10), reply_after=datetime.timedelta(days=3))
    return SimpleNamespace(
        **vars(world),
        ada=ada,
        ben=ben,
        cal=cal,
        dot=dot,
        ada_mum=ada_mum,
        ben_dad=ben_dad,
        cal_mum=cal_mum,
        first=first,
        second=second,
    )
