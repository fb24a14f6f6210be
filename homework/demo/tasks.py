"""A task a class sets in the demo (tasks_core.py and tasks_other.py list them)."""

from dataclasses import dataclass

from ..models import Homework

Online, Paper = Homework.SubmissionMode.ONLINE, Homework.SubmissionMode.PAPER
BITESIZE = "https://www.bbc.co.uk/bitesize"


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
