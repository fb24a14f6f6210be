"""A pupil (the world's Amara Okafor) with a record in every area a subject access export
gathers, and a classmate (Bartek Nowak) named in the free text and sharing a detention
and a club session: the classmate must never appear in Amara's export. `extra` adds that
many more rows to each area (the build's cost must not grow with them)."""

import datetime

from axes.models import AccessAttempt, AccessLog
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from clubs.models import Attendance, Booking, Club, ClubSession
from homework.models import SubmissionFile
from notifications.models import Delivery, Notification, NotificationAction, Preference
from parents.models import (
    Agreement,
    Invitation,
    Message,
    PupilAcknowledgement,
    Signature,
    Thread,
    WeeklySignOff,
)
from privacy.models import AccessLogEntry
from sanctions.models import (
    AuditEntry,
    Commendation,
    DetentionBooking,
    DetentionSession,
    EscalationPolicy,
    Meeting,
    Miss,
    PupilEscalation,
    Sanction,
)
from school.models import PersonChange

CLASSMATE = "Bartek Nowak"


def records_add(world, *, extra: int = 0):
    """Needs `homework_world` (the pupil's maths assignment) and a MEDIA_ROOT of the test's."""
    now = timezone.now()
    school, pupil, classmate = world.school, world.pupil, world.classmate
    teacher, guardian = world.teacher, world.guardian

    # Homework: handed in with a file, marked with feedback that names the classmate.
    assignment = world.pupil_maths_assignment
    assignment.status = "submitted"
    assignment.submitted_at = now
    assignment.submission_text = "My fractions, checked with Bartek Nowak."
    assignment.reflection = "=1+1 was the hard part"  # a formula, neutralised in the CSV
    assignment.mark = "8/10"
    assignment.feedback = "Good work; do not copy from bartek  nowak again."
    assignment.marked_by = teacher
    assignment.marked_at = now
    assignment.save()
    for n in range(1 + extra):
        upload = SubmissionFile(school=school, assignment=assignment)
        upload.store(SimpleUploadedFile(f"fractions{n}.txt", b"1/2 + 1/4 = 3/4", "text/plain"))
        upload.save()

    # Misses: counted, voided and excused (a reason naming the classmate as "Last, First").
    english = world.english_homework.assignments.get(pupil=pupil)
    miss = Miss.objects.create(
        school=school,
        assignment=english,
        pupil=pupil,
        academic_year=world.academic_year,
        recorded_by=teacher,
        recorded_at=now,
    )
    for n in range(1 + extra):
        Miss.objects.create(
            school=school,
            assignment=english,
            pupil=pupil,
            academic_year=world.academic_year,
            status="voided",
            reason="Recorded in error",
            recorded_by=teacher,
            recorded_at=now,
            changed_by=teacher,
            changed_at=now,
            change_reason=f"Meant Nowak, Bartek ({n})",
        )
        Miss.objects.create(
            school=school,
            assignment=english,
            pupil=pupil,
            academic_year=world.academic_year,
            status="excused",
            reason="Ill that week",
            recorded_by=teacher,
            recorded_at=now,
        )
    PupilEscalation.objects.create(
        school=school, pupil=pupil, academic_year=world.academic_year, counted_misses=3
    )

    # A sanction with its detention (shared with the classmate) and meeting.
    policy = EscalationPolicy.objects.create(school=school, version=1)
    session = DetentionSession.objects.create(
        school=school,
        date=timezone.localdate() + datetime.timedelta(days=2),
        start_time=datetime.time(15, 30),
        end_time=datetime.time(16, 30),
        room="D12",
        supervisor=world.head_of_year,
    )
    for n in range(1 + extra):
        cycle = n + 1
        sanction = Sanction.objects.create(
            school=school,
            pupil=pupil,
            academic_year=world.academic_year,
            cycle=cycle,
            policy=policy,
            step_number=min(cycle, 2),
            detention_minutes=60,
            meeting_with="form_tutor",
        )
        DetentionBooking.objects.create(
            school=school, sanction=sanction, session=session, notes="Sat apart from Bartek Nowak"
        )
        Meeting.objects.create(
            school=school,
            sanction=sanction,
            pupil=pupil,
            meeting_with="form_tutor",
            owner=teacher,
            status="held",
            outcome="Agreed a plan; Bartek Nowak's mother was told nothing.",
        )
        AuditEntry.objects.create(
            school=school,
            at=now,
            actor=teacher,
            pupil=pupil,
            action="miss_recorded",
            miss=miss,
            sanction=sanction,
            reason="Third miss",
        )
        Commendation.objects.create(
            school=school,
            pupil=pupil,
            reason="high_standard",
            note="Helped Bartek Nowak",
            assignment=assignment,
            awarded_by=teacher,
            awarded_at=now,
        )
    classmate_sanction = Sanction.objects.create(
        school=school,
        pupil=classmate,
        academic_year=world.academic_year,
        cycle=1,
        policy=policy,
        step_number=1,
        detention_minutes=60,
    )
    DetentionBooking.objects.create(school=school, sanction=classmate_sanction, session=session)

    # Homework club: booked and attended, beside the classmate.
    club = Club.objects.create(school=school, name="Homework club", room="Library")
    for n in range(1 + extra):
        club_session = ClubSession.objects.create(
            school=school,
            club=club,
            date=timezone.localdate() - datetime.timedelta(days=1 + n),
            start_time=datetime.time(15, 0),
            end_time=datetime.time(16, 0),
            room="Library",
            capacity=30,
            staff_needed=2,
        )
        for who in (pupil, classmate):
            Booking.objects.create(
                school=school, session=club_session, pupil=who, booked_at=now, booked_by=teacher
            )
            Attendance.objects.create(
                school=school,
                session=club_session,
                pupil=who,
                checked_in_at=now - datetime.timedelta(minutes=45),
                checked_in_by=teacher,
                checked_out_at=now,
                checked_out_by=teacher,
                worked_effectively=True,
            )

    # The home-school agreement, signed and acknowledged; weekly sign-offs.
    agreement = Agreement.objects.create(
        school=school,
        academic_year=world.academic_year,
        version=1,
        title="Home-school agreement",
        school_commitments="We set good homework.",
        teacher_commitments="We mark it.",
        parent_commitments="We check it.",
        pupil_commitments="I do it.",
        status="published",
        published_at=now,
    )
    Signature.objects.create(
        school=school,
        agreement=agreement,
        guardian=guardian,
        pupil=pupil,
        typed_name="Ngozi Okafor",
        signed_by=world.parent,
        signed_at=now,
        ip_address="192.0.2.7",
        user_agent="Firefox",
    )
    PupilAcknowledgement.objects.create(
        school=school, agreement=agreement, pupil=pupil, acknowledged_at=now
    )
    for n in range(1 + extra):
        WeeklySignOff.objects.create(
            school=school,
            pupil=pupil,
            guardian=guardian,
            week_start=timezone.localdate() - datetime.timedelta(weeks=n, days=7),
            signed_by=world.parent,
            signed_at=now,
            comment="She worked with Bartek Nowak on Tuesday.",
            reply="Thank you.",
            replied_by=teacher,
            replied_at=now,
        )

    # A message thread naming the classmate.
    thread = Thread.objects.create(
        school=school,
        pupil=pupil,
        guardian=guardian,
        staff=teacher,
        subject="Fractions homework",
        created_at=now,
        last_message_at=now,
    )
    for n in range(1 + extra):
        Message.objects.create(
            school=school,
            thread=thread,
            author=world.parent,
            from_guardian=True,
            body=f"Amara says BARTEK NOWAK took her book ({n}).",
            sent_at=now,
        )
        Message.objects.create(
            school=school,
            thread=thread,
            author=teacher,
            from_guardian=False,
            body="I will speak to them both.",
            sent_at=now,
        )

    # Notifications, delivered; a preference; an invitation.
    for _n in range(1 + extra):
        notification = Notification.objects.create(
            school=school,
            guardian=guardian,
            pupil=pupil,
            kind="missed_deadline",
            context={"homework": "Poem", "subject": "English"},
            status="sent",
            sent_at=now,
        )
        Delivery.objects.create(
            notification=notification, channel="email", status="sent", attempts=1, sent_at=now
        )
        NotificationAction.objects.create(
            school=school, notification=notification, action="resent", actor=teacher, at=now
        )
    Preference.objects.create(school=school, guardian=guardian, kind="missed_deadline")
    Invitation.objects.create(
        school=school,
        guardian=guardian,
        email=world.parent.email,
        token_hash=f"hash-{extra}",
        created_by=world.school_admin,
        created_at=now,
        expires_at=now + datetime.timedelta(days=7),
        used_at=now,
        used_by=world.parent,
    )

    # Sign-ins django-axes recorded for the pupil's login (and one for another login).
    for username in ("pupil@test.school", "classmate@test.school"):
        AccessLog.objects.create(
            username=username,
            ip_address="192.0.2.9",
            user_agent="Chromium",
            http_accept="text/html",
            path_info="/accounts/login/",
        )
    AccessAttempt.objects.create(
        username="pupil@test.school",
        ip_address="192.0.2.10",
        user_agent="Chromium",
        http_accept="text/html",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=2,
    )

    # The record's history and who opened it.
    for n in range(1 + extra):
        PersonChange.objects.create(
            school=school,
            pupil=pupil,
            field="travel_note",
            old_value="",
            new_value=f"Bus {n}",
            changed_by=world.school_admin,
            changed_at=now,
            source="setup",
        )
        AccessLogEntry.objects.create(
            school=school,
            at=now,
            user=world.head_of_year,
            pupil=pupil,
            page="Pupil page",
            path=f"/pupils/{pupil.pk}/",
        )
    PersonChange.objects.create(
        school=school,
        guardian=guardian,
        field="mobile",
        old_value="",
        new_value="07700 900123",
        changed_by=world.school_admin,
        changed_at=now,
        source="family",
    )
    return world
