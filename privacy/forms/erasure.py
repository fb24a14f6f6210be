"""The reason the lead gives for erasing a guardian's record (kept in its history)."""

from school.forms_fields import reason_field

from ..erasure.services import REASON_LENGTH
from . import ReasonForm


class ErasureForm(ReasonForm):
    reason = reason_field(
        label="Why this record is erased",
        max_length=REASON_LENGTH,
        required_message="Say why the record is erased.",
        help_text="For example: removed from the pupil's contacts by the MIS, or the parent "
        "asked to be forgotten and the school has no reason to keep their details. "
        "Kept in the record's history; do not write personal details here.",
    )
