"""A consultation's results as they come in, for its leaders: counts and shares of each
answer, the scale's spread and mean, the response rate overall, by year group and by
pupil group (so the families not answering are visible), the free-text answers with the
school's tags, and the same as CSV. Names only where the consultation is not anonymous.

Each part is one query however many families answered."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from school.models import GuardianLink

from .models import Answer, Consultation, PupilGroup, Response, Tag
from .selectors import GROUP_CONDITIONS, group_condition, guardians_asked, pupils_in_audience

# Groups with fewer families asked than this show no figures (DESIGN.md: small groups
# suppressed, as in the half-term report).
SMALLEST_GROUP = 5


@dataclass
class OptionResult:
    text: str
    count: int
    share: int  # per cent of those who answered the question


@dataclass
class QuestionResult:
    question: object
    answered: int
    options: list = field(default_factory=list)  # OptionResult, in the question's order
    scale: list = field(default_factory=list)  # OptionResult for 1..5
    mean: float | None = None
    texts: list = field(default_factory=list)  # Answer rows


@dataclass
class Rate:
    label: str
    asked: int
    answered: int
    suppressed: bool = False

    @property
    def share(self) -> int:
        return round(100 * self.answered / self.asked) if self.asked else 0

    @property
    def not_answered(self) -> int:
        return self.asked - self.answered


@dataclass
class Results:
    consultation: Consultation
    overall: Rate
    by_year: list
    by_group: list
    questions: list
    tags: list
    smallest_group: int = SMALLEST_GROUP


def _share(count: int, of: int) -> int:
    return round(100 * count / of) if of else 0


def _rates(consultation: Consultation):
    answered = Exists(
        Response.objects.filter(
            consultation_id=consultation.pk, guardian_id=OuterRef("guardian_id")
        )
    )
    links = GuardianLink.objects.filter(pupil__in=pupils_in_audience(consultation)).annotate(
        answered=answered
    )
    by_year = [
        Rate(f"Year {number}", asked, done, suppressed=asked < SMALLEST_GROUP)
        for number, asked, done in links.values("pupil__year_group__number")
        .annotate(
            asked=Count("guardian_id", distinct=True),
            done=Count("guardian_id", distinct=True, filter=Q(answered=True)),
        )
        .order_by("pupil__year_group__number")
        .values_list("pupil__year_group__number", "asked", "done")
    ]
    sums = {}
    for group in GROUP_CONDITIONS:
        inside = group_condition(group, "pupil")
        sums[f"{group}_asked"] = Count("guardian_id", distinct=True, filter=inside)
        sums[f"{group}_done"] = Count(
            "guardian_id", distinct=True, filter=inside & Q(answered=True)
        )
    totals = links.aggregate(**sums)
    by_group = []
    for group in GROUP_CONDITIONS:
        asked, done = totals[f"{group}_asked"], totals[f"{group}_done"]
        by_group.append(
            Rate(PupilGroup(group).label, asked, done, suppressed=asked < SMALLEST_GROUP)
        )
    return by_year, by_group


def results_for(consultation: Consultation) -> Results:
    """The page's figures (its questions and options prefetched)."""
    asked = guardians_asked(consultation)
    overall_asked = asked.count()
    overall_done = Response.objects.filter(consultation=consultation, guardian__in=asked).count()
    by_year, by_group = _rates(consultation)
    answers = Answer.objects.filter(question__consultation=consultation)
    per_question = dict(
        answers.values("question_id")
        .annotate(n=Count("response_id", distinct=True))
        .values_list("question_id", "n")
    )
    per_option = dict(
        answers.filter(option__isnull=False)
        .values("option_id")
        .annotate(n=Count("pk"))
        .values_list("option_id", "n")
    )
    per_point = {
        (q, s): n
        for q, s, n in answers.filter(scale__isnull=False)
        .values("question_id", "scale")
        .annotate(n=Count("pk"))
        .values_list("question_id", "scale", "n")
    }
    texts = answers.exclude(text="").order_by("question_id", "pk")
    texts = texts.prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
    if not consultation.anonymous:
        texts = texts.select_related("response__guardian")
    texts_of = {}
    for answer in texts:
        texts_of.setdefault(answer.question_id, []).append(answer)
    questions = []
    for question in consultation.questions.all():
        answered = per_question.get(question.pk, 0)
        result = QuestionResult(question=question, answered=answered)
        if question.has_options:
            result.options = [
                OptionResult(
                    o.text, per_option.get(o.pk, 0), _share(per_option.get(o.pk, 0), answered)
                )
                for o in question.options.all()
            ]
        elif question.kind == question.Kind.SCALE:
            counts = [per_point.get((question.pk, point), 0) for point in range(1, 6)]
            result.scale = [
                OptionResult(str(point), n, _share(n, answered))
                for point, n in zip(range(1, 6), counts, strict=True)
            ]
            total = sum(counts)
            if total:
                result.mean = round(
                    sum(p * n for p, n in zip(range(1, 6), counts, strict=True)) / total, 1
                )
        else:
            result.texts = texts_of.get(question.pk, [])
        questions.append(result)
    # The school's tags, each with how many of this consultation's answers carry it.
    tags = list(
        Tag.objects.filter(school_id=consultation.school_id)
        .annotate(
            used=Count("answers", filter=Q(answers__question__consultation_id=consultation.pk))
        )
        .order_by("name")
    )
    return Results(
        consultation=consultation,
        overall=Rate("All families asked", overall_asked, overall_done),
        by_year=by_year,
        by_group=by_group,
        questions=questions,
        tags=tags,
    )


def csv_rows(consultation: Consultation):
    """One row per response (the header first): the name and times only when the
    consultation is named; each question's answer (options joined, the scale's point, the
    text and its tags)."""
    questions = list(consultation.questions.all())
    header = (
        ["Parent or carer", "First answered", "Last changed"] if not consultation.anonymous else []
    )
    header += ["Language"] + [q.text for q in questions]
    yield header
    responses = (
        Response.objects.filter(consultation=consultation)
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("option").prefetch_related("tags"),
            )
        )
        .order_by("pk")
    )
    if not consultation.anonymous:
        responses = responses.select_related("guardian")
    for response in responses:
        of_question = {}
        for answer in response.answers.all():
            if answer.option_id:
                value = answer.option.text
            elif answer.scale is not None:
                value = str(answer.scale)
            else:
                tags = ", ".join(t.name for t in answer.tags.all())
                value = f"{answer.text} [{tags}]" if tags else answer.text
            of_question.setdefault(answer.question_id, []).append(value)
        row = (
            [response.guardian.full_name, response.submitted_at, response.updated_at]
            if not consultation.anonymous
            else []
        )
        row += [response.language] + ["; ".join(of_question.get(q.pk, [])) for q in questions]
        yield row
