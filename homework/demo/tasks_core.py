"""The demo's tasks in English, maths and science, the subjects that set homework every
week: subject code -> key stage -> [(scheme-of-work unit, [tasks])]. "{n}" in a title or
the instructions counts up each time a class sets that task (chapter 4, chapter 5...)."""

from .tasks import BITESIZE, T

CORE_TASKS = {
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
}
