"""The parents' side in a subject access export: home-school agreement signatures and the
pupil's acknowledgements, weekly sign-offs with their comments and replies, message
threads with every message, and a guardian's invitations and linking codes
(privacy/registry.py)."""

from privacy.registry import GUARDIAN, PUPIL, ExportSection, register_export_section

from .models import (
    Agreement,
    Invitation,
    LinkCode,
    Message,
    PortalVisit,
    PupilAcknowledgement,
    Signature,
    Thread,
    WeeklySignOff,
)


def _signatures(rows, context):
    rows = rows.select_related("agreement__academic_year", "guardian", "pupil").order_by(
        "signed_at", "pk"
    )
    for signature in rows:
        agreement = signature.agreement
        yield {
            "Agreement": f"{agreement.title} (version {agreement.version})",
            "Academic year": str(agreement.academic_year),
            "Signed by": signature.guardian.full_name,
            "For": signature.pupil.full_name,
            "Name typed": signature.typed_name,
            "Signed": signature.signed_at,
            "Language": signature.language,
            "IP address": signature.ip_address or "",
            "Browser": signature.user_agent,
        }


def pupil_signatures(pupil, context):
    return _signatures(Signature.objects.filter(pupil=pupil), context)


def guardian_signatures(guardian, context):
    return _signatures(Signature.objects.filter(guardian=guardian), context)


def pupil_acknowledgements(pupil, context):
    rows = (
        PupilAcknowledgement.objects.filter(pupil=pupil)
        .select_related("agreement__academic_year")
        .order_by("acknowledged_at", "pk")
    )
    for row in rows:
        yield {
            "Agreement": f"{row.agreement.title} (version {row.agreement.version})",
            "Academic year": str(row.agreement.academic_year),
            "Acknowledged": row.acknowledged_at,
        }


def _sign_offs(rows, context):
    rows = rows.select_related("guardian", "pupil", "replied_by").order_by("week_start", "pk")
    for sign_off in rows:
        yield {
            "Week of": sign_off.week_start,
            "Child": sign_off.pupil.full_name,
            "Signed off by": sign_off.guardian.full_name,
            "Signed off": sign_off.signed_at,
            "Comment": context.redact(sign_off.comment),
            "Reply": context.redact(sign_off.reply),
            "Replied by": context.staff_name(sign_off.replied_by),
            "Replied": sign_off.replied_at,
        }


def pupil_sign_offs(pupil, context):
    return _sign_offs(WeeklySignOff.objects.filter(pupil=pupil), context)


def guardian_sign_offs(guardian, context):
    return _sign_offs(WeeklySignOff.objects.filter(guardian=guardian), context)


def _messages(threads, context):
    messages = (
        Message.objects.filter(thread__in=threads)
        .select_related("thread__pupil", "thread__guardian", "thread__staff", "author")
        .order_by("thread__created_at", "thread_id", "sent_at", "pk")
    )
    for message in messages:
        thread = message.thread
        yield {
            "Conversation": context.redact(thread.subject),
            "About": thread.pupil.full_name,
            "Parent or carer": thread.guardian.full_name,
            "Staff": context.staff_name(thread.staff),
            "From": (
                thread.guardian.full_name
                if message.from_guardian
                else context.staff_name(message.author)
            ),
            "Sent": message.sent_at,
            "Message": context.redact(message.body),
        }


def pupil_messages(pupil, context):
    return _messages(Thread.objects.filter(pupil=pupil), context)


def guardian_messages(guardian, context):
    return _messages(Thread.objects.filter(guardian=guardian), context)


def guardian_invitations(guardian, context):
    invitations = Invitation.objects.filter(guardian=guardian).select_related(
        "created_by", "used_by"
    )
    codes = LinkCode.objects.filter(guardian=guardian).select_related("created_by", "used_by")
    rows = [("Invitation", invitation, invitation.email) for invitation in invitations]
    rows += [("Code to link a child", code, "") for code in codes]
    for kind, row, email in sorted(rows, key=lambda r: (r[1].created_at, r[0])):
        yield {
            "What": kind,
            "Sent to": email,
            "Made by": context.staff_name(row.created_by),
            "Made": row.created_at,
            "Expires": row.expires_at,
            "Used": row.used_at,
        }


def guardian_portal_visits(guardian, context):
    for day in (
        PortalVisit.objects.filter(guardian=guardian).order_by("day").values_list("day", flat=True)
    ):
        yield {"Day": day}


def _section(key, title, about, rows, covers, description, order):
    register_export_section(
        ExportSection(
            key=key,
            title=title,
            about=about,
            covers=covers,
            rows=rows,
            description=description,
            order=order,
        )
    )


_section(
    "pupil_signatures",
    "Home-school agreement signatures",
    PUPIL,
    pupil_signatures,
    (Signature, Agreement),
    "Each signature of the home-school agreement for the pupil: who signed, when and from where.",
    60,
)
_section(
    "pupil_acknowledgements",
    "The pupil's acknowledgements of the agreement",
    PUPIL,
    pupil_acknowledgements,
    (PupilAcknowledgement,),
    "When the pupil acknowledged the home-school agreement.",
    61,
)
_section(
    "pupil_sign_offs",
    "Weekly sign-offs",
    PUPIL,
    pupil_sign_offs,
    (WeeklySignOff,),
    "Each week a parent or carer signed off the pupil's homework, with their comment and "
    "the tutor's reply.",
    62,
)
_section(
    "pupil_messages",
    "Messages",
    PUPIL,
    pupil_messages,
    (Thread, Message),
    "Every message between the pupil's parents or carers and staff about the pupil.",
    63,
)
_section(
    "guardian_signatures",
    "Home-school agreement signatures",
    GUARDIAN,
    guardian_signatures,
    (Signature, Agreement),
    "Each signature of the home-school agreement: for which child, when and from where.",
    60,
)
_section(
    "guardian_sign_offs",
    "Weekly sign-offs",
    GUARDIAN,
    guardian_sign_offs,
    (WeeklySignOff,),
    "Each weekly sign-off of a child's homework, with the comment and the tutor's reply.",
    62,
)
_section(
    "guardian_messages",
    "Messages",
    GUARDIAN,
    guardian_messages,
    (Thread, Message),
    "Every message between the parent or carer and staff.",
    63,
)
_section(
    "guardian_invitations",
    "Invitations and linking codes",
    GUARDIAN,
    guardian_invitations,
    (Invitation, LinkCode),
    "The invitations to make a login and the codes to link a child that the school made "
    "(the secret part is never kept).",
    64,
)
_section(
    "guardian_portal_visits",
    "Days the parents' pages were opened",
    GUARDIAN,
    guardian_portal_visits,
    (PortalVisit,),
    "Each day the parent or carer opened the parents' pages (the day only, once a day), "
    "which the school's half-term report counts.",
    65,
)
