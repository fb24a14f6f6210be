"""The numbers that shape a demo school: its size, houses, subjects, group sizes and the
shares of pupils with each flag."""

DEFAULT_SEED = 2026
DEFAULT_PUPILS = 300
MIN_PUPILS = 30  # enough for pupil@ in Year 7 and a sibling in Year 10
MAX_PUPILS = 3000  # at most 20 tutor groups a year, 7A to 7W
MAX_SCHOOLS = 50

HOUSES = ["Brunel", "Curie", "Darwin", "Seacole"]
SUBJECTS = [
    ("English", "En"),
    ("Maths", "Ma"),
    ("Science", "Sc"),
    ("History", "Hi"),
    ("Geography", "Gg"),
    ("French", "Fr"),
    ("Art", "Ar"),
    ("Music", "Mu"),
    ("Physical Education", "PE"),
    ("Computing", "Co"),
    ("Religious Education", "RE"),
    ("Design & Technology", "DT"),
]
# Taught in sets (shuffled); the other subjects are taught in tutor-group order.
SET_SUBJECTS = ("En", "Ma", "Sc")
# Sixth-form subjects and how popular each is; every student takes three.
KS5_SUBJECTS = {
    "Ma": 1.5,
    "Sc": 1.5,
    "En": 1.0,
    "Hi": 1.0,
    "Gg": 0.8,
    "Co": 0.8,
    "Ar": 0.7,
    "RE": 0.7,
}
# Heads of year and of house each teach a couple of groups of one of these.
PASTORAL_SUBJECTS = ["Hi", "Gg", "PE", "RE", "En", "Sc", "Fr", "Co", "Ar", "Mu", "DT"]
YEAR_WEIGHTS = {7: 1.0, 8: 1.0, 9: 1.0, 10: 1.0, 11: 1.0, 12: 0.6, 13: 0.6}
MAX_GROUP_SIZE = 28
MAX_TEACHER_LOAD = 8
DEMO_TEACHER_YEARS = (7, 8, 10)
LSA_COUNT = 4
SENIOR_LEADER_COUNT = 2

# Proportions from the seed school (seed 001).
FSM_SHARE = 0.59
PP_SHARE = 0.61
EAL_SHARE = 0.84
SEN_SHARE = 0.52
EHCP_SHARE = 0.04
YOUNG_CARER_SHARE = 0.04
LOOKED_AFTER_SHARE = 0.01
TRAVEL_NOTE_SHARE = 0.05
SIBLING_SHARE = 0.15
TWO_GUARDIAN_SHARE = 0.6
