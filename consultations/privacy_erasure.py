"""What erasing a guardian's record (privacy/erasure/) does to their consultation answers:
what they wrote in their own words is cleared; the choices they ticked stay, counted in the
results without a name."""

from privacy.erasure.steps import register_guardian_erasure_step

from .models import Answer


def written_answers_clear(guardian) -> int:
    return Answer.objects.filter(response__guardian=guardian).exclude(text="").update(text="")


register_guardian_erasure_step(
    "consultations_written_answers",
    written_answers_clear,
    erases="What they wrote in their own words in answer to the school's consultations.",
    keeps="The choices they ticked in consultations, still counted in the results.",
    order=20,
)
