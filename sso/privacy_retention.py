"""Sign-in's line of the retention schedule (privacy/registry.py): a link between a person
and their account at the school's sign-in service (the service's id for them and the
address it vouched for) is deleted once it has not been used for the period. A link goes
with its person's login at once (a deleted login takes its links); this line removes
those left behind: a leaver whose login other records keep, a member of staff who has
gone, a service the school stopped using. Someone still at the school who signs in after
that is linked again by their verified address, as at their first sign-in."""

import datetime

from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from privacy.registry import RecordKind, register_record_kind
from privacy.retention.events import rows_delete, start_of
from school.models import School

from .models import IdentityLink


def links_due(school: School, cutoff: datetime.date) -> QuerySet:
    return (
        IdentityLink.objects.filter(school=school)
        .alias(last_used=Coalesce("last_signed_in_at", "linked_at"))
        .filter(last_used__lt=start_of(school, cutoff))
    )


register_record_kind(
    RecordKind(
        key="sso_links",
        label="Links to the school's sign-in accounts",
        event="the last sign-in with the link (its linking, if never used)",
        default_months=12,
        guidance=(
            "A link is only needed while the person signs in with it; a year covers a "
            "long absence. Our suggestion; confirm it with your data protection officer."
        ),
        action=(
            "Deleted: the service's id for the person and the address it vouched for. "
            "Someone still at the school is linked again at their next sign-in."
        ),
        due=links_due,
        apply=rows_delete,
        pupil_path="user__pupil",
        order=950,
        covers=(IdentityLink,),
    )
)
