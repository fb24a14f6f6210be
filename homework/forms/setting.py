"""Setting homework: the form (for several of the teacher's classes at once, the whole
class or chosen pupils, an alternative version, a scheme-of-work unit, attachments), and
what its workload panel is asked about."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from school import params
from school.forms_fields import date_field, text_field, time_field

from ..models import Homework
from ..selectors.setting import non_school_day_reason
from ..services.setting import HomeworkDetails
from .uploads import ALLOWED_UPLOAD_DESCRIPTION, MAX_UPLOAD_FILES, AttachmentsField

UK_DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
INSTRUCTIONS_MAX_LENGTH = 20000
LINKS_MAX_LENGTH = 5000
HELP_MAX_LENGTH = 2000
DEFAULT_DUE_TIME = time(8, 30)


def parse_uk_date(value) -> date | None:
    """The date typed, or None (also for a year no school could mean: see school.params)."""
    return params.parse_date(value, UK_DATE_INPUT_FORMATS)


class PupilIdsField(forms.TypedMultipleChoiceField):
    """Pupils ticked on a checklist. Pupils of classes no longer ticked are dropped by the
    form rather than refused, so unticking a class never traps the teacher in an error."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(coerce=int, required=False, **kwargs)

    def valid_value(self, value):
        return str(value).isdigit()


class HomeworkForm(forms.Form):
    """Setting homework for one or more of the teacher's classes, or editing one class's
    homework (`homework`). The caller passes the teacher's classes, the pupils of the
    classes ticked, and the scheme-of-work units of those subjects and years."""

    WHOLE_CLASS, CHOSEN_PUPILS = "whole", "chosen"

    teaching_groups = forms.TypedMultipleChoiceField(
        label="Classes",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one of your classes.",
            "invalid_choice": "You can set homework only for classes you teach.",
        },
    )
    audience = forms.ChoiceField(
        label="Whole class or chosen pupils",
        choices=[(WHOLE_CLASS, "The whole class"), (CHOSEN_PUPILS, "Only the pupils I choose")],
        initial=WHOLE_CLASS,
        error_messages={"required": "Choose who it is for."},
        widget=forms.RadioSelect,
    )
    pupils = PupilIdsField(label="Pupils")
    title = text_field(label="Title", max_length=200, required_message="Give the homework a title.")
    instructions = text_field(
        label="Instructions",
        max_length=INSTRUCTIONS_MAX_LENGTH,
        rows=8,
        help_text=(
            "Markdown: **bold**, *italic*, a line starting “- ” for a bulleted list, “1. ” "
            "for a numbered one, and [words](https://example.org) for a link."
        ),
        required_message="Write the instructions pupils will follow.",
    )
    resource_links = text_field(
        label="Resource links",
        max_length=LINKS_MAX_LENGTH,
        required=False,
        rows=3,
        help_text="One web address per line, starting with https:// (or http://).",
    )
    help_at_home = text_field(
        label="How you can help at home (English)",
        max_length=HELP_MAX_LENGTH,
        required=False,
        rows=3,
        help_text=(
            "Optional. A few plain words for parents: what to ask, what to look for, how to "
            "encourage. Parents see it next to the task."
        ),
    )
    help_at_home_pl = text_field(
        label="In Polish (optional)", max_length=HELP_MAX_LENGTH, required=False, rows=3
    )
    help_at_home_ur = text_field(
        label="In Urdu (optional)", max_length=HELP_MAX_LENGTH, required=False, rows=3
    )
    help_at_home_pl.widget.attrs["lang"] = "pl"
    help_at_home_ur.widget.attrs.update({"lang": "ur", "dir": "rtl"})
    attachments = AttachmentsField(
        label="Attach files",
        help_text=(
            f"Up to {MAX_UPLOAD_FILES} files, each at most 10 MB: {ALLOWED_UPLOAD_DESCRIPTION}."
        ),
    )
    remove_attachments = forms.TypedMultipleChoiceField(
        label="Remove attachments",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    keep_attachments = forms.TypedMultipleChoiceField(
        label="Attachments to set again",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    set_on = date_field(label="Set date", required_message="Enter the date you set it.")
    due_on = date_field(label="Due date", required_message="Enter the date it is due.")
    due_time = time_field(
        label="Due time",
        help_text="UK time, on the 24-hour clock.",
        required_message="Enter the time it is due.",
    )
    estimated_minutes = forms.IntegerField(
        label="Estimated time (minutes)",
        min_value=1,
        max_value=600,
        help_text="How long a typical pupil should spend: 1 to 600 minutes.",
        error_messages={
            "required": "Estimate how many minutes it should take.",
            "invalid": "Enter the estimated time as a whole number of minutes.",
            "min_value": "Estimate at least 1 minute.",
            "max_value": "Estimate at most 600 minutes (10 hours).",
        },
    )
    submission_mode = forms.ChoiceField(
        label="How pupils hand it in",
        choices=Homework.SubmissionMode.choices,
        initial=Homework.SubmissionMode.ONLINE,
        error_messages={"required": "Choose how pupils hand it in."},
        widget=forms.RadioSelect,
    )
    unit = forms.TypedChoiceField(
        label="Scheme-of-work unit", coerce=int, empty_value=None, required=False
    )
    new_unit_title = text_field(
        label="Or a new unit",
        max_length=200,
        required=False,
        help_text="Type a title to add a unit for this subject and year; it is kept for next time.",
    )
    alternative_instructions = text_field(
        label="Alternative instructions",
        max_length=INSTRUCTIONS_MAX_LENGTH,
        required=False,
        rows=5,
        help_text="Markdown, as above. The pupils you pick below see this version instead.",
    )
    alternative_for_eal = forms.BooleanField(
        label="Pupils with English as an additional language (EAL)", required=False
    )
    alternative_for_sen = forms.BooleanField(
        label="Pupils with special educational needs (SEN)", required=False
    )
    alternative_for_young_carers = forms.BooleanField(label="Young carers", required=False)
    alternative_pupils = PupilIdsField(label="And these pupils")
    confirm_non_school_day = forms.BooleanField(label="Set it anyway", required=False)

    def __init__(
        self,
        *args,
        school_id: int,
        groups=(),
        pupils_by_group=(),
        units=(),
        homework: Homework | None = None,
        copy_from: Homework | None = None,
        now: datetime | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.school_id = school_id
        self.groups = list(groups)
        self.pupils_by_group = list(pupils_by_group)
        self.units = {unit.pk: unit for unit in units}
        self.homework = homework
        self.now = now or timezone.now()
        self.due_warning = ""
        if homework:
            del self.fields["teaching_groups"]
            del self.fields["keep_attachments"]
            self.fields["remove_attachments"].choices = [
                (a.pk, a.original_name) for a in homework.attachments.all()
            ]
        else:
            del self.fields["remove_attachments"]
            self.fields["teaching_groups"].choices = [
                (
                    group.pk,
                    f"{group.name}: {group.subject.name}, Year {group.year_group.number}, "
                    f"{group.pupil_count} pupil{'s' if group.pupil_count != 1 else ''}",
                )
                for group in self.groups
            ]
            if copy_from is not None:
                self.fields["keep_attachments"].choices = [
                    (a.pk, a.original_name) for a in copy_from.attachments.all()
                ]
            else:
                del self.fields["keep_attachments"]
        self.fields["unit"].choices = self._unit_choices()

    def _unit_choices(self):
        by_course = {}
        for unit in self.units.values():
            course = f"{unit.subject.name}, Year {unit.year_group.number}"
            # Each option names its course too: units of the same title in two years are
            # told apart once chosen, when the group heading no longer shows.
            by_course.setdefault(course, []).append((unit.pk, f"{unit.title} ({course})"))
        return [("", "No unit")] + [
            (course, sorted(units, key=lambda choice: choice[1].lower()))
            for course, units in sorted(by_course.items())
        ]

    @classmethod
    def initial_from(cls, homework: Homework, *, pupil_ids=None, alternative_ids=()) -> dict:
        """The form's starting values from an existing homework (to edit or set again)."""
        due = timezone.localtime(homework.due_at)
        return {
            "audience": cls.WHOLE_CLASS if homework.whole_group else cls.CHOSEN_PUPILS,
            "pupils": list(pupil_ids or []),
            "title": homework.title,
            "instructions": homework.instructions,
            "resource_links": homework.resource_links,
            "help_at_home": homework.help_at_home,
            "help_at_home_pl": homework.help_at_home_pl,
            "help_at_home_ur": homework.help_at_home_ur,
            "set_on": homework.set_on,
            "due_on": due.date(),
            "due_time": due.time().replace(second=0, microsecond=0),
            "estimated_minutes": homework.estimated_minutes,
            "submission_mode": homework.submission_mode,
            "unit": homework.unit_id,
            "alternative_instructions": homework.alternative_instructions,
            "alternative_for_eal": homework.alternative_for_eal,
            "alternative_for_sen": homework.alternative_for_sen,
            "alternative_for_young_carers": homework.alternative_for_young_carers,
            "alternative_pupils": list(alternative_ids),
        }

    def keep_posted_values(self, data) -> None:
        """Show the posted values without checking them (for "Show pupils" and "Check
        workload"): the form stays unbound, so no errors are shown yet."""
        for name, field in self.fields.items():
            if isinstance(field, forms.FileField):
                continue
            self.initial[name] = field.widget.value_from_datadict(data, {}, self.add_prefix(name))

    def ticked(self, name) -> set[int]:
        """The ids ticked on a checklist, as the page shows them."""
        if self.is_bound:
            return set(params.parse_ids(self.data.getlist(self.add_prefix(name))))
        return set(params.parse_ids(self.initial.get(name) or []))

    @property
    def ticked_pupils(self) -> set[int]:
        return self.ticked("pupils")

    @property
    def ticked_alternative_pupils(self) -> set[int]:
        return self.ticked("alternative_pupils")

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.due_warning) and not self.cleaned_data.get("confirm_non_school_day")

    def clean_resource_links(self):
        lines = [line.strip() for line in self.cleaned_data["resource_links"].splitlines()]
        validate = URLValidator(schemes=["http", "https"])
        errors = []
        for number, line in enumerate(lines, start=1):
            if not line:
                continue
            try:
                validate(line)
            except ValidationError:
                errors.append(
                    ValidationError(
                        "Line %(number)d, “%(line)s”, is not a web address: start it with "
                        "https:// (or http://).",
                        code="invalid_link",
                        params={"number": number, "line": line[:100]},
                    )
                )
        if errors:
            raise ValidationError(errors)
        return "\n".join(line for line in lines if line)

    def clean(self):
        data = super().clean()
        groups = [self.homework.teaching_group] if self.homework else self._groups_from(data)
        data["groups"] = groups
        self._clean_pupils(data, groups)
        self._clean_alternative(data, groups)
        self._clean_dates(data)
        self._clean_unit(data, groups)
        self._clean_file_count(data)
        self._clean_help_at_home(data)
        return data

    def _clean_help_at_home(self, data):
        # A translation stands in for the English note, so it needs one to stand in for.
        translated = data.get("help_at_home_pl") or data.get("help_at_home_ur")
        if translated and not data.get("help_at_home") and "help_at_home" not in self.errors:
            self.add_error(
                "help_at_home",
                "Write the note in English too: parents reading another language see it "
                "where there is no translation.",
            )

    def _groups_from(self, data):
        by_id = {group.pk: group for group in self.groups}
        return [by_id[pk] for pk in data.get("teaching_groups") or [] if pk in by_id]

    def _pupils_of(self, groups) -> dict[int, set[int]]:
        wanted = {group.pk for group in groups}
        return {
            group.pk: {pupil.pk for pupil in pupils}
            for group, pupils in self.pupils_by_group
            if group.pk in wanted
        }

    def _clean_pupils(self, data, groups):
        data["pupil_ids"] = None
        if data.get("audience") != self.CHOSEN_PUPILS or not groups:
            return
        by_group = self._pupils_of(groups)
        chosen = set(data.get("pupils") or [])
        if not chosen & set().union(*by_group.values()):
            self.add_error("pupils", "Choose at least one pupil, or set it for the whole class.")
            return
        for group in groups:
            if not chosen & by_group.get(group.pk, set()):
                self.add_error(
                    "pupils",
                    f"You chose no pupils from {group.name}: choose some, or untick the class.",
                )
        data["pupil_ids"] = sorted(chosen & set().union(*by_group.values()))

    def _clean_alternative(self, data, groups):
        in_classes = set().union(set(), *self._pupils_of(groups).values())
        data["alternative_pupil_ids"] = sorted(
            set(data.get("alternative_pupils") or []) & in_classes
        )
        has_text = bool(data.get("alternative_instructions"))
        has_pupils = bool(
            data.get("alternative_for_eal")
            or data.get("alternative_for_sen")
            or data.get("alternative_for_young_carers")
            or data["alternative_pupil_ids"]
        )
        if has_pupils and not has_text:
            self.add_error(
                "alternative_instructions",
                "Write the alternative version, or untick the pupils who would get it.",
            )
        elif has_text and not has_pupils:
            self.add_error(
                "alternative_instructions",
                "Choose who gets the alternative version: EAL, SEN, young carers or chosen pupils.",
            )

    def _clean_dates(self, data):
        set_on, due_on, due_time = data.get("set_on"), data.get("due_on"), data.get("due_time")
        if not (set_on and due_on and due_time):
            return
        if due_on < set_on:
            self.add_error(
                "due_on",
                f"The due date must be on or after the set date ({set_on:%d/%m/%Y}).",
            )
            return
        due_at = timezone.make_aware(datetime.combine(due_on, due_time))
        unchanged = self.homework is not None and due_at == self.homework.due_at
        if due_at <= self.now and not unchanged:
            self.add_error(
                "due_on",
                f"{due_on:%d/%m/%Y} at {due_time:%H:%M} has already passed: choose a later "
                "due date or time.",
            )
            return
        data["due_at"] = due_at
        if not unchanged:
            self.due_warning = non_school_day_reason(school_id=self.school_id, day=due_on)

    def _clean_unit(self, data, groups):
        unit_id, new_title = data.get("unit"), data.get("new_unit_title")
        data["unit_object"] = None
        if not (unit_id or new_title) or not groups:
            return
        if unit_id and new_title:
            self.add_error("new_unit_title", "Choose an existing unit or type a new one, not both.")
            return
        courses = {(group.subject_id, group.year_group_id) for group in groups}
        if len(courses) > 1:
            self.add_error(
                "unit" if unit_id else "new_unit_title",
                "A scheme-of-work unit belongs to one subject and year: choose classes of the "
                "same subject and year, or leave the unit empty.",
            )
            return
        if unit_id:
            unit = self.units[unit_id]
            if (unit.subject_id, unit.year_group_id) not in courses:
                self.add_error(
                    "unit",
                    f"“{unit.title}” is a unit of {unit.subject.name} for Year "
                    f"{unit.year_group.number}; the classes you chose are {groups[0].subject.name}"
                    f", Year {groups[0].year_group.number}.",
                )
                return
            data["unit_object"] = unit

    def _clean_file_count(self, data):
        if "attachments" in self.errors:
            return
        new = len(data.get("attachments") or [])
        if self.homework:
            removed = set(data.get("remove_attachments") or [])
            choices = self.fields["remove_attachments"].choices
            kept = len([pk for pk, _ in choices if pk not in removed])
        else:
            kept = len(data.get("keep_attachments") or [])
        if new + kept > MAX_UPLOAD_FILES:
            self.add_error(
                "attachments",
                f"A homework can have at most {MAX_UPLOAD_FILES} files in all: you would have "
                f"{new + kept}. Remove some first.",
            )

    def details(self) -> HomeworkDetails:
        data = self.cleaned_data
        return HomeworkDetails(
            title=data["title"],
            instructions=data["instructions"],
            set_on=data["set_on"],
            due_at=data["due_at"],
            estimated_minutes=data["estimated_minutes"],
            submission_mode=data["submission_mode"],
            resource_links=data["resource_links"],
            help_at_home=data["help_at_home"],
            help_at_home_pl=data["help_at_home_pl"],
            help_at_home_ur=data["help_at_home_ur"],
            alternative_instructions=data["alternative_instructions"],
            alternative_for_eal=data["alternative_for_eal"],
            alternative_for_sen=data["alternative_for_sen"],
            alternative_for_young_carers=data["alternative_for_young_carers"],
            alternative_pupil_ids=data["alternative_pupil_ids"],
            unit=data["unit_object"],
        )


@dataclass
class WorkloadQuery:
    """What the workload panel is asked about, read leniently from a query string or a
    posted form: anything unreadable is left out rather than refused."""

    group_ids: list[int]
    pupil_ids: list[int] | None
    day: date | None
    minutes: int
    homework_id: int | None
    day_unreadable: bool = False  # a due date was typed, but not one we can read

    @classmethod
    def from_data(cls, data, *, group_ids=None) -> "WorkloadQuery":
        chosen = data.get("audience") == HomeworkForm.CHOSEN_PUPILS
        if group_ids is None:
            group_ids = params.parse_ids(data.getlist("teaching_groups"))
        day = parse_uk_date(data.get("due_on"))
        return cls(
            group_ids=list(group_ids),
            pupil_ids=params.parse_ids(data.getlist("pupils")) if chosen else None,
            day=day,
            minutes=min(params.parse_id(data.get("estimated_minutes")) or 0, 600),
            homework_id=params.parse_id(data.get("homework")),
            day_unreadable=bool(str(data.get("due_on") or "").strip()) and day is None,
        )
