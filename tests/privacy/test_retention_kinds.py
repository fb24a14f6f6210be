"""Each line of the retention schedule on rows made for it, with the clock moved past
its period: what is due, what its run deletes or anonymises (and what stays, so that the
half-term figures stay the same), files leaving storage, pupils on a legal hold passed
over, and a second run finding nothing."""

import datetime
import zoneinfo

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from clubs.models import Attendance, Booking, Club, ClubSession
from homework.models import Assignment, SubmissionFile
from notifications.models import Delivery, Notification
from parents.models import Agreement, Message, Signature, Thread, WeeklySignOff
from privacy.models import AccessLogEntry, LegalHold, RetentionRun
from privacy.registry import record_kinds
from privacy.retention.engine import run_schedule
from privacy.retention.services import hold_lift, hold_place, schedule_confirm
from sanctions.models import (
    AuditEntry,
    Commendation,
    DetentionBooking,
    DetentionSession,
    EscalationPolicy,
    Meeting,
    Miss,
    Sanction,
)
from school.models import GuardianLink, PersonChange, Pupil, User

LONDON = zoneinfo.ZoneInfo("Europe/London")
# In the autumn term of the world's academic year (2026/27, ending 31 August 2027).
NOW = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
# A year after that academic year ended, and just before.
PAST_A_YEAR = datetime.datetime(2028, 9, 2, 9, 0, tzinfo=LONDON)
NOT_YET = datetime.datetime(2028, 8, 30, 9, 0, tzinfo=LONDON)


def confirm(world, **months):
    """The school confirms the suggested schedule, with `months` changed."""
    schedule_confirm(
        school=world.school,
        user=world.school_admin,
        months={kind.key: months.get(kind.key, kind.default_months) for kind in record_kinds()},
    )


def run(world, dry_run=False, capture=None):
    if capture is None:
        return run_schedule(school=world.school, dry_run=dry_run)
    with capture(execute=True):
        return run_schedule(school=world.school, dry_run=dry_run)


def count_of(result_run, key):
    return result_run.results[key]["count"]


def hand_in(assignment, text="My answer", name="answer.txt"):
    assignment.status = Assignment.Status.SUBMITTED
    assignment.submitted_at = NOW
    assignment.submission_text = text
    assignment.reflection = "Found it hard"
    assignment.confidence = 3
    assignment.mark = "7/10"
    assignment.feedback = "Good work"
    assignment.save()
    stored = SubmissionFile(school=assignment.school, assignment=assignment)
    stored.store(SimpleUploadedFile(name, b"my work", "text/plain"))
    stored.save()
    return stored


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def misses_and_sanctions(world, assignment, pupil):
    policy = EscalationPolicy.objects.create(school=world.school, version=1)
    sanction = Sanction.objects.create(
        school=world.school,
        pupil=pupil,
        academic_year=world.academic_year,
        cycle=1,
        policy=policy,
        step_number=1,
        detention_minutes=60,
        status=Sanction.Status.CANCELLED,
        cancel_reason="Pupil was ill all week",
    )
    miss = Miss.objects.create(
        school=world.school,
        assignment=assignment,
        pupil=pupil,
        academic_year=world.academic_year,
        reason="Left book at dad's house",
        recorded_by=world.teacher,
        recorded_at=NOW,
        sanction=sanction,
        change_reason="Parent phoned",
    )
    meeting = Meeting.objects.create(
        school=world.school,
        sanction=sanction,
        pupil=pupil,
        meeting_with="form_tutor",
        status=Meeting.Status.HELD,
        place="Room 4",
        outcome="Mum worried about bereavement",
    )
    session = DetentionSession.objects.create(
        school=world.school,
        date=datetime.date(2026, 12, 3),
        start_time=datetime.time(15, 30),
        end_time=datetime.time(16, 30),
        room="H1",
    )
    booking = DetentionBooking.objects.create(
        school=world.school,
        sanction=sanction,
        session=session,
        status=DetentionBooking.Status.ATTENDED,
        notes="Upset about home",
    )
    commendation = Commendation.objects.create(
        school=world.school,
        pupil=pupil,
        reason=Commendation.Reason.EFFORT,
        note="Despite a hard time at home",
        awarded_by=world.teacher,
        awarded_at=NOW,
    )
    audit = AuditEntry.objects.create(
        school=world.school, at=NOW, pupil=pupil, action="excused", miss=miss, reason="Ill"
    )
    return miss, sanction, meeting, booking, commendation, audit


def test_the_homework_and_sanction_lines_anonymise_after_a_year_and_counts_stay(
    homework_world, clock, django_capture_on_commit_callbacks
):
    world = homework_world
    assignment = world.pupil_maths_assignment
    stored = hand_in(assignment)
    name = stored.file.name
    assert default_storage.exists(name)
    miss, sanction, meeting, booking, commendation, audit = misses_and_sanctions(
        world, world.classmate_maths_assignment, world.classmate
    )
    confirm(world)

    clock.move_to(NOT_YET, tick=False)
    early = run(world, capture=django_capture_on_commit_callbacks)
    assert all(result["count"] == 0 for result in early.results.values())
    assignment.refresh_from_db()
    assert assignment.submission_text == "My answer"

    clock.move_to(PAST_A_YEAR, tick=False)
    done = run(world, capture=django_capture_on_commit_callbacks)
    assert done.status == RetentionRun.Status.DONE and not done.dry_run
    assert count_of(done, "homework_work") == 1
    assert count_of(done, "misses") == 1
    assert count_of(done, "sanctions") == 1
    assert count_of(done, "detention_registers") == 1
    assert count_of(done, "commendations") == 1
    assert count_of(done, "sanctions_audit") == 0  # two years from the entry

    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED
    assert assignment.submitted_at == NOW
    assert (assignment.submission_text, assignment.reflection) == ("", "")
    assert (assignment.mark, assignment.feedback, assignment.confidence) == ("", "", None)
    assert not SubmissionFile.objects.filter(pk=stored.pk).exists()
    assert not default_storage.exists(name)

    miss.refresh_from_db()
    assert (miss.status, miss.reason, miss.change_reason) == (Miss.Status.COUNTED, "", "")
    sanction.refresh_from_db()
    assert (sanction.status, sanction.cancel_reason) == (Sanction.Status.CANCELLED, "")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.place, meeting.outcome) == (Meeting.Status.HELD, "", "")
    booking.refresh_from_db()
    assert (booking.status, booking.notes) == (DetentionBooking.Status.ATTENDED, "")
    commendation.refresh_from_db()
    assert (commendation.reason, commendation.note) == (Commendation.Reason.EFFORT, "")
    # The other rows of the year stay whole: only past rows with words in them were due.
    assert Assignment.objects.filter(pk=world.year8_assignment.pk).exists()

    again = run(world, capture=django_capture_on_commit_callbacks)
    assert all(result["count"] == 0 for result in again.results.values())

    clock.move_to(datetime.datetime(2028, 12, 2, 9, 0, tzinfo=LONDON), tick=False)
    later = run(world, capture=django_capture_on_commit_callbacks)
    assert count_of(later, "sanctions_audit") == 1
    assert not AuditEntry.objects.filter(pk=audit.pk).exists()
    assert Miss.objects.filter(pk=miss.pk).exists()


def test_a_pupil_on_a_legal_hold_keeps_everything_until_it_is_lifted(
    homework_world, clock, django_capture_on_commit_callbacks
):
    world = homework_world
    held = hand_in(world.pupil_maths_assignment)
    other = hand_in(world.classmate_maths_assignment, name="other.txt")
    AccessLogEntry.objects.create(
        school=world.school, at=NOW, pupil=world.pupil, page="Pupil page", path="/p/"
    )
    hold = hold_place(pupil=world.pupil, user=world.school_admin, reason="Safeguarding case")
    confirm(world)
    clock.move_to(datetime.datetime(2029, 1, 5, 9, 0, tzinfo=LONDON), tick=False)

    dry = run(world, dry_run=True)
    assert count_of(dry, "homework_work") == 1
    assert count_of(dry, "access_log") == 0
    done = run(world, capture=django_capture_on_commit_callbacks)
    assert count_of(done, "homework_work") == 1
    assert SubmissionFile.objects.filter(pk=held.pk).exists()
    assert default_storage.exists(held.file.name)
    assert not SubmissionFile.objects.filter(pk=other.pk).exists()
    assert Assignment.objects.get(pk=world.pupil_maths_assignment.pk).mark == "7/10"
    assert AccessLogEntry.objects.filter(pupil=world.pupil).count() == 1

    assert hold_lift(hold=hold, user=world.school_admin)
    hold.refresh_from_db()
    assert hold.lifted_by == world.school_admin and hold.lifted_at is not None
    lifted = run(world, capture=django_capture_on_commit_callbacks)
    assert count_of(lifted, "homework_work") == 1
    assert count_of(lifted, "access_log") == 1
    assert not SubmissionFile.objects.filter(pk=held.pk).exists()
    assert not default_storage.exists(held.file.name)


def test_a_dry_run_counts_and_changes_nothing(homework_world, clock):
    world = homework_world
    stored = hand_in(world.pupil_maths_assignment)
    confirm(world)
    clock.move_to(PAST_A_YEAR, tick=False)
    dry = run(world, dry_run=True)
    assert dry.dry_run and dry.status == RetentionRun.Status.DONE
    assert count_of(dry, "homework_work") == 1
    assert dry.results["homework_work"]["label"] == "Homework and hand-ins"
    assert dry.results["homework_work"]["months"] == 12
    assert Assignment.objects.get(pk=world.pupil_maths_assignment.pk).submission_text
    assert SubmissionFile.objects.filter(pk=stored.pk).exists()
    assert default_storage.exists(stored.file.name)


def test_nothing_is_removed_before_the_school_confirms_and_a_kind_follows_its_months(
    homework_world, clock, django_capture_on_commit_callbacks
):
    world = homework_world
    hand_in(world.pupil_maths_assignment)
    clock.move_to(PAST_A_YEAR, tick=False)
    unconfirmed = run(world, capture=django_capture_on_commit_callbacks)
    assert unconfirmed.results == {}
    assert Assignment.objects.get(pk=world.pupil_maths_assignment.pk).submission_text

    confirm(world, homework_work=36)
    assert count_of(run(world, dry_run=True), "homework_work") == 0


def test_every_batch_is_dealt_with_when_batches_are_small(
    world, clock, settings, django_capture_on_commit_callbacks
):
    settings.PRIVACY_RETENTION_BATCH = 2
    for n in range(5):
        AccessLogEntry.objects.create(
            school=world.school, at=NOW, pupil=world.classmate, page="Pupil page", path=f"/{n}"
        )
    AccessLogEntry.objects.create(
        school=world.other_school, at=NOW, pupil=world.other_school_pupil, page="P", path="/"
    )
    confirm(world, access_log=1)
    clock.move_to(NOW + datetime.timedelta(days=70), tick=False)
    done = run(world, capture=django_capture_on_commit_callbacks)
    assert count_of(done, "access_log") == 5
    assert not AccessLogEntry.objects.filter(school=world.school).exists()
    assert AccessLogEntry.objects.filter(school=world.other_school).count() == 1


def test_messages_and_notifications_are_deleted_and_empty_threads_go(
    world, clock, django_capture_on_commit_callbacks
):
    def thread(subject):
        return Thread.objects.create(
            school=world.school,
            pupil=world.pupil,
            guardian=world.guardian,
            staff=world.teacher,
            subject=subject,
            created_at=NOW,
            last_message_at=NOW,
        )

    def message(in_thread, sent_at):
        return Message.objects.create(
            school=world.school,
            thread=in_thread,
            author=world.parent,
            from_guardian=True,
            body="About Amara",
            sent_at=sent_at,
        )

    old_thread, going_on = thread("Old"), thread("Going on")
    message(old_thread, NOW)
    message(old_thread, NOW)
    message(going_on, NOW)
    recent = message(going_on, NOW + datetime.timedelta(days=400))
    sent = Notification.objects.create(
        school=world.school,
        guardian=world.guardian,
        pupil=world.pupil,
        kind="miss",
        status=Notification.Status.SENT,
    )
    Delivery.objects.create(notification=sent, channel="email", status="sent")
    waiting = Notification.objects.create(
        school=world.school, guardian=world.guardian, pupil=world.pupil, kind="miss"
    )
    confirm(world)
    clock.move_to(NOW + datetime.timedelta(days=24 * 31 + 10), tick=False)
    done = run(world, capture=django_capture_on_commit_callbacks)
    assert count_of(done, "parent_messages") == 3
    assert count_of(done, "notifications") == 1
    assert not Thread.objects.filter(pk=old_thread.pk).exists()
    assert list(Message.objects.filter(thread=going_on)) == [recent]
    assert not Notification.objects.filter(pk=sent.pk).exists()
    assert not Delivery.objects.filter(notification_id=sent.pk).exists()
    assert Notification.objects.filter(pk=waiting.pk).exists()


def test_signatures_sign_offs_and_club_bookings(world, clock, django_capture_on_commit_callbacks):
    agreement = Agreement.objects.create(
        school=world.school,
        academic_year=world.academic_year,
        version=1,
        title="Agreement",
        school_commitments="a",
        teacher_commitments="b",
        parent_commitments="c",
        pupil_commitments="d",
        status=Agreement.Status.PUBLISHED,
    )
    signature = Signature.objects.create(
        school=world.school,
        agreement=agreement,
        guardian=world.guardian,
        pupil=world.pupil,
        typed_name="Ngozi Okafor",
        signed_by=world.parent,
        signed_at=NOW,
        ip_address="192.0.2.1",
        user_agent="Firefox",
    )
    sign_off = WeeklySignOff.objects.create(
        school=world.school,
        pupil=world.pupil,
        guardian=world.guardian,
        week_start=datetime.date(2026, 11, 30),
        signed_by=world.parent,
        signed_at=NOW,
        comment="She is struggling",
        reply="Thanks",
    )
    club = Club.objects.create(school=world.school, name="Homework club", room="L1")
    session = ClubSession.objects.create(
        school=world.school,
        club=club,
        date=datetime.date(2026, 12, 2),
        start_time=datetime.time(15, 30),
        end_time=datetime.time(16, 30),
        room="L1",
        capacity=20,
        staff_needed=1,
    )
    booking = Booking.objects.create(
        school=world.school, session=session, pupil=world.pupil, booked_at=NOW
    )
    attendance = Attendance.objects.create(
        school=world.school, session=session, pupil=world.pupil, checked_in_at=NOW
    )
    confirm(world)
    clock.move_to(PAST_A_YEAR, tick=False)
    done = run(world, capture=django_capture_on_commit_callbacks)
    assert count_of(done, "agreement_signatures") == 1
    assert count_of(done, "weekly_sign_offs") == 1
    assert count_of(done, "club_bookings") == 1
    signature.refresh_from_db()
    assert (signature.typed_name, signature.ip_address, signature.user_agent) == ("", None, "")
    assert signature.signed_at == NOW
    sign_off.refresh_from_db()
    assert (sign_off.comment, sign_off.reply) == ("", "")
    assert not Booking.objects.filter(pk=booking.pk).exists()
    assert Attendance.objects.filter(pk=attendance.pk).exists()
    assert all(result["count"] == 0 for result in run(world).results.values())


def test_a_leaver_is_anonymised_and_their_rows_stay(
    homework_world, clock, django_capture_on_commit_callbacks
):
    world = homework_world
    leaver = world.classmate
    login_id = leaver.user_id
    misses_and_sanctions(world, world.classmate_maths_assignment, leaver)
    Pupil.objects.filter(pk=leaver.pk).update(
        left_on=datetime.date(2027, 7, 21),
        date_of_birth=datetime.date(2015, 1, 15),
        travel_note="Bus 42",
    )
    PersonChange.objects.create(
        school=world.school,
        pupil=leaver,
        field="last_name",
        old_value="Nowakowski",
        new_value="Nowak",
        changed_at=NOW,
        source=PersonChange.Source.IMPORT,
    )
    guardian_id = world.other_guardian.pk
    confirm(world)

    clock.move_to(datetime.datetime(2036, 7, 1, 9, 0, tzinfo=LONDON), tick=False)
    assert count_of(run(world, dry_run=True), "leavers") == 0
    clock.move_to(datetime.datetime(2036, 7, 22, 9, 0, tzinfo=LONDON), tick=False)
    done = run(world, capture=django_capture_on_commit_callbacks)
    assert count_of(done, "leavers") == 1

    leaver.refresh_from_db()
    assert leaver.first_name == "Former pupil" and leaver.last_name == f"#{leaver.pk}"
    assert "A0" not in leaver.upn and leaver.admission_number == f"anon-{leaver.pk}"
    assert leaver.date_of_birth == datetime.date(2014, 9, 1)
    assert leaver.travel_note == "" and leaver.user_id is None
    assert leaver.anonymised_at is not None
    assert not User.objects.filter(pk=login_id).exists()
    assert not GuardianLink.objects.filter(pupil=leaver).exists()
    assert world.other_guardian.__class__.objects.filter(pk=guardian_id).exists()
    changes = PersonChange.objects.filter(pupil=leaver)
    assert [(c.source, c.old_value) for c in changes] == [(PersonChange.Source.RETENTION, "")]
    # The counted rows stay, on the anonymised pupil.
    assert Miss.objects.filter(pupil=leaver).count() == 1
    assert Sanction.objects.filter(pupil=leaver).count() == 1
    assert Assignment.objects.filter(pupil=leaver).count() == 2
    # Others are untouched.
    world.pupil.refresh_from_db()
    assert world.pupil.first_name == "Amara" and world.pupil.anonymised_at is None

    assert count_of(run(world), "leavers") == 0
    clock.move_to(datetime.datetime(2037, 8, 1, 9, 0, tzinfo=LONDON), tick=False)
    assert count_of(run(world), "leaver_history") == 1
    assert not PersonChange.objects.filter(pupil=leaver).exists()


def test_a_leaver_on_hold_is_not_anonymised(world, clock):
    Pupil.objects.filter(pk=world.classmate.pk).update(left_on=datetime.date(2027, 1, 1))
    hold_place(pupil=world.classmate, user=world.school_admin, reason="Claim")
    confirm(world, leavers=1)
    clock.move_to(datetime.datetime(2028, 1, 1, 9, 0, tzinfo=LONDON), tick=False)
    assert count_of(run(world), "leavers") == 0
    assert Pupil.objects.get(pk=world.classmate.pk).first_name == "Bartek"
    assert LegalHold.objects.filter(pupil=world.classmate, lifted_at__isnull=True).exists()


def test_a_failing_batch_is_rolled_back_and_logged_and_the_other_kinds_go_on(
    world, clock, monkeypatch, django_capture_on_commit_callbacks
):
    from privacy import registry

    AccessLogEntry.objects.create(
        school=world.school, at=NOW, pupil=world.pupil, page="Pupil page", path="/"
    )
    Pupil.objects.filter(pk=world.classmate.pk).update(left_on=datetime.date(2026, 9, 1))
    leavers = registry.record_kind("leavers")

    def broken(rows):
        rows.update(first_name="Half done")
        raise RuntimeError("disk full")

    monkeypatch.setitem(
        registry._kinds, "leavers", registry.RecordKind(**{**leavers.__dict__, "apply": broken})
    )
    confirm(world, leavers=1, access_log=1)
    clock.move_to(datetime.datetime(2027, 3, 1, 9, 0, tzinfo=LONDON), tick=False)
    done = run(world, capture=django_capture_on_commit_callbacks)
    assert done.status == RetentionRun.Status.FAILED
    assert "Leavers' pupil records" in done.message
    assert done.results["leavers"]["failed"] is True
    assert Pupil.objects.get(pk=world.classmate.pk).first_name == "Bartek"
    assert count_of(done, "access_log") == 1


def test_who_was_chosen_for_the_adapted_version_goes_with_the_work(
    homework_world, clock, django_capture_on_commit_callbacks
):
    world = homework_world
    world.maths_homework.alternative_pupils.add(world.classmate)
    confirm(world)
    clock.move_to(PAST_A_YEAR, tick=False)
    done = run(world, capture=django_capture_on_commit_callbacks)
    assert count_of(done, "homework_work") == 1
    assert not world.maths_homework.alternative_pupils.exists()
    assert Assignment.objects.filter(pk=world.classmate_maths_assignment.pk).exists()


def test_a_leavers_login_others_protect_is_made_unusable_and_their_sign_ins_go(world, clock):
    from axes.models import AccessAttempt, AccessLog

    leaver = world.classmate
    login = leaver.user
    # A record that protects the login (a row naming it as its author).
    Commendation.objects.create(
        school=world.school,
        pupil=world.pupil,
        reason=Commendation.Reason.OTHER,
        awarded_by=login,
        awarded_at=NOW,
    )
    AccessLog.objects.create(username=login.email, attempt_time=NOW, ip_address="192.0.2.1")
    AccessAttempt.objects.create(
        username=login.email, attempt_time=NOW, failures_since_start=1, ip_address="192.0.2.1"
    )
    Pupil.objects.filter(pk=leaver.pk).update(left_on=datetime.date(2027, 1, 1))
    confirm(world, leavers=1)
    clock.move_to(datetime.datetime(2028, 1, 1, 9, 0, tzinfo=LONDON), tick=False)
    assert count_of(run(world), "leavers") == 1
    login.refresh_from_db()
    assert login.email == f"former-pupil-{login.pk}@invalid"
    assert (login.first_name, login.last_name, login.is_active) == ("", "", False)
    assert not login.has_usable_password()
    assert Pupil.objects.get(pk=leaver.pk).user_id is None
    assert not AccessLog.objects.filter(username="classmate@test.school").exists()
    assert not AccessAttempt.objects.filter(username="classmate@test.school").exists()


def test_a_run_while_another_is_under_way_does_nothing(world, clock, monkeypatch):
    from privacy.retention import engine

    AccessLogEntry.objects.create(
        school=world.school, at=NOW, pupil=world.pupil, page="Pupil page", path="/"
    )
    confirm(world, access_log=1)
    clock.move_to(datetime.datetime(2027, 3, 1, 9, 0, tzinfo=LONDON), tick=False)
    monkeypatch.setattr(engine, "_school_lock", lambda school, take: False)
    blocked = run(world)
    assert blocked.status == RetentionRun.Status.FAILED
    assert blocked.message == engine.UNDER_WAY
    assert AccessLogEntry.objects.count() == 1
    assert count_of(run(world, dry_run=True), "access_log") == 1
