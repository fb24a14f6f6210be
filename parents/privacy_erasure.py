"""What erasing a guardian's record (privacy/erasure/) does to the parents' rows:
invitations and codes to link a child are deleted (each could bring the record back to a
login); signed agreements, weekly sign-offs and message threads stay as the school's
record of what was agreed and said, now naming the erased record."""

from privacy.erasure.steps import register_guardian_erasure_step

from .models import Invitation, LinkCode


def invitations_delete(guardian) -> int:
    invitations = Invitation.objects.filter(guardian=guardian).delete()[0]
    codes = LinkCode.objects.filter(guardian=guardian).delete()[0]
    return invitations + codes


register_guardian_erasure_step(
    "parents_invitations",
    invitations_delete,
    erases="Their invitations to set up a login and their codes to link a child.",
    keeps="Home-school agreements they signed, their weekly sign-offs and their message threads "
    "with staff: the school's record of what was agreed and said. They now show "
    "“Erased parent or carer”. The days they opened the parents' pages stay with the "
    "erased record until the retention schedule deletes them; no report counts them.",
    order=10,
)
