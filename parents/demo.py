"""The demo school's parents' side: this year's home-school agreement (the default text)
published by a senior leader at the start of term with its Polish and Urdu translations,
signed by about 70% of families (a parent signs for all their children at once, from a
phone or a laptop, in their language),
and some of those children's own acknowledgements. parent@demo.school's two children are
left unsigned so that the demo persona can sign for both."""

import datetime

from django.db.models import Q
from django.utils import timezone

from school.calendar import academic_year_for
from school.demo import DEMO_DOMAIN, DEMO_LOGINS, DEMO_SLUG
from school.models import GuardianLink, RoleAssignment, User

from .agreements.defaults import DEFAULT_TEXT, DEFAULT_TRANSLATIONS
from .agreements.text import ENGLISH
from .models import Agreement, AgreementTranslation, PupilAcknowledgement, Signature

SIGNED_SHARE = 0.7
ACKNOWLEDGED_SHARE = 0.4
DEMO_PARENT = DEMO_LOGINS["parent"]
USER_AGENTS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36",
]


def demo_parents_build(*, school, rng, today, stdout=None) -> None:
    year = academic_year_for(school, today)
    leader = (
        User.objects.filter(
            role_assignments__school=school,
            role_assignments__role=RoleAssignment.Role.SENIOR_LEADER,
        )
        .order_by("pk")
        .first()
    )
    if year is None or leader is None:
        return
    tz = timezone.get_current_timezone()
    published_at = datetime.datetime.combine(year.start_date, datetime.time(9), tzinfo=tz)
    published_at = min(published_at, timezone.now())
    agreement = Agreement.objects.create(
        school=school,
        academic_year=year,
        version=1,
        status=Agreement.Status.PUBLISHED,
        created_by=leader,
        published_at=published_at,
        published_by=leader,
        **DEFAULT_TEXT,
    )
    AgreementTranslation.objects.bulk_create(
        AgreementTranslation(
            school=school,
            agreement=agreement,
            language=language,
            created_by=leader,
            published_at=published_at,
            published_by=leader,
            **text,
        )
        for language, text in DEFAULT_TRANSLATIONS.items()
    )
    families = _families(school)
    signers = [(g, pupils) for g, pupils in families if rng.random() < SIGNED_SHARE]
    domain = DEMO_DOMAIN if school.slug == DEMO_SLUG else f"{school.slug}.{DEMO_DOMAIN}"
    # Every demo account shares the one password hash (school/demo: hashing is slow).
    password = User.objects.filter(school=school).values_list("password", flat=True).first()
    # The demo's only guardian login is parent@: the accounts the other families signed
    # from are closed (inactive), and the signature belongs to their guardian record.
    accounts = User.objects.bulk_create(
        [
            User(
                email=f"signed{number}@parents.{domain}",
                first_name=guardian.first_name,
                last_name=guardian.last_name,
                password=password,
                is_active=False,
            )
            for number, (guardian, _) in enumerate(signers, start=1)
        ],
        batch_size=500,
    )

    span = max((timezone.now() - published_at).total_seconds(), 3600)
    signatures, acknowledgements = [], []
    for (guardian, pupils), account in zip(signers, accounts, strict=True):
        signed_at = published_at + datetime.timedelta(seconds=rng.random() * span * 0.9)
        agent = rng.choice(USER_AGENTS)
        address = f"192.0.2.{rng.randint(1, 254)}"  # TEST-NET-1, for documentation
        for pupil_id in pupils:
            signatures.append(
                Signature(
                    school=school,
                    agreement=agreement,
                    guardian=guardian,
                    pupil_id=pupil_id,
                    typed_name=f"{guardian.first_name} {guardian.last_name}",
                    signed_by=account,
                    signed_at=signed_at,
                    ip_address=address,
                    user_agent=agent,
                    language=(
                        guardian.preferred_language
                        if guardian.preferred_language in DEFAULT_TRANSLATIONS
                        else ENGLISH
                    ),
                )
            )
            if rng.random() < ACKNOWLEDGED_SHARE:
                acknowledgements.append(
                    PupilAcknowledgement(
                        school=school,
                        agreement=agreement,
                        pupil_id=pupil_id,
                        acknowledged_at=signed_at + datetime.timedelta(hours=rng.randint(1, 72)),
                    )
                )
    Signature.objects.bulk_create(signatures, batch_size=1000)
    PupilAcknowledgement.objects.bulk_create(acknowledgements, batch_size=1000)
    if stdout is not None:
        stdout.write(
            f"{school.name}: home-school agreement published; {len(signers)} of "
            f"{len(families)} families signed for {len(signatures)} pupils.\n"
        )


def _families(school):
    """(guardian who signs, their children's ids): each pupil's first contact with parental
    responsibility, siblings together; the demo parent's family is left out."""
    links = (
        GuardianLink.objects.filter(pupil__school=school, parental_responsibility=True)
        .select_related("guardian__user")
        .order_by("pupil_id", "contact_priority", "pk")
    )
    first_contact, demo_pupils = {}, set()
    for link in links:
        if link.guardian.user is not None and link.guardian.user.email == DEMO_PARENT:
            demo_pupils.add(link.pupil_id)
        first_contact.setdefault(link.pupil_id, link.guardian)
    families = {}
    for pupil_id, guardian in first_contact.items():
        if pupil_id in demo_pupils:
            continue
        families.setdefault(guardian.pk, (guardian, []))[1].append(pupil_id)
    return sorted(families.values(), key=lambda family: family[0].pk)


def demo_parents_delete(*, schools) -> None:
    in_demo = Q(school_id__in=[school.pk for school in schools])
    PupilAcknowledgement.objects.filter(in_demo).delete()
    Signature.objects.filter(in_demo).delete()
    Agreement.objects.filter(in_demo).delete()
