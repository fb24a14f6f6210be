"""The demo school's clubs (seeds 000, 001, 002): the homework club on Tuesdays and
Thursdays, 15:15-16:15 in the computer room, for Years 7-9, two staff a night; a
supervised library study session every school day for all years; and two teachers
(teacher@ among them) offering small study sessions. All run over the current term.
Pupils have booked the coming two weeks' sessions (pupil@ included, so their planner
shows them).

`demo_clubs_build` runs the steps in order. The rota and the register area adds its rows
in `demo_rota_fill` (staff on past and coming sessions) and `demo_attendance_record`
(past sessions' registers), which are called with the sessions built here."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from school.models import HalfTerm, Pupil, RoleAssignment, School, User, YearGroup

from .models import Attendance, Booking, Club, ClubPolicy, ClubSession, RotaSlot
from .services.sessions import club_create, club_series_create, study_sessions_offer

START, END = datetime.time(15, 15), datetime.time(16, 15)
BOOKED_DAYS = 14  # pupils have booked the sessions of the coming two weeks
HOMEWORK_CLUB_TAKE_UP = (14, 22)  # pupils booked per homework club night (capacity 25)
LIBRARY_TAKE_UP = (5, 14)
STUDY_TAKE_UP = (1, 4)


@dataclass
class DemoClubs:
    """What the build made, for the later steps."""

    school: School
    today: datetime.date
    homework_club: Club | None = None
    library: Club | None = None
    study: list[Club] = field(default_factory=list)
    sessions: list[ClubSession] = field(default_factory=list)


def demo_clubs_build(*, school, rng, today, stdout=None) -> None:
    built = demo_clubs_create(school=school, today=today)
    if built is None:
        return
    demo_bookings_create(built, rng)
    demo_rota_fill(built, rng)
    demo_attendance_record(built, rng)


def _current_term(school, today) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day of the term (two half-terms) that today falls in, or of
    the next one in the holidays."""
    half_terms = list(HalfTerm.objects.filter(school=school).order_by("start_date"))
    current = next((h for h in half_terms if h.end_date >= today), None) or (
        half_terms[-1] if half_terms else None
    )
    if current is None:
        return None
    term = [h for h in half_terms if h.academic_year_id == current.academic_year_id]
    term = [h for h in term if h.term == current.term]
    return term[0].start_date, term[-1].end_date


def demo_clubs_create(*, school, today) -> DemoClubs | None:
    term = _current_term(school, today)
    leader = (
        User.objects.filter(
            role_assignments__school=school,
            role_assignments__role=RoleAssignment.Role.SENIOR_LEADER,
        )
        .order_by("pk")
        .first()
    )
    if term is None or leader is None:
        return None
    ClubPolicy.objects.get_or_create(school=school)
    first, last = term
    built = DemoClubs(school=school, today=today)
    built.homework_club = club_create(
        school=school,
        name="Homework club",
        room="Room 21 (computers)",
        capacity=25,
        staff_needed=2,
        year_groups=YearGroup.objects.filter(school=school, number__in=[7, 8, 9]),
        leader=leader,
        description="Quiet, focused and well resourced: computers, drinks and biscuits. "
        "Work for 30 minutes and earn a reward.",
    )
    built.sessions += club_series_create(
        club=built.homework_club,
        start_date=first,
        end_date=last,
        weekdays=[1, 3],
        start_time=START,
        end_time=END,
    )
    built.library = club_create(
        school=school,
        name="Library study session",
        room="Library",
        capacity=40,
        staff_needed=1,
        leader=leader,
        description="Supervised study every school day, for every year.",
    )
    built.sessions += club_series_create(
        club=built.library,
        start_date=first,
        end_date=last,
        weekdays=[0, 1, 2, 3, 4],
        start_time=START,
        end_time=END,
    )
    teachers = _study_teachers(school)
    for weekday, teacher in zip([2, 0], teachers, strict=False):
        club = study_sessions_offer(
            teacher=teacher,
            name=f"Study session with {teacher.get_full_name()}",
            room="Room 9" if weekday == 2 else "Room 3",
            capacity=4,
            description="Bring the homework you are stuck on.",
        )
        built.study.append(club)
        built.sessions += club_series_create(
            club=club,
            start_date=first,
            end_date=last,
            weekdays=[weekday],
            start_time=START,
            end_time=datetime.time(16, 0),
        )
    return built


def _study_teachers(school) -> list[User]:
    """teacher@ and one more teacher who is not a leader."""
    teachers = (
        User.objects.filter(school=school, role_assignments__role=RoleAssignment.Role.TEACHER)
        .exclude(
            role_assignments__role__in=[
                RoleAssignment.Role.SENIOR_LEADER,
                RoleAssignment.Role.HEAD_OF_YEAR,
                RoleAssignment.Role.HEAD_OF_HOUSE,
            ]
        )
        .distinct()
        .order_by("pk")
    )
    demo = teachers.filter(email__startswith="teacher@").first()
    other = teachers.exclude(pk=getattr(demo, "pk", None)).first()
    return [t for t in (demo, other) if t is not None]


def demo_bookings_create(built: DemoClubs, rng) -> None:
    """Bookings for the sessions of the coming two weeks, within each club's years and
    places; pupil@ has a place at the next homework club night."""
    school, today = built.school, built.today
    coming = [
        s for s in built.sessions if today <= s.date <= today + datetime.timedelta(days=BOOKED_DAYS)
    ]
    pupils = list(Pupil.objects.filter(school=school).select_related("year_group").order_by("pk"))
    demo_pk = (
        Pupil.objects.filter(school=school, user__email__startswith="pupil@")
        .values_list("pk", flat=True)
        .first()
    )
    demo_pupil = next((p for p in pupils if p.pk == demo_pk), None)
    key_stage_3 = [p for p in pupils if p.year_group.number <= 9]
    now = timezone.now()
    rows, demo_booked = [], False
    for session in coming:
        club = session.club
        if club == built.homework_club:
            # Pupil Premium pupils are better represented since the relaunch (seed 001).
            pool = _weighted(rng, key_stage_3, lambda p: 2 if p.pupil_premium else 1)
            take_up = HOMEWORK_CLUB_TAKE_UP
        elif club == built.library:
            pool, take_up = rng.sample(pupils, len(pupils)), LIBRARY_TAKE_UP
        else:
            pool, take_up = rng.sample(pupils, len(pupils)), STUDY_TAKE_UP
        count = min(rng.randint(*take_up), session.capacity, len(pool))
        chosen = pool[:count]
        if (
            club == built.homework_club
            and not demo_booked
            and demo_pupil is not None
            and demo_pupil.year_group.number <= 9
        ):
            chosen = [demo_pupil] + [p for p in chosen if p.pk != demo_pupil.pk][: count - 1]
            demo_booked = True
        for pupil in chosen:
            rows.append(
                Booking(
                    school=school,
                    session=session,
                    pupil=pupil,
                    booked_at=now - datetime.timedelta(hours=rng.randint(1, 72)),
                    booked_by_id=pupil.user_id,
                )
            )
    Booking.objects.bulk_create(rows)


def _weighted(rng, items, weight) -> list:
    """The items in a random order, heavier ones more likely first."""
    return sorted(items, key=lambda item: rng.random() ** (1 / weight(item)))


ROTA_GAP_SHARE = 0.2  # coming homework club nights still short of a volunteer
NO_SHOW_SHARE = 0.08
REWARD_SHARE = 0.7  # of the pupils who stayed long enough


def demo_rota_fill(built: DemoClubs, rng) -> None:
    """Teachers and LSAs take turns on the homework club and library rota, about an hour a
    half-term each (seed 001); a few coming nights are still a volunteer short, and
    teacher@ is on today's library session so their register can be opened. Teachers run
    their own study sessions."""
    school, today = built.school, built.today
    staff = list(
        User.objects.filter(
            school=school,
            is_active=True,
            role_assignments__role__in=[RoleAssignment.Role.TEACHER, RoleAssignment.Role.LSA],
        )
        .distinct()
        .order_by("pk")
    )
    if not staff:
        return
    demo_teacher = next((u for u in staff if u.email.startswith("teacher@")), None)
    turns = rng.sample(staff, len(staff))
    rows, turn = [], 0
    for session in built.sessions:
        club = session.club
        if club in built.study:
            rows.append(RotaSlot(school=school, session=session, staff=club.leader))
            continue
        needed = session.staff_needed
        if club == built.homework_club and session.date > today and rng.random() < ROTA_GAP_SHARE:
            needed -= 1
        on = []
        if club == built.library and session.date == today and demo_teacher is not None:
            on.append(demo_teacher)
        while len(on) < needed:
            person = turns[turn % len(turns)]
            turn += 1
            if person not in on:
                on.append(person)
        rows += [RotaSlot(school=school, session=session, staff=person) for person in on]
    RotaSlot.objects.bulk_create(rows)


def demo_attendance_record(built: DemoClubs, rng) -> None:
    """Registers of the term's past sessions: most booked pupils came (a few did not show),
    each checked in and out by a member of the rota; most who stayed half an hour earned
    the reward."""
    school, today = built.school, built.today
    past = [s for s in built.sessions if s.date < today]
    if not past:
        return
    pupils = list(Pupil.objects.filter(school=school).select_related("year_group").order_by("pk"))
    key_stage_3 = [p for p in pupils if p.year_group.number <= 9]
    on_rota = {}
    for session_id, staff_id in RotaSlot.objects.filter(session__in=past).values_list(
        "session_id", "staff_id"
    ):
        on_rota.setdefault(session_id, []).append(staff_id)
    reward_minutes = ClubPolicy.objects.get(school=school).reward_minutes
    bookings, attendances = [], []
    for session in past:
        club = session.club
        if club == built.homework_club:
            pool = _weighted(rng, key_stage_3, lambda p: 2 if p.pupil_premium else 1)
            take_up = HOMEWORK_CLUB_TAKE_UP
        elif club == built.library:
            pool, take_up = rng.sample(pupils, len(pupils)), LIBRARY_TAKE_UP
        else:
            pool, take_up = rng.sample(pupils, len(pupils)), STUDY_TAKE_UP
        staff = on_rota.get(session.pk) or [club.leader_id]
        start = timezone.make_aware(datetime.datetime.combine(session.date, session.start_time))
        for pupil in pool[: min(rng.randint(*take_up), session.capacity, len(pool))]:
            bookings.append(
                Booking(
                    school=school,
                    session=session,
                    pupil=pupil,
                    booked_at=start - datetime.timedelta(days=rng.randint(1, 6)),
                    booked_by_id=pupil.user_id,
                )
            )
            if rng.random() < NO_SHOW_SHARE:
                continue
            checked_in = start + datetime.timedelta(minutes=rng.randint(0, 10))
            stayed = rng.randint(15, 60)
            checked_out = checked_in + datetime.timedelta(minutes=stayed)
            rewarded = stayed >= reward_minutes and rng.random() < REWARD_SHARE
            by = rng.choice(staff)
            attendances.append(
                Attendance(
                    school=school,
                    session=session,
                    pupil=pupil,
                    checked_in_at=checked_in,
                    checked_in_by_id=by,
                    checked_out_at=checked_out,
                    checked_out_by_id=by,
                    worked_effectively=rewarded,
                    rewarded_by_id=by if rewarded else None,
                    rewarded_at=checked_out if rewarded else None,
                )
            )
    Booking.objects.bulk_create(bookings)
    Attendance.objects.bulk_create(attendances)


def demo_clubs_delete(*, schools) -> None:
    in_demo = Q(school_id__in=[school.pk for school in schools])
    Attendance.objects.filter(in_demo).delete()
    Booking.objects.filter(in_demo).delete()
    RotaSlot.objects.filter(in_demo).delete()
    ClubSession.objects.filter(in_demo).delete()
    Club.objects.filter(in_demo).delete()
    ClubPolicy.objects.filter(in_demo).delete()
