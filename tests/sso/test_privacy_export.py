"""A pupil's and a guardian's subject access export hold the school accounts linked to
their login at the school, and nobody else's."""

from privacy.registry import GUARDIAN, PUPIL, ExportContext, export_sections
from sso.models import IdentityLink

from .permission_rows_setup import provider_of


def section(about, key):
    return next(s for s in export_sections(about) if s.key == key)


def test_a_pupils_export_lists_their_linked_account_only(world):
    provider = provider_of(world)
    for user, subject in ((world.pupil.user, "pupil-sub"), (world.classmate.user, "mate-sub")):
        IdentityLink.objects.create(
            school=world.school,
            provider=provider,
            user=user,
            issuer=provider.issuer,
            subject=subject,
            email=user.email,
        )

    rows = list(section(PUPIL, "pupil_sign_in_links").rows(world.pupil, ExportContext()))

    assert [(row["Their id at the service"], row["Email vouched for"]) for row in rows] == [
        ("pupil-sub", "pupil@test.school")
    ]
    assert rows[0]["Signs in with"] == "Microsoft"
    assert (
        list(section(PUPIL, "pupil_sign_in_links").rows(world.year8_pupil, ExportContext())) == []
    )


def test_a_guardians_export_lists_their_linked_account(world):
    provider = provider_of(world)
    IdentityLink.objects.create(
        school=world.school,
        provider=provider,
        user=world.parent,
        issuer=provider.issuer,
        subject="parent-sub",
        email=world.parent.email,
    )

    rows = list(section(GUARDIAN, "guardian_sign_in_links").rows(world.guardian, ExportContext()))

    assert [row["Their id at the service"] for row in rows] == ["parent-sub"]
