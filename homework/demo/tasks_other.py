"""The demo's tasks in the other subjects, set every fortnight in KS3 (the same shape as
tasks_core.py)."""

from .tasks import Paper, T

OTHER_TASKS = {
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
