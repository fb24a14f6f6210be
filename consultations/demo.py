"""The demo school's consultation (school/demo): "Homework at home", open now, asked of
every family, in English with the school's Polish and Urdu, and answered by about two in
five families (never the demo parent, who can answer it), with some free-text answers
tagged. Written with bulk inserts."""

import datetime

from django.db.models import Q
from django.utils import timezone

from school.calendar import academic_year_for
from school.demo import DEMO_LOGINS
from school.demo.rows import joins_hashed
from school.models import RoleAssignment, User

from .models import Answer, Consultation, Option, Outcome, Question, Response, Tag
from .selectors import guardians_asked

ANSWERED_SHARE = 0.4
TEXTS = {
    "title": "Homework at home: how is it going?",
    "introduction": (
        "We are reviewing our homework policy this year. Please tell us how homework works "
        "for your family: it takes about two minutes."
    ),
}
TRANSLATIONS = {
    "pl": {
        "title": "Zadania domowe: jak idzie?",
        "introduction": (
            "W tym roku przeglądamy naszą politykę zadań domowych. Prosimy, powiedz nam, jak "
            "zadania domowe sprawdzają się w Twojej rodzinie: to zajmie około dwóch minut."
        ),
    },
    "ur": {
        "title": "گھر پر ہوم ورک: کیسا جا رہا ہے؟",
        "introduction": (
            "ہم اس سال اپنی ہوم ورک پالیسی کا جائزہ لے رہے ہیں۔ "
            "براہ کرم ہمیں بتائیں کہ آپ کے خاندان "
            "کے لیے ہوم ورک کیسا ہے: اس میں تقریباً دو منٹ لگتے ہیں۔"
        ),
    },
}
# (kind, text, {language: text}, required, [(option, {language: option})], weights)
QUESTIONS = [
    (
        Question.Kind.SCALE,
        "How manageable is the amount of homework for your child?",
        {"pl": "Na ile ilość zadań domowych jest do opanowania dla Twojego dziecka?"},
        True,
        [],
        [1, 2, 4, 5, 3],
    ),
    (
        Question.Kind.SINGLE,
        "Do you know what homework your child has each week?",
        {"pl": "Czy wiesz, jakie zadania domowe ma Twoje dziecko w każdym tygodniu?"},
        True,
        [
            ("Always", {"pl": "Zawsze"}),
            ("Usually", {"pl": "Zazwyczaj"}),
            ("Rarely", {"pl": "Rzadko"}),
        ],
        [3, 5, 2],
    ),
    (
        Question.Kind.MULTIPLE,
        "What would help you support homework at home?",
        {"pl": "Co pomogłoby Ci wspierać odrabianie zadań w domu?"},
        False,
        [
            ("Homework in my language", {"pl": "Zadania w moim języku"}),
            ("A weekly summary by text message", {"pl": "Cotygodniowe podsumowanie SMS-em"}),
            ("A homework club after school", {"pl": "Klub zadań domowych po lekcjach"}),
            ("Guides on how to help", {"pl": "Poradniki, jak pomagać"}),
        ],
        [2, 3, 4, 3],
    ),
    (
        Question.Kind.TEXT,
        "Anything else you would like us to know?",
        {"pl": "Czy chcesz nam coś jeszcze powiedzieć?"},
        False,
        [],
        [],
    ),
]
COMMENTS = [
    ("Too much homework on Mondays, when my son has football.", "Homework load"),
    ("The online planner is really helpful, thank you.", "Planner"),
    ("I cannot read English well; the messages in Polish help.", "Language"),
    ("Please give more time for projects over the holidays.", "Homework load"),
    ("My daughter would go to homework club if it ran on Thursdays.", "Homework club"),
    ("Sometimes the tasks are not clear and we do not know how to help.", ""),
]
TAGS = ["Homework load", "Planner", "Language", "Homework club"]


def demo_consultations_build(*, school, rng, today, stdout=None) -> None:
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
    now = timezone.now()
    opens = today - datetime.timedelta(days=10)
    consultation = Consultation.objects.create(
        school=school,
        academic_year=year,
        **TEXTS,
        translations=TRANSLATIONS,
        opens_on=opens,
        closes_on=today + datetime.timedelta(days=4),
        anonymous=True,
        status=Consultation.Status.SENT,
        created_by=leader,
        sent_by=leader,
        sent_at=now - datetime.timedelta(days=10),
    )
    questions = Question.objects.bulk_create(
        Question(
            school=school,
            consultation=consultation,
            position=n,
            kind=kind,
            text=text,
            translations=translations,
            required=required,
        )
        for n, (kind, text, translations, required, _options, _weights) in enumerate(
            QUESTIONS, start=1
        )
    )
    options = {}
    rows = [
        Option(school=school, question=question, position=n, text=text, translations=tr)
        for question, spec in zip(questions, QUESTIONS, strict=True)
        for n, (text, tr) in enumerate(spec[4], start=1)
    ]
    for option in Option.objects.bulk_create(rows):
        options.setdefault(option.question_id, []).append(option)
    tags = {
        tag.name: tag
        for tag in Tag.objects.bulk_create(Tag(school=school, name=name) for name in TAGS)
    }

    with joins_hashed():
        guardians = list(
            guardians_asked(consultation, day=today)
            .exclude(user__email=DEMO_LOGINS["parent"])
            .order_by("pk")
            .values_list("pk", "preferred_language")
        )
    answering = [g for g in guardians if rng.random() < ANSWERED_SHARE]
    span = 10 * 24 * 3600
    responses = Response.objects.bulk_create(
        [
            Response(
                school=school,
                consultation=consultation,
                guardian_id=guardian_id,
                language=language,
                submitted_at=(
                    at := consultation.sent_at + datetime.timedelta(seconds=rng.random() * span)
                ),
                updated_at=at,
            )
            for guardian_id, language in answering
        ],
        batch_size=1000,
    )
    answers, tagged = [], []
    for response in responses:
        for question, spec in zip(questions, QUESTIONS, strict=True):
            kind, weights = spec[0], spec[5]
            base = {"school": school, "response": response, "question": question}
            if kind == Question.Kind.SCALE:
                answers.append(Answer(**base, scale=rng.choices(range(1, 6), weights)[0]))
            elif kind == Question.Kind.SINGLE:
                answers.append(Answer(**base, option=rng.choices(options[question.pk], weights)[0]))
            elif kind == Question.Kind.MULTIPLE:
                for option, weight in zip(options[question.pk], weights, strict=True):
                    if rng.random() < weight / 10:
                        answers.append(Answer(**base, option=option))
            elif rng.random() < 0.15:
                text, tag = rng.choice(COMMENTS)
                answer = Answer(**base, text=text)
                answers.append(answer)
                if tag and rng.random() < 0.7:
                    tagged.append((answer, tags[tag]))
    Answer.objects.bulk_create(answers, batch_size=2000)
    Answer.tags.through.objects.bulk_create(
        [Answer.tags.through(answer_id=a.pk, tag_id=t.pk) for a, t in tagged], batch_size=2000
    )
    if stdout is not None:
        stdout.write(
            f"{school.name}: consultation “{consultation.title}” answered by "
            f"{len(responses)} of {len(guardians) + 1} families.\n"
        )


def demo_consultations_delete(*, schools) -> None:
    in_demo = Q(school_id__in=[school.pk for school in schools])
    Outcome.objects.filter(in_demo).delete()
    Answer.objects.filter(in_demo).delete()
    Response.objects.filter(in_demo).delete()
    Consultation.objects.filter(in_demo).delete()
    Tag.objects.filter(in_demo).delete()
