"""A term of homework for the demo school (`manage.py seed_demo`), registered with
school's demo builder in `HomeworkConfig.ready()`.

Each class sets homework at the frequency of the default policy (seed 002: KS3 English,
maths and science weekly, other KS3 subjects fortnightly; KS4 and KS5 weekly in the core
subjects and fortnightly in the others), on its own lesson day, due a week later at 08:30
or in the next lesson. Past work has the outcomes a school sees: most handed in (some
late, a few on paper), the rest still outstanding (the misses the sanctions app records),
and most older work marked, with feedback, and returned.

Everything comes from the `rng` school's builder hands over and from dates relative to the
academic year and `today`, so the same seed on the same day builds the same homework.
Rows go in with `bulk_create`, assignments in chunks so memory stays flat."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from school.models import HalfTerm, NonSchoolDay, Pupil, TeachingGroup, User

from .formatting import instructions_to_html
from .models import (
    Assignment,
    CalendarFeed,
    FrequencyRule,
    Homework,
    KeyStagePolicy,
    SchemeOfWorkUnit,
)
from .services import CORE_SUBJECT_CODES, policy_defaults_create

TEACHER_EMAIL = "teacher@demo.school"
HISTORY_WEEKS = 14  # at most a term of past homework, however late in the year
DUE_TIME = time(8, 30)
LESSON_TIMES = [time(9, 0), time(10, 5), time(11, 25), time(13, 40), time(14, 45)]
CHUNK = 5000
Online, Paper = Homework.SubmissionMode.ONLINE, Homework.SubmissionMode.PAPER


@dataclass(frozen=True)
class Task:
    title: str
    instructions: str
    alternative: str = ""  # shown to EAL pupils (and SEN pupils where `sen`)
    sen: bool = False
    mode: str = Online
    minutes: int | None = None
    link: str = ""


T = Task
BITESIZE = "https://www.bbc.co.uk/bitesize"

# subject code -> key stage -> [(scheme-of-work unit, [tasks])]. "{n}" in a title or the
# instructions counts up each time a class sets that task (chapter 4, chapter 5...).
TASKS = {
    "En": {
        3: [
            (
                "Holes by Louis Sachar",
                [
                    T(
                        "Read chapter {n} of Holes and answer the questions",
                        "Read chapter {n} of *Holes*. Then answer in full sentences:\n\n"
                        "1. What happens to Stanley in this chapter?\n"
                        "2. Find one quotation that shows how Stanley feels and explain it.\n"
                        "3. What do you think will happen next? Why?",
                        alternative="Listen to chapter {n} of *Holes* on the audiobook while "
                        "you read. Use the sentence starters:\n\n"
                        "- In this chapter Stanley ...\n"
                        "- I think Stanley feels ... because ...\n"
                        "- Next I think ... will happen.",
                        minutes=30,
                    ),
                    T(
                        "Holes: a character profile of Zero",
                        "Make a character profile of Zero: what he looks like, what he "
                        "does, what other characters say about him. Back up each point "
                        "with a short quotation.",
                    ),
                ],
            ),
            (
                "Writing to describe",
                [
                    T(
                        "Descriptive writing: a market at night",
                        "Write about 250 words describing a market at night. Use at least "
                        "three senses, one simile and one metaphor. Underline your best "
                        "sentence.",
                        alternative="Write 8-10 sentences describing a market at night. "
                        "Use the word bank: *glowing, sizzling, crowded, echo, fragrant, "
                        "shadows*. Start with: *As the sun went down, the market ...*",
                    ),
                    T(
                        "Spellings: learn list {n}",
                        "Learn this week's spellings (list {n} on the English page) with "
                        "look, say, cover, write, check. We will test them next lesson.",
                        minutes=20,
                    ),
                ],
            ),
            (
                "Poetry from other cultures",
                [
                    T(
                        "Poetry: annotate 'Presents from my Aunts in Pakistan'",
                        "Annotate the poem on the sheet: circle the clothes and colours, "
                        "underline words about feeling different, and write two questions "
                        "you would ask the poet.",
                    ),
                ],
            ),
        ],
        4: [
            (
                "An Inspector Calls",
                [
                    T(
                        "An Inspector Calls: Mr Birling's speech in Act 1",
                        "Reread Mr Birling's speech to Eric and Gerald. Write a paragraph: "
                        "how does Priestley use dramatic irony to make the audience "
                        "distrust Birling? Use at least two quotations.",
                        minutes=45,
                    ),
                    T(
                        "An Inspector Calls: quotation bank for Sheila",
                        "Find six quotations that show how Sheila changes across the play. "
                        "For each, write one sentence on what it shows.",
                    ),
                ],
            ),
            (
                "Macbeth",
                [
                    T(
                        "Macbeth: how does Lady Macbeth persuade Macbeth in Act 1 Scene 7?",
                        "Answer in one PETAL paragraph. Look closely at *When you durst do "
                        "it, then you were a man*.",
                        minutes=45,
                    ),
                ],
            ),
            (
                "Language Paper 1",
                [
                    T(
                        "Language Paper 1, Question 2: language analysis practice",
                        "Complete Question 2 on the extract (8 marks, about 12 minutes in "
                        "the exam). Name the methods and explain their effect.",
                        minutes=30,
                        link=BITESIZE,
                    ),
                ],
            ),
        ],
        5: [
            (
                "The Great Gatsby",
                [
                    T(
                        "The Great Gatsby: chapter {n} reading log",
                        "Read chapter {n}. In your reading log note three key moments, "
                        "two quotations on the American Dream and one question for the "
                        "seminar.",
                        minutes=60,
                    ),
                    T(
                        "Critical essay plan: Nick as narrator",
                        "Plan an essay: *How reliable is Nick Carraway as a narrator?* "
                        "Thesis, three sections with evidence, and one critic.",
                        minutes=60,
                    ),
                ],
            ),
            (
                "Unseen poetry",
                [
                    T(
                        "Unseen poetry: comparison practice",
                        "Compare the two poems on the sheet in 600 words, focusing on how "
                        "each poet presents memory.",
                        minutes=60,
                    ),
                ],
            ),
        ],
    },
    "Ma": {
        3: [
            (
                "Fractions",
                [
                    T(
                        "Fractions: equivalent fractions practice",
                        "Complete the equivalent fractions worksheet, questions 1-20. Show "
                        "what you multiplied or divided by.",
                        alternative="Complete questions 1-10 with the fraction wall to "
                        "help you. Key words: *numerator, denominator, equivalent*.",
                        sen=True,
                        minutes=30,
                        link="https://corbettmaths.com",
                    ),
                    T(
                        "Fractions: adding and subtracting with different denominators",
                        "Questions 1-15 on the sheet. Find a common denominator first and "
                        "simplify your answers.",
                        minutes=30,
                    ),
                ],
            ),
            (
                "Algebra: expressions",
                [
                    T(
                        "Simplifying expressions: collecting like terms",
                        "Simplify each expression (questions 1-20). Then write two "
                        "expressions of your own that simplify to 5a + 3b.",
                        minutes=30,
                    ),
                    T(
                        "Expanding single brackets",
                        "Expand the brackets, questions 1-18. Challenge: expand and "
                        "simplify 3(x + 4) - 2(x - 1).",
                        minutes=30,
                    ),
                ],
            ),
            (
                "Ratio and percentages",
                [
                    T(
                        "Ratio: sharing in a given ratio",
                        "Share each amount in the ratio given (questions 1-12) and check "
                        "your parts add up to the total.",
                        minutes=30,
                    ),
                    T(
                        "Percentages of amounts without a calculator",
                        "Find 10%, 5% and 1% first, then build the percentage you need. "
                        "Questions 1-16.",
                        minutes=30,
                        link="https://corbettmaths.com",
                    ),
                ],
            ),
        ],
        4: [
            (
                "Quadratics",
                [
                    T(
                        "Solving quadratics by factorising",
                        "Factorise and solve questions 1-15. Check each answer by "
                        "substituting it back.",
                        minutes=40,
                    ),
                    T(
                        "Completing the square",
                        "Write each quadratic in the form (x + p)² + q and state the "
                        "turning point. Questions 1-10.",
                        minutes=40,
                    ),
                ],
            ),
            (
                "Trigonometry",
                [
                    T(
                        "SOHCAHTOA: finding missing sides",
                        "Label the sides (O, A, H) before choosing the ratio. Questions "
                        "1-12, answers to 1 decimal place.",
                        minutes=40,
                        link=BITESIZE,
                    ),
                ],
            ),
            (
                "Probability",
                [
                    T(
                        "Probability: tree diagrams",
                        "Draw a tree diagram for each question (1-8), then multiply along "
                        "the branches.",
                        minutes=40,
                    ),
                ],
            ),
        ],
        5: [
            (
                "Calculus",
                [
                    T(
                        "Differentiation from first principles",
                        "Exercise 9A, questions 1-6. Show every limit step.",
                        minutes=60,
                    ),
                    T(
                        "Integration by substitution",
                        "Exercise 11C, odd-numbered questions.",
                        minutes=60,
                    ),
                ],
            ),
            (
                "Algebra and functions",
                [
                    T(
                        "Binomial expansion practice",
                        "Exercise 4B, questions 1-10, then the exam question on the sheet.",
                        minutes=60,
                    ),
                ],
            ),
        ],
    },
    "Sc": {
        3: [
            (
                "Cells",
                [
                    T(
                        "Cells: label an animal cell and a plant cell",
                        "Draw and label both cells. Under each, list the parts and what "
                        "they do. Which parts does only the plant cell have?",
                        alternative="Label the cells on the sheet using the word bank: "
                        "*nucleus, cytoplasm, cell membrane, cell wall, chloroplast, "
                        "vacuole*.",
                        sen=True,
                        minutes=30,
                    ),
                ],
            ),
            (
                "Particles and reactions",
                [
                    T(
                        "Particle model: solids, liquids and gases",
                        "Draw the particles in a solid, a liquid and a gas. Explain melting "
                        "and boiling in terms of particles.",
                        minutes=30,
                    ),
                    T(
                        "Chemical reactions: word equations",
                        "Write word equations for the six reactions on the sheet and "
                        "name the reactants and products.",
                        minutes=30,
                    ),
                ],
            ),
            (
                "Forces and energy",
                [
                    T(
                        "Forces: balanced and unbalanced",
                        "For each picture decide whether the forces are balanced. Explain "
                        "what happens to the object's motion.",
                        minutes=30,
                        link=BITESIZE,
                    ),
                    T(
                        "Energy stores and transfers",
                        "Describe the energy stores and transfers for a kettle, a "
                        "bouncing ball and a wind turbine.",
                        minutes=30,
                    ),
                ],
            ),
        ],
        4: [
            (
                "Chemistry: rates and electrolysis",
                [
                    T(
                        "Required practical write-up: rates of reaction",
                        "Write up the practical: method, results table, graph, and a "
                        "conclusion using collision theory.",
                        minutes=50,
                    ),
                    T(
                        "Electrolysis: half equations",
                        "Complete the half equations on the sheet for the electrolysis of "
                        "molten salts and brine.",
                        minutes=40,
                    ),
                ],
            ),
            (
                "Biology: infection and response",
                [
                    T(
                        "Infection and response: revision mind map",
                        "Make a mind map of pathogens, the body's defences and vaccination. "
                        "Then try the 6-mark question.",
                        minutes=40,
                    ),
                ],
            ),
            (
                "Physics: motion",
                [
                    T(
                        "Speed, distance and time calculations",
                        "Questions 1-12. Write the equation, substitute, then give the "
                        "answer with units.",
                        minutes=40,
                    ),
                ],
            ),
        ],
        5: [
            (
                "Biological molecules",
                [
                    T(
                        "Enzyme kinetics: exam questions",
                        "Complete the four exam questions on enzyme rate graphs and mark "
                        "them with the scheme in red pen.",
                        minutes=60,
                    ),
                ],
            ),
            (
                "Amount of substance",
                [
                    T(
                        "Moles and titration calculations",
                        "Worksheet 3: questions 1-8. Give answers to 3 significant figures.",
                        minutes=60,
                    ),
                ],
            ),
        ],
    },
    "Hi": {
        3: [
            (
                "The Norman Conquest",
                [
                    T(
                        "The Norman Conquest: why did William win at Hastings?",
                        "Write a paragraph on each of luck, William's leadership and "
                        "Harold's mistakes. Which mattered most? Explain.",
                        alternative="Sort the reasons on the sheet into *luck*, "
                        "*William's skill* and *Harold's mistakes*, then finish: *I think "
                        "the most important reason was ... because ...*",
                    ),
                    T(
                        "Medieval castles: source analysis",
                        "Study Source A (a motte and bailey castle). What does it tell us "
                        "about how the Normans controlled England?",
                    ),
                ],
            ),
            (
                "The Tudors",
                [
                    T(
                        "Henry VIII's break with Rome",
                        "Explain three reasons why Henry VIII broke with the Catholic "
                        "Church. Use the timeline from the lesson.",
                    ),
                ],
            ),
            (
                "Migration to Britain",
                [
                    T(
                        "The Windrush generation: interview questions",
                        "Write five questions you would ask someone who came to Britain on "
                        "the Empire Windrush in 1948, and say why each matters.",
                    ),
                ],
            ),
        ],
        4: [
            (
                "Medicine through time",
                [
                    T(
                        "John Snow and the Broad Street pump",
                        "Explain why John Snow's work in 1854 was important (8 marks). "
                        "Use specific detail.",
                        minutes=45,
                    ),
                ],
            ),
            (
                "Weimar and Nazi Germany",
                [
                    T(
                        "Weimar Germany: the hyperinflation crisis of 1923",
                        "Describe two problems hyperinflation caused for Germans (4 marks) "
                        "and explain why it happened (12 marks).",
                        minutes=50,
                    ),
                ],
            ),
        ],
        5: [
            (
                "Russia 1894-1941",
                [
                    T(
                        "Essay plan: causes of the February Revolution",
                        "Plan a 25-mark essay: *The First World War was the main cause of "
                        "the February Revolution.* Assess the view.",
                        minutes=60,
                    ),
                ],
            ),
        ],
    },
    "Gg": {
        3: [
            (
                "Map skills",
                [
                    T(
                        "Map skills: grid references and contour lines",
                        "Use the OS map extract to answer questions 1-10: four- and "
                        "six-figure grid references and reading contours.",
                        mode=Paper,
                    ),
                ],
            ),
            (
                "Rivers",
                [
                    T(
                        "Rivers: how a meander forms",
                        "Draw and label a meander. Explain erosion on the outside bend and "
                        "deposition on the inside.",
                        alternative="Label the meander diagram with the word bank: "
                        "*erosion, deposition, fast flow, slow flow, river cliff, slip-off "
                        "slope*.",
                    ),
                ],
            ),
            (
                "Weather and climate",
                [
                    T(
                        "Weather diary",
                        "Record temperature, cloud cover and rainfall each day for a week. "
                        "Describe one pattern you notice.",
                    ),
                    T(
                        "Population: push and pull factors",
                        "List four push and four pull factors for someone moving from the "
                        "countryside to a city.",
                    ),
                ],
            ),
        ],
        4: [
            (
                "Coasts",
                [
                    T(
                        "Coastal landforms: the wave-cut platform",
                        "Explain with a diagram how a wave-cut platform forms (6 marks).",
                        minutes=40,
                    ),
                ],
            ),
            (
                "Tectonic hazards",
                [
                    T(
                        "Case study: the 2015 Nepal earthquake",
                        "Make a case-study sheet: causes, primary and secondary effects, "
                        "immediate and long-term responses.",
                        minutes=50,
                    ),
                ],
            ),
        ],
        5: [
            (
                "The carbon cycle",
                [
                    T(
                        "Carbon cycle: stores and fluxes",
                        "Read pages 112-118 and make notes on the main stores and fluxes. "
                        "Then answer the 9-mark question.",
                        minutes=60,
                    ),
                ],
            ),
        ],
    },
    "Fr": {
        3: [
            (
                "Ma famille",
                [
                    T(
                        "Vocabulary: learn family members",
                        "Learn the words for family members on the sheet (*la mère, le "
                        "frère...*). We will have a quiz next lesson.",
                        minutes=20,
                    ),
                    T(
                        "Describe your family in French",
                        "Write 60-80 words in French about your family. Use *il s'appelle*, "
                        "*elle a ... ans* and one opinion.",
                    ),
                ],
            ),
            (
                "En ville",
                [
                    T(
                        "Describe your town: 80 words in French",
                        "Say what there is and isn't in your town (*il y a / il n'y a pas "
                        "de*), and what you like doing there.",
                    ),
                    T(
                        "Grammar: present tense -er verbs",
                        "Conjugate the six verbs on the sheet, then translate sentences "
                        "1-10 into French.",
                    ),
                ],
            ),
        ],
        4: [
            (
                "Holidays",
                [
                    T(
                        "Writing: a 90-word task about holidays",
                        "Write about a past holiday, what you usually do and where you "
                        "would like to go. Use three tenses.",
                        minutes=40,
                    ),
                    T(
                        "Translation practice: French to English",
                        "Translate the paragraph on the sheet into English. Watch out for "
                        "the perfect tense.",
                        minutes=30,
                    ),
                ],
            ),
        ],
    },
    "Ar": {
        3: [
            (
                "Observational drawing",
                [
                    T(
                        "Sketchbook: observational drawing of a shoe",
                        "Draw a shoe from life in your sketchbook. Spend at least 30 "
                        "minutes; use three different pencil grades for tone.",
                        mode=Paper,
                        minutes=45,
                    ),
                    T(
                        "Tonal shading practice",
                        "Complete the tonal scale and shade the three shapes on the sheet "
                        "so that they look 3D.",
                    ),
                ],
            ),
            (
                "Colour and artists",
                [
                    T(
                        "Artist research: Frida Kahlo",
                        "Make a research page on Frida Kahlo: her life, two works, and "
                        "your opinion of her use of colour.",
                        alternative="Complete the Frida Kahlo fact sheet and stick in two "
                        "pictures. Finish: *I like / don't like this painting because ...*",
                    ),
                    T(
                        "Colour theory: complementary colours",
                        "Paint or colour a colour wheel and make a small design using one "
                        "pair of complementary colours.",
                    ),
                ],
            ),
        ],
        4: [
            (
                "Coursework: natural forms",
                [
                    T(
                        "Coursework: develop your ideas in three thumbnails",
                        "Draw three thumbnail designs developing your natural forms "
                        "theme, with annotation on media and composition.",
                        mode=Paper,
                        minutes=60,
                    ),
                    T(
                        "Artist study: Yayoi Kusama",
                        "A double page on Yayoi Kusama: analysis of one work and a response "
                        "in her style.",
                        minutes=60,
                    ),
                ],
            ),
        ],
        5: [
            (
                "Personal investigation",
                [
                    T(
                        "Personal investigation: annotated photo shoot",
                        "Take 20 photographs for your investigation; choose and annotate "
                        "the best six.",
                        minutes=60,
                    ),
                ],
            ),
        ],
    },
    "Mu": {
        3: [
            (
                "Instruments of the orchestra",
                [
                    T(
                        "Listening: instruments of the orchestra",
                        "Listen to the three extracts on the music page and name the "
                        "instruments you hear and their families.",
                        minutes=20,
                    ),
                    T(
                        "Composer research: Florence Price",
                        "Find out about Florence Price and listen to her Symphony No. 1. "
                        "Write five facts and your opinion.",
                    ),
                ],
            ),
            (
                "Rhythm and keyboard",
                [
                    T(
                        "Rhythm notation worksheet",
                        "Complete the rhythm sheet: note values, rests and the bar-line puzzle.",
                        minutes=20,
                    ),
                ],
            ),
        ],
        4: [
            (
                "Composition",
                [
                    T(
                        "Composition: an 8-bar melody",
                        "Compose an 8-bar melody in C major with a clear question and "
                        "answer. Upload the notation or a recording.",
                        minutes=45,
                    ),
                ],
            ),
        ],
    },
    "PE": {
        3: [
            (
                "Healthy active lifestyles",
                [
                    T(
                        "Activity diary: one week",
                        "Record your physical activity each day for a week (what, how long, "
                        "how hard). Which day was the most active?",
                        minutes=20,
                    ),
                    T(
                        "Warm-ups: design your own",
                        "Plan a five-minute warm-up for netball or football with a pulse "
                        "raiser, stretches and a skill practice.",
                    ),
                ],
            ),
        ],
        4: [
            (
                "Anatomy and physiology",
                [
                    T(
                        "GCSE PE: the skeletal system",
                        "Label the skeleton and describe four functions of the skeleton "
                        "with a sporting example for each.",
                        minutes=40,
                    ),
                    T(
                        "GCSE PE: components of fitness",
                        "Define each component of fitness and name a test for it.",
                        minutes=40,
                    ),
                ],
            ),
        ],
    },
    "Co": {
        3: [
            (
                "Data representation",
                [
                    T(
                        "Binary: converting numbers",
                        "Convert the denary numbers on the sheet to binary and back. "
                        "Challenge: add two binary numbers.",
                        alternative="Use the binary place-value grid (128, 64, 32, 16, 8, "
                        "4, 2, 1) to convert questions 1-8.",
                        minutes=30,
                    ),
                ],
            ),
            (
                "Algorithms",
                [
                    T(
                        "Algorithms: a flowchart for making toast",
                        "Draw a flowchart with at least one decision, using the right symbols.",
                        minutes=30,
                    ),
                    T(
                        "Online safety: strong passwords",
                        "Explain what makes a password strong and design a poster with three tips.",
                    ),
                ],
            ),
        ],
        4: [
            (
                "Programming",
                [
                    T(
                        "Python: a program with a while loop",
                        "Write a number-guessing game that keeps asking until the guess "
                        "is right and counts the guesses. Paste your code.",
                        minutes=45,
                    ),
                    T(
                        "Logic gates: truth tables",
                        "Complete the truth tables for the four circuits on the sheet.",
                        minutes=30,
                    ),
                ],
            ),
        ],
        5: [
            (
                "Algorithms and complexity",
                [
                    T(
                        "Big O notation questions",
                        "State and justify the time complexity of each of the six "
                        "algorithms on the sheet.",
                        minutes=60,
                    ),
                ],
            ),
        ],
    },
    "RE": {
        3: [
            (
                "World religions",
                [
                    T(
                        "Sikhism: the langar and sewa",
                        "Explain what happens in the langar and how it shows sewa "
                        "(selfless service).",
                        alternative="Read the fact sheet about the langar and answer "
                        "questions 1-5 in full sentences.",
                    ),
                    T(
                        "Islam: the Five Pillars",
                        "Describe each of the Five Pillars and explain why one of them is "
                        "important to Muslims.",
                    ),
                ],
            ),
            (
                "Ethics",
                [
                    T(
                        "Ethics: is it ever right to lie?",
                        "Give two reasons for and two against, then your own view with a reason.",
                    ),
                ],
            ),
        ],
        4: [
            (
                "Beliefs and practices",
                [
                    T(
                        "Christian beliefs: the nature of God",
                        "Answer the 12-mark question: *God is loving.* Evaluate this "
                        "statement, with Christian teaching.",
                        minutes=45,
                    ),
                ],
            ),
        ],
        5: [
            (
                "Philosophy of religion",
                [
                    T(
                        "The cosmological argument",
                        "Read Aquinas's first three ways and write a 500-word evaluation.",
                        minutes=60,
                    ),
                ],
            ),
        ],
    },
    "DT": {
        3: [
            (
                "Designing products",
                [
                    T(
                        "Design brief: a phone stand",
                        "Write a design brief and specification (six points) for a phone "
                        "stand for a teenager.",
                    ),
                    T(
                        "Product analysis: a kitchen utensil",
                        "Analyse a utensil from home with ACCESS FM.",
                    ),
                ],
            ),
            (
                "Materials",
                [
                    T(
                        "Materials: properties of woods",
                        "Compare oak, pine and MDF: where they come from, properties and "
                        "one product each is used for.",
                    ),
                ],
            ),
        ],
        4: [
            (
                "NEA",
                [
                    T(
                        "NEA: your design specification",
                        "Write a measurable specification for your NEA product (at least "
                        "ten points).",
                        minutes=60,
                    ),
                    T(
                        "Smart materials",
                        "Describe three smart materials and a product that uses each.",
                        minutes=40,
                    ),
                ],
            ),
        ],
    },
}

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


def demo_homework_build(*, school, rng, today: date, stdout) -> None:
    """Fill one demo school with a policy, scheme-of-work units and a term of homework."""
    policy_defaults_create(school=school)
    now = timezone.now()
    calendar = _Calendar(school, today)
    if calendar.first_day is None:
        return
    groups = list(
        TeachingGroup.objects.filter(school=school)
        .select_related("subject", "year_group")
        .order_by("pk")
    )
    teacher_of = {}
    for group_id, user_id in (
        TeachingGroup.teachers.through.objects.filter(teachinggroup__school=school)
        .order_by("pk")
        .values_list("teachinggroup_id", "user_id")
    ):
        teacher_of.setdefault(group_id, user_id)
    members = defaultdict(list)
    for group_id, pupil_id in (
        TeachingGroup.pupils.through.objects.filter(teachinggroup__school=school)
        .order_by("pupil_id")
        .values_list("teachinggroup_id", "pupil_id")
    ):
        members[group_id].append(pupil_id)
    pupils = {
        pk: (eal, bool(sen), email)
        for pk, eal, sen, email in Pupil.objects.filter(school=school)
        .order_by("pk")
        .values_list("pk", "eal", "sen", "user__email")
    }
    diligence = {pk: _diligence(rng, email) for pk, (_, _, email) in pupils.items()}
    units = _units_create(school, groups)

    homeworks = []
    for group in groups:
        for set_on, due_at in _schedule(rng, calendar, group):
            homeworks.append(_homework(rng, group, teacher_of[group.pk], set_on, due_at, units))
    homeworks += _drafts(rng, school, calendar, groups, teacher_of, units)
    _render_instructions(homeworks)
    Homework.objects.bulk_create(homeworks, batch_size=1000)

    marking = {user_id: rng.uniform(0.55, 0.85) for user_id in sorted(set(teacher_of.values()))}
    total = 0
    batch = []
    for homework in homeworks:
        for pupil_id in members[homework.teaching_group_id]:
            eal, sen, _ = pupils[pupil_id]
            batch.append(
                _assignment(rng, homework, pupil_id, eal, sen, diligence[pupil_id], marking, now)
            )
        if len(batch) >= CHUNK:
            total += len(Assignment.objects.bulk_create(batch, batch_size=1000))
            batch = []
    total += len(Assignment.objects.bulk_create(batch, batch_size=1000))
    drafts = sum(1 for homework in homeworks if homework.status == Homework.Status.DRAFT)
    stdout.write(
        f"{school.name}: {len(homeworks) - drafts} homework set from "
        f"{calendar.first_day:%d/%m/%Y} to {calendar.last_day:%d/%m/%Y} ({drafts} drafts), "
        f"{total} pupil assignments.\n"
    )


def demo_homework_delete(*, schools) -> None:
    """Remove the demo schools' homework rows, which hold on to their pupils, classes and
    teachers."""
    school_ids = [school.pk for school in schools]
    in_demo = Q(school_id__in=school_ids)
    # Deleting the homework takes its assignments, attachments and handed-in files with
    # it; the collector reads only their keys.
    Homework.objects.filter(in_demo).delete()
    SchemeOfWorkUnit.objects.filter(in_demo).delete()
    FrequencyRule.objects.filter(in_demo).delete()
    KeyStagePolicy.objects.filter(in_demo).delete()
    CalendarFeed.objects.filter(user__school_id__in=school_ids).delete()


# The school calendar ----------------------------------------------------------------------


class _Calendar:
    """School days of the demo school's year, and the span of set dates to fill: from the
    first day of the first half-term (or at most HISTORY_WEEKS back) to a week after
    today, so that the coming week already has homework set."""

    def __init__(self, school, today):
        terms = list(
            HalfTerm.objects.filter(school=school)
            .order_by("start_date")
            .values_list("start_date", "end_date")
        )
        self.terms = terms
        self.zone = ZoneInfo(school.time_zone)
        self.closed = set(NonSchoolDay.objects.filter(school=school).values_list("date", flat=True))
        self.today = today
        self.first_day = self.last_day = None
        if not terms:
            return
        year_start, year_end = terms[0][0], terms[-1][1]
        last = min(max(today, year_start) + timedelta(days=7), year_end)
        self.first_day = max(year_start, last - timedelta(weeks=HISTORY_WEEKS))
        self.last_day = last

    def in_term(self, day):
        return any(start <= day <= end for start, end in self.terms)

    def is_school_day(self, day):
        return day.weekday() < 5 and day not in self.closed and self.in_term(day)

    def next_school_day(self, day):
        for _ in range(60):
            if self.is_school_day(day):
                return day
            day += timedelta(days=1)
        return day

    def teaching_weeks(self):
        """Mondays of the weeks in the span with at least one weekday in a half-term."""
        monday = self.first_day - timedelta(days=self.first_day.weekday())
        while monday <= self.last_day:
            if any(self.in_term(monday + timedelta(days=d)) for d in range(5)):
                yield monday
            monday += timedelta(weeks=1)


def _schedule(rng, calendar, group):
    """(set date, due moment) of each homework the class sets in the span."""
    weekly = group.subject.code in CORE_SUBJECT_CODES
    weekday = rng.randrange(5)
    phase = rng.randrange(2)
    reliability = rng.choice([1.0, 1.0, 1.0, 1.0, 0.9, 0.9, 0.8, 0.8, 0.65, 0.5])
    slots = []
    for week, monday in enumerate(calendar.teaching_weeks()):
        if not weekly and week % 2 != phase:
            continue
        day = monday + timedelta(days=weekday)
        while day.weekday() < 5 and not calendar.is_school_day(day):
            day += timedelta(days=1)
        if day.weekday() >= 5 or not calendar.first_day <= day <= calendar.last_day:
            continue
        if rng.random() < 0.15:  # due in the next lesson
            due_day = calendar.next_school_day(day + timedelta(days=rng.randint(2, 4)))
            due_time = rng.choice(LESSON_TIMES)
        else:
            due_day = calendar.next_school_day(day + timedelta(days=7))
            due_time = DUE_TIME
        slot = (day, datetime.combine(due_day, due_time, tzinfo=calendar.zone))
        if rng.random() < reliability:
            slots.append(slot)
        elif not slots and week >= 2:
            slots.append(slot)  # every class sets something
    return slots


# Rows -------------------------------------------------------------------------------------


def _units_create(school, groups):
    """The units of each subject and year that has classes; returns them by
    (subject id, year group id, unit title)."""
    wanted = {}
    for group in groups:
        for title, _ in TASKS.get(group.subject.code, {}).get(group.year_group.key_stage, []):
            key = (group.subject_id, group.year_group_id, title)
            wanted[key] = SchemeOfWorkUnit(
                school=school,
                subject_id=group.subject_id,
                year_group_id=group.year_group_id,
                title=title,
            )
    SchemeOfWorkUnit.objects.bulk_create(list(wanted.values()))
    return wanted


def _tasks_for(group):
    """The class's tasks in teaching order: each year starts the key stage's units at a
    different point, so that Years 7, 8 and 9 are not doing the same work."""
    units = TASKS.get(group.subject.code, {}).get(group.year_group.key_stage, [])
    if not units:
        return [("", T(f"{group.subject.name}: revision", "Revise this half-term's work."))]
    shift = group.year_group.number % len(units)
    ordered = units[shift:] + units[:shift]
    return [(title, task) for title, tasks in ordered for task in tasks]


def _homework(rng, group, teacher_id, set_on, due_at, units):
    """The class's next task; "{n}" becomes how many times the class has now set it."""
    if not hasattr(group, "demo_progress"):
        group.demo_progress = {"position": 0, "times": defaultdict(int)}
    progress = group.demo_progress
    tasks = _tasks_for(group)
    unit_title, task = tasks[progress["position"] % len(tasks)]
    progress["position"] += 1
    progress["times"][task.title] += 1
    n = str(progress["times"][task.title])
    mode = task.mode
    if mode == Online and rng.random() < 0.01:
        mode = Paper
    homework = Homework(
        school_id=group.school_id,
        teaching_group=group,
        set_by_id=teacher_id,
        status=Homework.Status.SET,
        title=task.title.replace("{n}", n),
        instructions=task.instructions.replace("{n}", n),
        alternative_instructions=task.alternative.replace("{n}", n),
        alternative_for_eal=bool(task.alternative),
        alternative_for_sen=task.sen,
        resource_links=task.link,
        set_on=set_on,
        due_at=due_at,
        estimated_minutes=_minutes(rng, task),
        submission_mode=mode,
        unit=units.get((group.subject_id, group.year_group_id, unit_title)),
    )
    return homework


def _minutes(rng, task):
    """About the task's usual time (teachers estimate a little differently), 20 to 60."""
    if task.minutes is None:
        return rng.choice([30, 40, 45, 50, 60])
    return min(60, max(20, task.minutes + rng.choice([-10, -5, 0, 0, 0, 5, 10])))


def _drafts(rng, school, calendar, groups, teacher_of, units):
    """A handful of drafts teacher@demo.school has started for the week after next."""
    teacher = User.objects.filter(school=school, email=TEACHER_EMAIL).first()
    if teacher is None:
        return []
    drafts = []
    own = [group for group in groups if teacher_of.get(group.pk) == teacher.pk]
    for offset, group in enumerate(own[:3]):
        set_on = calendar.next_school_day(calendar.today + timedelta(days=8 + offset))
        due_day = calendar.next_school_day(set_on + timedelta(days=7))
        homework = _homework(
            rng,
            group,
            teacher.pk,
            set_on,
            datetime.combine(due_day, DUE_TIME, tzinfo=calendar.zone),
            units,
        )
        homework.status = Homework.Status.DRAFT
        drafts.append(homework)
    return drafts


def _render_instructions(homeworks):
    """Markdown to sanitised HTML once per distinct text, not once per homework."""
    cache = {}
    for homework in homeworks:
        for source, target in (
            ("instructions", "instructions_html"),
            ("alternative_instructions", "alternative_instructions_html"),
        ):
            text = getattr(homework, source)
            if text not in cache:
                cache[text] = instructions_to_html(text)
            setattr(homework, target, cache[text])


def _diligence(rng, email):
    """How likely a pupil is to hand homework in: most nearly always, some often not."""
    if email == "pupil@demo.school":
        return 0.85  # the demo pupil has a little of everything in the planner
    draw = rng.random()
    if draw < 0.7:
        return rng.uniform(0.9, 0.98)
    if draw < 0.9:
        return rng.uniform(0.7, 0.85)
    return rng.uniform(0.35, 0.6)


def _assignment(rng, homework, pupil_id, eal, sen, diligence, marking, now):
    uses_alternative = bool(homework.alternative_instructions) and (
        (homework.alternative_for_eal and eal) or (homework.alternative_for_sen and sen)
    )
    assignment = Assignment(
        school_id=homework.school_id,
        homework_id=homework.pk,
        pupil_id=pupil_id,
        due_at=homework.due_at,
        uses_alternative=uses_alternative,
    )
    if homework.status != Homework.Status.SET:
        return assignment
    due = homework.due_at
    opened = datetime.combine(homework.set_on, time(16, 0), tzinfo=due.tzinfo)
    if due > now:
        online = homework.submission_mode == Online
        if online and opened < now and rng.random() < 0.25 * diligence:
            _hand_in(rng, assignment, homework, opened + (now - opened) * rng.random(), due)
        return assignment
    if rng.random() >= diligence:
        return assignment  # still not handed in: overdue
    if rng.random() < 0.1:  # late
        late_by = timedelta(hours=rng.uniform(1, 72))
        moment = min(due + late_by, now)
    else:
        moment = opened + (due - opened) * rng.uniform(0.2, 0.99)
    paper = homework.submission_mode == Paper or rng.random() < 0.02
    _hand_in(rng, assignment, homework, moment, due, paper=paper)
    if due < now - timedelta(days=7) and rng.random() < marking[homework.set_by_id]:
        marked = min(due + timedelta(days=rng.uniform(1, 6)), now)
        assignment.mark = _mark(rng, homework, diligence)
        assignment.feedback = rng.choice(
            FEEDBACK.get(homework.teaching_group.subject.code, []) + GENERAL_FEEDBACK
        )
        assignment.marked_by_id = homework.set_by_id
        assignment.marked_at = marked
        assignment.returned_at = min(marked + timedelta(hours=rng.uniform(0, 30)), now)
    return assignment


def _hand_in(rng, assignment, homework, moment, due, paper=False):
    assignment.submitted_at = moment
    assignment.is_late = moment > due
    if paper:
        assignment.status = Assignment.Status.PAPER
        return
    assignment.status = Assignment.Status.SUBMITTED
    code = homework.teaching_group.subject.code
    assignment.submission_text = rng.choice(ANSWERS.get(code, ANSWERS["En"]))
    if rng.random() < 0.75:
        assignment.confidence = rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 4, 4, 2])[0]
    if rng.random() < 0.5:
        assignment.reflection = rng.choice(REFLECTIONS)


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
