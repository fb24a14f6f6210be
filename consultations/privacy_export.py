"""Consultations in a guardian's subject access export (privacy/registry.py): each answer
they gave, with the consultation and the question, and whether it was anonymous."""

from privacy.registry import GUARDIAN, ExportSection, register_export_section

from .models import Answer, Response


def guardian_answers(guardian, context):
    answers = (
        Answer.objects.filter(response__guardian=guardian)
        .select_related("response__consultation", "question", "option")
        .order_by("response__submitted_at", "response_id", "question__position", "pk")
    )
    for answer in answers:
        response = answer.response
        if answer.option_id:
            value = answer.option.text
        elif answer.scale is not None:
            value = str(answer.scale)
        else:
            value = context.redact(answer.text)
        yield {
            "Consultation": response.consultation.title,
            "Anonymous": response.consultation.anonymous,
            "First answered": response.submitted_at,
            "Last changed": response.updated_at,
            "Question": answer.question.text,
            "Answer": value,
        }


register_export_section(
    ExportSection(
        key="guardian_consultation_answers",
        title="Answers to the school's consultations",
        about=GUARDIAN,
        covers=(Response, Answer),
        rows=guardian_answers,
        description="Each answer the parent or carer gave to a consultation or survey of the "
        "school, and when (anonymous ones too: the school keeps who answered so that each "
        "family answers once, but shows no name beside them).",
        order=70,
    )
)
