"""`manage.py seed_demo` publishes the demo school's home-school agreement with about 70%
of families signed (parents/demo.py, registered with school's demo builder), leaves
parent@demo.school's two children unsigned so the demo persona can sign for both, and
--reset rebuilds it."""

from io import StringIO

import pytest
from django.core.management import call_command

from parents.agreements.signing import signatures_record
from parents.agreements.versions import agreement_current
from parents.models import Agreement, PupilAcknowledgement, Signature
from school.demo import demo_extensions
from school.models import Guardian, GuardianLink, Pupil, School, User

from .test_agreements import NOW, SIGN, now  # noqa: F401 (now: the clock)

pytestmark = pytest.mark.django_db


def seed(*args, pupils=60):
    out = StringIO()
    call_command("seed_demo", "--pupils", str(pupils), "--force", *args, stdout=out)
    return out.getvalue()


def test_parents_is_registered_after_homework_and_sanctions():
    names = [extension.name for extension in demo_extensions()]
    assert "parents" in names
    assert names.index("parents") > names.index("sanctions") > names.index("homework")


def test_the_demo_school_has_a_published_agreement_signed_by_most_families(client):
    output = seed()
    school = School.objects.get(slug="demo")
    agreement = agreement_current(school.pk, NOW.date())
    assert agreement is not None
    assert (agreement.version, agreement.status) == (1, Agreement.Status.PUBLISHED)
    assert "homework is done" in agreement.parent_commitments
    assert "home-school agreement published" in output

    pupils = Pupil.objects.filter(school=school).count()
    signed = Signature.objects.filter(agreement=agreement).values("pupil").distinct().count()
    assert 0.55 <= signed / pupils <= 0.85
    signature = Signature.objects.filter(agreement=agreement).select_related("guardian").first()
    # The demo's only guardian login stays parent@: other families signed from accounts
    # since closed, and each signature belongs to their guardian record.
    assert not signature.signed_by.is_active
    assert signature.signed_by.last_name == signature.guardian.last_name
    assert list(
        Guardian.objects.filter(user__isnull=False).values_list("user__email", flat=True)
    ) == ["parent@demo.school"]
    assert signature.typed_name and signature.ip_address and signature.user_agent
    assert signature.signed_at <= NOW
    assert PupilAcknowledgement.objects.filter(agreement=agreement).exists()

    parent = User.objects.get(email="parent@demo.school")
    children = GuardianLink.objects.filter(guardian__user=parent).values_list("pupil", flat=True)
    assert len(children) == 2
    assert not Signature.objects.filter(pupil__in=children).exists()

    client.force_login(parent)
    page = client.get(SIGN)
    entry = page.context["page"][0][0]
    assert entry.agreement == agreement
    assert len(entry.to_sign) == 2
    response = client.post(
        SIGN,
        {
            "agreement": agreement.pk,
            "pupils": list(children),
            "typed_name": f"{parent.first_name} {parent.last_name}",
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    assert Signature.objects.filter(pupil__in=children).count() == 2


def test_reset_rebuilds_the_agreement_and_signatures(client):
    seed(pupils=40)
    before = Signature.objects.count()
    parent = User.objects.get(email="parent@demo.school")
    agreement = Agreement.objects.get()
    child = GuardianLink.objects.filter(guardian__user=parent).first().pupil
    signatures_record(
        user=parent,
        agreement=agreement,
        pupil_ids=[child.pk],
        typed_name="Grace Okafor",
        ip_address=None,
        user_agent="",
    )
    seed("--reset", pupils=40)
    assert Agreement.objects.count() == 1
    assert Signature.objects.count() == before
