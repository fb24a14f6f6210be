"""The outcomes the demo's past homework has: most handed in (some late, a few on paper),
the rest still outstanding, and most older work marked, with feedback, and returned."""

from datetime import datetime, time, timedelta

from ..models import Assignment, Homework
from .tasks import Online, Paper

ANSWERS = {
    "En": [
        "Stanley is sent to Camp Green Lake. I think he feels hopeless because he says "
        "'it wasn't his fault'.",
        "The writer uses a simile to show the market is alive: 'the stalls glowed like lanterns'.",
        "Priestley makes Birling say the Titanic is 'unsinkable', so the audience knows "
        "he is wrong about everything.",
    ],
    "Ma": [
        "Q1 2/3 = 4/6 = 8/12\nQ2 3/5 = 9/15\nQ3 I wasn't sure about Q14.",
        "x = 3 or x = -5. I checked by putting them back in.",
        "Answers 1-12 done, working in my book. Q8 = 14.2 cm",
    ],
    "Sc": [
        "Plant cells have a cell wall, chloroplasts and a big vacuole but animal cells do not.",
        "When a solid melts the particles get more energy and vibrate more until they can "
        "move past each other.",
        "The rate increased with temperature because particles collide more often and with "
        "more energy.",
    ],
    "Hi": [
        "I think Harold's mistakes mattered most because his army was tired after Stamford Bridge.",
        "Source A shows the castle was built on a hill so the Normans could watch the land.",
    ],
    "Gg": [
        "The outside bend erodes because the water is faster there; the inside is slower "
        "so it deposits.",
        "Grid reference 452347 is the church. The contours are close together so it's steep.",
    ],
    "Fr": [
        "Dans ma famille il y a quatre personnes. Ma mère s'appelle Ada. J'aime mon frère "
        "parce qu'il est drôle.",
        "Dans ma ville il y a un parc mais il n'y a pas de cinéma.",
    ],
    "Ar": [
        "I researched Frida Kahlo. I like her self-portraits because the colours are so bright.",
        "My three thumbnails use shells, leaves and seed pods. I want to use ink next.",
    ],
    "Mu": [
        "Extract 1: violin and cello (strings). Extract 2: trumpet (brass).",
        "Florence Price was the first African American woman to have a symphony played "
        "by a major orchestra.",
    ],
    "PE": [
        "Monday 30 min football, Tuesday walk to school, Wednesday netball club.",
        "The skeleton protects organs, e.g. the skull protects the brain when heading a ball.",
    ],
    "Co": [
        "45 = 00101101, 200 = 11001000",
        "guess = 0\ncount = 0\nwhile guess != secret:\n    guess = int(input())\n    count += 1",
    ],
    "RE": [
        "In the langar everyone sits together and eats the same food, which shows that "
        "everyone is equal.",
        "Zakah is important because it helps people in need.",
    ],
    "DT": [
        "Specification: it must hold a phone at 60 degrees, cost under £3 and be made from pine.",
        "Oak is hard and strong, used for furniture. MDF is cheap and smooth, used for flat-pack.",
    ],
}
REFLECTIONS = [
    "I found the last question hard.",
    "I understood it better after rereading my notes.",
    "I ran out of time on the challenge.",
    "This was easier than last week.",
    "I asked my sister to test me.",
    "I watched the video on the class page first.",
    "I'm not sure I did question 3 right.",
    "I enjoyed this one.",
]
FEEDBACK = {
    "Ma": [
        "Well done — check your working in Q4.",
        "Good method; remember to simplify your final answers.",
        "Careful with negative numbers in Q7. Try the extension next time.",
    ],
    "En": [
        "Good use of quotations. Now explain the effect of single words.",
        "Lovely description — vary your sentence openings.",
        "Remember to link your point back to the question.",
    ],
    "Sc": [
        "Clear diagrams. Use the key words in your explanation.",
        "Good — include units in every answer.",
    ],
}
GENERAL_FEEDBACK = [
    "Well done — a thoughtful piece of work.",
    "Good effort. Add more detail to your explanations.",
    "Excellent presentation and clear ideas.",
    "Please finish the last section and show me next lesson.",
    "A good start; check spelling of key words.",
]
GRADES_KS3 = ["C", "C+", "B-", "B", "B+", "A-", "A"]
WORDS = ["Working towards", "Good", "Very good", "Excellent"]


def diligence_of(rng, email):
    """How likely a pupil is to hand homework in: most nearly always, some often not."""
    if email == "pupil@demo.school":
        return 0.85  # the demo pupil has a little of everything in the planner
    draw = rng.random()
    if draw < 0.7:
        return rng.uniform(0.9, 0.98)
    if draw < 0.9:
        return rng.uniform(0.7, 0.85)
    return rng.uniform(0.35, 0.6)


# The columns of an assignment row, in the order `assignment_row` gives them.
ASSIGNMENT_COLUMNS = [
    "school_id",
    "homework_id",
    "pupil_id",
    "due_at",
    "uses_alternative",
    "status",
    "submitted_at",
    "is_late",
    "submission_text",
    "confidence",
    "reflection",
    "mark",
    "feedback",
    "marked_by_id",
    "marked_at",
    "returned_at",
]
SET, SUBMITTED, PAPER = Assignment.Status.SET, Assignment.Status.SUBMITTED, Assignment.Status.PAPER


def assignment_row(rng, homework, pupil_id, eal, sen, diligence, marking, now) -> tuple:
    """One pupil's assignment of the homework as a tuple of ASSIGNMENT_COLUMNS (a term
    has about 100,000 of them a school: no model instances)."""
    uses_alternative = bool(homework.alternative_instructions) and (
        (homework.alternative_for_eal and eal) or (homework.alternative_for_sen and sen)
    )
    due = homework.due_at
    head = (homework.school_id, homework.pk, pupil_id, due, uses_alternative)
    blank = (SET, None, False, "", None, "", "", "", None, None, None)
    if homework.status != Homework.Status.SET:
        return head + blank
    opened = datetime.combine(homework.set_on, time(16, 0), tzinfo=due.tzinfo)
    if due > now:
        online = homework.submission_mode == Online
        if online and opened < now and rng.random() < 0.25 * diligence:
            return head + _hand_in(rng, homework, opened + (now - opened) * rng.random(), due)
        return head + blank
    if rng.random() >= diligence:
        return head + blank  # still not handed in: overdue
    if rng.random() < 0.1:  # late
        late_by = timedelta(hours=rng.uniform(1, 72))
        moment = min(due + late_by, now)
    else:
        moment = opened + (due - opened) * rng.uniform(0.2, 0.99)
    paper = homework.submission_mode == Paper or rng.random() < 0.02
    handed_in = _hand_in(rng, homework, moment, due, paper=paper)
    if due < now - timedelta(days=7) and rng.random() < marking[homework.set_by_id]:
        marked = min(due + timedelta(days=rng.uniform(1, 6)), now)
        mark = _mark(rng, homework, diligence)
        feedback = rng.choice(
            FEEDBACK.get(homework.teaching_group.subject.code, []) + GENERAL_FEEDBACK
        )
        returned = min(marked + timedelta(hours=rng.uniform(0, 30)), now)
        return head + handed_in[:6] + (mark, feedback, homework.set_by_id, marked, returned)
    return head + handed_in


def _hand_in(rng, homework, moment, due, paper=False) -> tuple:
    """status ... returned_at of a piece handed in at `moment` and not yet marked."""
    is_late = moment > due
    if paper:
        return (PAPER, moment, is_late, "", None, "", "", "", None, None, None)
    code = homework.teaching_group.subject.code
    text = rng.choice(ANSWERS.get(code, ANSWERS["En"]))
    confidence = None
    if rng.random() < 0.75:
        confidence = rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 4, 4, 2])[0]
    reflection = ""
    if rng.random() < 0.5:
        reflection = rng.choice(REFLECTIONS)
    return (SUBMITTED, moment, is_late, text, confidence, reflection, "", "", None, None, None)


def _mark(rng, homework, diligence):
    code = homework.teaching_group.subject.code
    key_stage = homework.teaching_group.year_group.key_stage
    skill = min(1.0, max(0.0, diligence + rng.uniform(-0.35, 0.15)))
    if code in ("Ma", "Sc", "Co") and key_stage < 5:
        return f"{max(2, round(skill * 10))}/10"
    if key_stage == 4:
        return f"Grade {max(1, min(9, round(skill * 9)))}"
    if key_stage == 5:
        return "EDCBAA"[min(5, int(skill * 6))]
    if code in ("Ar", "Mu", "PE", "DT"):
        return WORDS[min(3, int(skill * 4))]
    return GRADES_KS3[min(6, int(skill * 7))]
