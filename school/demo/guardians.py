"""The demo school's guardians: one or two per family, shared by siblings, with the
languages and channels families choose, and the demo parent's login."""

from ..models import Guardian, GuardianLink, User
from . import DEMO_LOGINS
from .names import EMAIL_DOMAINS, NAMES, STREETS, ascii_letters, gendered
from .shape import TWO_GUARDIAN_SHARE

Relationship = GuardianLink.Relationship


def guardians_create(rng, school, families, town, password, demo):
    """One or two guardians per family (siblings share them); returns the number created
    and the demo parent's user (or None)."""
    parent_user = None
    guardians, links = [], []
    for family in families:
        address = (
            f"{rng.randint(1, 180)} {rng.choice(STREETS)}\n{town}\n"
            f"NF{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXY')}"
            f"{rng.choice('ABDEFGHJLNPQRSTUWXY')}"
        )
        language = Guardian.Language.ENGLISH
        if family.eal and family.group == "polish" and rng.random() < 0.6:
            language = Guardian.Language.POLISH
        elif family.eal and family.group == "pakistani" and rng.random() < 0.55:
            language = Guardian.Language.URDU
        for priority, (relationship, female, first, last, responsible) in enumerate(
            _guardian_people(rng, family), start=1
        ):
            email = ""
            if rng.random() < 0.9:
                name = f"{ascii_letters(first)}.{ascii_letters(last)}{rng.randint(1, 99)}"
                email = f"{name}@" + rng.choice(EMAIL_DOMAINS)
            mobile = f"07700 900{rng.randint(0, 999):03d}"  # Ofcom's range for drama
            channel = Guardian.Channel.SMS
            if email and rng.random() < 0.75:
                channel = Guardian.Channel.EMAIL
            guardian = Guardian(
                school=school,
                title=_title(rng, female),
                first_name=first,
                last_name=last,
                email=email,
                mobile=mobile,
                address=address,
                preferred_language=language,
                notification_channel=channel,
            )
            if family.demo and priority == 1:
                parent_user = User.objects.create(
                    email=DEMO_LOGINS["parent"],
                    first_name=first,
                    last_name=last,
                    school=None,
                    password=password,
                )
                guardian.user = parent_user
                guardian.email = parent_user.email
                guardian.notification_channel = Guardian.Channel.EMAIL
                guardian.preferred_language = Guardian.Language.ENGLISH
            guardians.append(guardian)
            for child in family.children:
                links.append((guardian, child, relationship, responsible, priority))
    Guardian.objects.bulk_create(guardians, batch_size=500)
    GuardianLink.objects.bulk_create(
        [
            GuardianLink(
                guardian=guardian,
                pupil=child.pupil,
                relationship=relationship,
                parental_responsibility=responsible,
                contact_priority=priority,
            )
            for guardian, child, relationship, responsible, priority in links
        ],
        batch_size=1000,
    )
    return len(guardians), parent_user


def _guardian_people(rng, family):
    """(relationship, female, first name, last name, parental responsibility) for each of
    the family's guardians, in contact order."""
    names = NAMES[family.group]

    def person(female, surname=None, group=None):
        pool = NAMES[group] if group else names
        if surname is None:
            surname = rng.choice(pool["surnames"])
        first = surname
        while first == surname:
            first = rng.choice(pool["women" if female else "men"])
        return female, first, gendered(surname, female)

    if family.looked_after:
        groups = list(NAMES)
        group = rng.choices(groups, weights=[NAMES[g]["staff"] for g in groups])[0]
        surname = rng.choice(NAMES[group]["surnames"])
        carers = [(Relationship.FOSTER_CARER, *person(True, surname, group), False)]
        if rng.random() < 0.5:
            carers.append((Relationship.FOSTER_CARER, *person(False, surname, group), False))
        return carers

    own_surname = names.get("own_surname", False)
    mother_surname = None if own_surname else family.surname
    if family.demo:
        return [
            (Relationship.MOTHER, True, "Grace", "Okafor", True),
            (Relationship.FATHER, False, "Emeka", "Okafor", True),
        ]
    if rng.random() < TWO_GUARDIAN_SHARE:
        shape = rng.random()
        if shape < 0.8:
            return [
                (Relationship.MOTHER, *person(True, mother_surname), True),
                (Relationship.FATHER, *person(False, family.surname), True),
            ]
        if shape < 0.9:
            return [
                (Relationship.MOTHER, *person(True, mother_surname), True),
                (Relationship.STEP_PARENT, *person(False), False),
            ]
        return [
            (Relationship.MOTHER, *person(True, mother_surname), True),
            (Relationship.GRANDPARENT, *person(True), False),
        ]
    shape = rng.random()
    if shape < 0.72:
        return [(Relationship.MOTHER, *person(True, mother_surname), True)]
    if shape < 0.85:
        return [(Relationship.FATHER, *person(False, family.surname), True)]
    if shape < 0.95:
        return [(Relationship.GRANDPARENT, *person(rng.random() < 0.7, family.surname), True)]
    return [(Relationship.CARER, *person(True), True)]


def _title(rng, female):
    if rng.random() < 0.03:
        return "Dr"
    if not female:
        return "Mr"
    return rng.choices(["Mrs", "Ms", "Miss"], weights=[6, 3, 1])[0]


# Small helpers ---------------------------------------------------------------------------
