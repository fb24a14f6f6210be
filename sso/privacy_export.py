"""Sign-in in a subject access export: the school accounts linked to the pupil's or the
guardian's login here (privacy/registry.py)."""

from privacy.registry import GUARDIAN, PUPIL, ExportSection, register_export_section

from .models import IdentityLink


def _links(user_id, school_id):
    if user_id is None:
        return
    links = (
        IdentityLink.objects.filter(user_id=user_id, school_id=school_id)
        .select_related("provider")
        .order_by("linked_at", "pk")
    )
    for link in links:
        yield {
            "Signs in with": link.provider.label,
            "Service": link.issuer,
            "Their id at the service": link.subject,
            "Email vouched for": link.email,
            "Linked": link.linked_at,
            "Last signed in": link.last_signed_in_at,
        }


def pupil_sign_in_links(pupil, context):
    yield from _links(pupil.user_id, pupil.school_id)


def guardian_sign_in_links(guardian, context):
    yield from _links(guardian.user_id, guardian.school_id)


DESCRIPTION = (
    "The school's sign-in service (Microsoft or Google) identity linked to this login at "
    "its first sign-in, matched by it afterwards."
)

register_export_section(
    ExportSection(
        key="pupil_sign_in_links",
        title="Linked school accounts",
        about=PUPIL,
        covers=(IdentityLink,),
        rows=pupil_sign_in_links,
        description=DESCRIPTION,
        order=90,
    )
)
register_export_section(
    ExportSection(
        key="guardian_sign_in_links",
        title="Linked accounts",
        about=GUARDIAN,
        covers=(IdentityLink,),
        rows=guardian_sign_in_links,
        description=DESCRIPTION,
        order=90,
    )
)
