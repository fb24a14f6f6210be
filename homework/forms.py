"""Forms for the homework pages, and the upload checks shared by every form that takes
files (teachers' attachments and pupils' submitted work)."""

from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from school import params
from school.forms_fields import BoundedDateField

from .models import FrequencyRule, Homework
from .selectors import non_school_day_reason
from .services import HomeworkDetails, RuleEntry

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UPLOAD_FILES = 5
ALLOWED_UPLOAD_EXTENSIONS = frozenset(
    {
        "pdf", "doc", "docx", "ppt", "pptx", "xls", "xlsx", "odt", "ods", "odp",
        "txt", "png", "jpg", "jpeg", "gif", "mp3", "mp4",
    }
)  # fmt: skip
ALLOWED_UPLOAD_DESCRIPTION = (
    "PDF, Word, PowerPoint, Excel, OpenDocument, text, PNG, JPEG, GIF, MP3 or MP4"
)


def validate_upload(upload) -> None:
    """Refuse a file of a type we do not accept or larger than the limit, naming it."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in ALLOWED_UPLOAD_EXTENSIONS:
        raise ValidationError(
            "“%(name)s” is not a type of file we accept. Use %(allowed)s files.",
            code="file_type",
            params={"name": name, "allowed": ALLOWED_UPLOAD_DESCRIPTION},
        )
    if not upload.size:
        raise ValidationError(
            "“%(name)s” is empty. Choose the file again, or another one.",
            code="file_empty",
            params={"name": name},
        )
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            "“%(name)s” is too large (%(size)s): each file can be at most %(limit)d MB.",
            code="file_size",
            params={
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": MAX_UPLOAD_BYTES // (1024 * 1024),
            },
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, each checked by `validate_upload`, at most `max_files`.
    Cleans to a list (empty when nothing was chosen)."""

    def __init__(self, *args, max_files: int = MAX_UPLOAD_FILES, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not uploads:
            return super().clean(None, initial) or []
        if len(uploads) > self.max_files:
            raise ValidationError(
                "You can attach at most %(max)d files at once.",
                code="too_many_files",
                params={"max": self.max_files},
            )
        errors = []
        cleaned = []
        for upload in uploads:
            try:
                validate_upload(upload)
                upload = super().clean(upload, initial)
            except ValidationError as error:
                errors.extend(error.error_list)
            else:
                cleaned.append(upload)
        if errors:
            raise ValidationError(errors)
        return cleaned


# Marking: one pupil's row of the register.

MARK_MAX_LENGTH = 20
FEEDBACK_MAX_LENGTH = 5000


class MarkForm(forms.Form):
    """A pupil's mark or grade and written feedback. The prefix is the assignment's, so
    one POST carries every pupil's row; a row whose fields the POST leaves out keeps what
    it has rather than being wiped."""

    mark = forms.CharField(
        max_length=MARK_MAX_LENGTH,
        required=False,
        error_messages={
            "max_length": "A mark or grade can be at most %(limit_value)d characters "
            "(this one has %(show_value)d)."
        },
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "size": 6}),
    )
    feedback = forms.CharField(
        max_length=FEEDBACK_MAX_LENGTH,
        required=False,
        error_messages={
            "max_length": "Feedback can be at most %(limit_value)d characters "
            "(this has %(show_value)d)."
        },
        widget=forms.Textarea(
            attrs={"class": "form-control form-control-sm", "rows": 2, "cols": 24}
        ),
    )

    def __init__(self, data=None, *, assignment, **kwargs):
        self.assignment = assignment
        prefix = f"a{assignment.pk}"
        if data is not None:
            data = {
                f"{prefix}-{name}": data.get(f"{prefix}-{name}", getattr(assignment, name))
                for name in ("mark", "feedback")
            }
            # Browsers send a textarea's line breaks as CRLF; count and store them as one.
            data[f"{prefix}-feedback"] = data[f"{prefix}-feedback"].replace("\r\n", "\n")
        super().__init__(
            data,
            prefix=prefix,
            initial={"mark": assignment.mark, "feedback": assignment.feedback},
            **kwargs,
        )
        name = assignment.pupil.full_name
        self.fields["mark"].label = f"Mark or grade for {name}"
        self.fields["feedback"].label = f"Feedback for {name}"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] += " is-invalid"
                attrs["aria-describedby"] = f"{self[name].auto_id}-error"


# Setting homework: checking what a file really is, and the homework form.

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word, Excel, PowerPoint 97-2003
ZIP_SIGNATURE = b"PK\x03\x04"  # Office Open XML and OpenDocument files are zip archives
UPLOAD_KINDS = {
    # extension: (what we call it, the content type we store, does the start look right?)
    "pdf": ("PDF", "application/pdf", lambda head: head.startswith(b"%PDF-")),
    "doc": ("Word", "application/msword", lambda head: head.startswith(OLE_SIGNATURE)),
    "xls": ("Excel", "application/vnd.ms-excel", lambda head: head.startswith(OLE_SIGNATURE)),
    "ppt": (
        "PowerPoint",
        "application/vnd.ms-powerpoint",
        lambda head: head.startswith(OLE_SIGNATURE),
    ),
    "docx": (
        "Word",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        lambda head: head.startswith(ZIP_SIGNATURE),
    ),
    "xlsx": (
        "Excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lambda head: head.startswith(ZIP_SIGNATURE),
    ),
    "pptx": (
        "PowerPoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        lambda head: head.startswith(ZIP_SIGNATURE),
    ),
    "odt": (
        "OpenDocument text",
        "application/vnd.oasis.opendocument.text",
        lambda head: head.startswith(ZIP_SIGNATURE),
    ),
    "ods": (
        "OpenDocument spreadsheet",
        "application/vnd.oasis.opendocument.spreadsheet",
        lambda head: head.startswith(ZIP_SIGNATURE),
    ),
    "odp": (
        "OpenDocument presentation",
        "application/vnd.oasis.opendocument.presentation",
        lambda head: head.startswith(ZIP_SIGNATURE),
    ),
    "txt": ("text", "text/plain", lambda head: _looks_like_text(head)),
    "png": ("PNG", "image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("JPEG", "image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "jpeg": ("JPEG", "image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "gif": ("GIF", "image/gif", lambda head: head[:6] in (b"GIF87a", b"GIF89a")),
    "mp3": (
        "MP3",
        "audio/mpeg",
        lambda head: head.startswith(b"ID3") or (head[:1] == b"\xff" and head[1:2] >= b"\xe0"),
    ),
    "mp4": ("MP4", "video/mp4", lambda head: head[4:8] == b"ftyp"),
}
TEXT_CONTROL_BYTES = frozenset(range(0x09)) | frozenset(range(0x0E, 0x20)) - {0x1B}


def _looks_like_text(head: bytes) -> bool:
    return not TEXT_CONTROL_BYTES.intersection(head)


def sniff_upload(upload) -> str:
    """The content type of an upload whose first bytes match its extension; refuses,
    naming the file, one whose contents are of another kind (say, a program renamed
    .pdf). Call after `validate_upload`, which checks the extension and size."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower().lstrip(".")
    kind, content_type, looks_right = UPLOAD_KINDS[extension]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if not looks_right(head):
        raise ValidationError(
            "“%(name)s” is not really a %(kind)s file: its contents are of another kind. "
            "Save it again as %(kind)s, or choose another file.",
            code="file_content",
            params={"name": name, "kind": kind},
        )
    return content_type


class AttachmentsField(MultipleFileField):
    """Homework attachments: each file's type, size and contents checked; each cleaned
    upload carries the content type its contents showed, not the browser's guess."""

    def clean(self, data, initial=None):
        uploads = super().clean(data, initial)
        errors = []
        for upload in uploads:
            try:
                upload.content_type = sniff_upload(upload)
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return uploads


UK_DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
TIME_INPUT_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]
DEFAULT_DUE_TIME = time(8, 30)


def parse_uk_date(value) -> date | None:
    """The date typed, or None (also for a year no school could mean: see school.params)."""
    return params.parse_date(value, UK_DATE_INPUT_FORMATS)


parse_ids = params.parse_ids


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
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
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
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    pupils = PupilIdsField(label="Pupils")
    title = forms.CharField(
        max_length=200,
        error_messages={"required": "Give the homework a title."},
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    instructions = forms.CharField(
        help_text=(
            "Markdown: **bold**, *italic*, a line starting “- ” for a bulleted list, “1. ” "
            "for a numbered one, and [words](https://example.org) for a link."
        ),
        error_messages={"required": "Write the instructions pupils will follow."},
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 8}),
    )
    resource_links = forms.CharField(
        label="Resource links",
        required=False,
        help_text="One web address per line, starting with https:// (or http://).",
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
    attachments = AttachmentsField(
        label="Attach files",
        help_text=(
            f"Up to {MAX_UPLOAD_FILES} files, each at most 10 MB: {ALLOWED_UPLOAD_DESCRIPTION}."
        ),
        widget=MultipleFileInput(attrs={"class": "form-control"}),
    )
    remove_attachments = forms.TypedMultipleChoiceField(
        label="Remove attachments",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    keep_attachments = forms.TypedMultipleChoiceField(
        label="Attachments to set again",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    set_on = BoundedDateField(
        label="Set date",
        input_formats=UK_DATE_INPUT_FORMATS,
        help_text="dd/mm/yyyy",
        error_messages={
            "required": "Enter the date you set it.",
            "invalid": "Enter the set date as dd/mm/yyyy, for example 14/09/2026.",
        },
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"class": "form-control"}),
    )
    due_on = BoundedDateField(
        label="Due date",
        input_formats=UK_DATE_INPUT_FORMATS,
        help_text="dd/mm/yyyy",
        error_messages={
            "required": "Enter the date it is due.",
            "invalid": "Enter the due date as dd/mm/yyyy, for example 21/09/2026.",
        },
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"class": "form-control"}),
    )
    due_time = forms.TimeField(
        label="Due time",
        input_formats=TIME_INPUT_FORMATS,
        help_text="24-hour clock, UK time, for example 08:30",
        error_messages={
            "required": "Enter the time it is due.",
            "invalid": "Enter the due time as hh:mm on the 24-hour clock, for example 16:00.",
        },
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "form-control"}),
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
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    submission_mode = forms.ChoiceField(
        label="How pupils hand it in",
        choices=Homework.SubmissionMode.choices,
        initial=Homework.SubmissionMode.ONLINE,
        error_messages={"required": "Choose how pupils hand it in."},
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    unit = forms.TypedChoiceField(
        label="Scheme-of-work unit",
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    new_unit_title = forms.CharField(
        label="Or a new unit",
        max_length=200,
        required=False,
        help_text="Type a title to add a unit for this subject and year; it is kept for next time.",
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    alternative_instructions = forms.CharField(
        label="Alternative instructions",
        required=False,
        help_text="Markdown, as above. The pupils you pick below see this version instead.",
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 5}),
    )
    alternative_for_eal = forms.BooleanField(
        label="Pupils with English as an additional language (EAL)",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    alternative_for_sen = forms.BooleanField(
        label="Pupils with special educational needs (SEN)",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    alternative_for_young_carers = forms.BooleanField(
        label="Young carers",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    alternative_pupils = PupilIdsField(label="And these pupils")
    confirm_non_school_day = forms.BooleanField(
        label="Set it anyway",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

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
            return set(parse_ids(self.data.getlist(self.add_prefix(name))))
        return set(parse_ids(self.initial.get(name) or []))

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
        return data

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
        has_text = bool((data.get("alternative_instructions") or "").strip())
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
        unit_id, new_title = data.get("unit"), (data.get("new_unit_title") or "").strip()
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
            title=data["title"].strip(),
            instructions=data["instructions"],
            set_on=data["set_on"],
            due_at=data["due_at"],
            estimated_minutes=data["estimated_minutes"],
            submission_mode=data["submission_mode"],
            resource_links=data["resource_links"],
            alternative_instructions=data["alternative_instructions"].strip(),
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
            group_ids = parse_ids(data.getlist("teaching_groups"))
        day = parse_uk_date(data.get("due_on"))
        return cls(
            group_ids=list(group_ids),
            pupil_ids=parse_ids(data.getlist("pupils")) if chosen else None,
            day=day,
            minutes=min(params.parse_id(data.get("estimated_minutes")) or 0, 600),
            homework_id=params.parse_id(data.get("homework")),
            day_unreadable=bool(str(data.get("due_on") or "").strip()) and day is None,
        )


# Frequency policy -----------------------------------------------------------------------

KEY_STAGE_CHOICES = [(3, "KS3"), (4, "KS4"), (5, "KS5")]
KEY_STAGE_YEARS = {3: "Years 7–9", 4: "Years 10–11", 5: "Years 12–13"}
OTHER_SUBJECTS = "other"  # a new rule for every subject without its own


class _MarksInvalidFields:
    """Bootstrap's red outline and aria-invalid on every field with an error."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}_error"


class NightlyCapsForm(_MarksInvalidFields, forms.Form):
    """The most minutes of homework a pupil of each key stage should have due in a day."""

    def __init__(self, *args, caps: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        for key_stage, label in KEY_STAGE_CHOICES:
            self.fields[f"cap_{key_stage}"] = forms.IntegerField(
                label=f"{label} ({KEY_STAGE_YEARS[key_stage]})",
                min_value=1,
                max_value=600,
                initial=caps.get(key_stage),
                error_messages={
                    "required": f"Enter the {label} nightly cap in minutes.",
                    "min_value": "A nightly cap must be at least 1 minute.",
                    "max_value": "A nightly cap can be at most 600 minutes.",
                },
                widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
            )

    def caps(self) -> dict[int, int]:
        return {ks: self.cleaned_data[f"cap_{ks}"] for ks, _ in KEY_STAGE_CHOICES}


class FrequencyRuleForm(_MarksInvalidFields, forms.ModelForm):
    """One rule: a key stage, a subject of the school (blank: every other subject), how
    often and for how long, or left to the department."""

    key_stage = forms.TypedChoiceField(
        choices=KEY_STAGE_CHOICES,
        coerce=int,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    subject = forms.TypedChoiceField(
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    every_weeks = forms.IntegerField(
        label="Every (weeks)",
        min_value=1,
        max_value=12,
        error_messages={
            "required": "Enter how many weeks apart (1 = weekly, 2 = fortnightly).",
            "min_value": "Every 1 week (weekly) is the most often.",
            "max_value": "Every 12 weeks is the least often.",
        },
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "size": 3}),
    )
    minutes = forms.IntegerField(
        min_value=1,
        max_value=600,
        error_messages={
            "required": "Enter about how many minutes each homework takes.",
            "min_value": "Minutes must be at least 1.",
            "max_value": "Minutes can be at most 600.",
        },
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "size": 4}),
    )
    set_by_department = forms.BooleanField(
        required=False,
        label="Set by the department",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = FrequencyRule
        fields = ["key_stage", "subject", "every_weeks", "minutes", "set_by_department"]

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        by_id = {subject.pk: subject for subject in subjects}

        def subject_of_school(value):
            if value == OTHER_SUBJECTS:
                return None
            try:
                return by_id[int(value)]
            except (KeyError, TypeError, ValueError):
                raise ValidationError("Choose one of your school's subjects.") from None

        subject_field = self.fields["subject"]
        subject_field.coerce = subject_of_school
        choices = [(s.pk, s.name) for s in subjects]
        if self.instance.pk is not None:
            subject_field.choices = [("", "Other subjects")] + choices
            return
        # A new row starts blank (with the model's defaults), so that left untouched it has
        # not changed and adds nothing; once touched it needs a subject.
        subject_field.choices = [("", "Choose a subject…"), (OTHER_SUBJECTS, "Other subjects")]
        subject_field.choices += choices
        subject_field.required = True
        subject_field.error_messages["required"] = "Choose the subject this new rule is for."
        defaults = {"key_stage": 3, "subject": None, "every_weeks": 1, "minutes": 60}
        for name, value in defaults.items():
            self.initial.setdefault(name, value)

    @property
    def row_label(self) -> str:
        """Names the row for screen readers: "KS3 Maths", "KS4 other subjects"."""
        if self.instance.pk is None:
            return "new rule"
        return f"KS{self.instance.key_stage} {self.instance.subject or 'other subjects'}"

    def entry(self) -> RuleEntry:
        data = self.cleaned_data
        return RuleEntry(
            key_stage=data["key_stage"],
            subject_id=data["subject"].pk if data["subject"] else None,
            every_weeks=data["every_weeks"],
            minutes=data["minutes"],
            set_by_department=data["set_by_department"],
        )


class BaseFrequencyRuleFormSet(forms.BaseModelFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove"
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def kept_forms(self):
        """The rules to keep: every filled-in row not ticked for removal."""
        return [
            form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        seen = {}
        for form in self.kept_forms():
            entry = form.entry()
            key = (entry.key_stage, entry.subject_id)
            name = form.cleaned_data["subject"] or "other subjects"
            if key in seen:
                raise ValidationError(
                    "KS%(ks)s has more than one rule for %(subject)s: keep one.",
                    params={"ks": entry.key_stage, "subject": name},
                )
            seen[key] = form
        missing = [ks for ks, _ in KEY_STAGE_CHOICES if (ks, None) not in seen]
        if missing:
            raise ValidationError([f"KS{ks} needs a rule for other subjects." for ks in missing])

    def entries(self) -> list[RuleEntry]:
        return [form.entry() for form in self.kept_forms()]


FrequencyRuleFormSet = forms.modelformset_factory(
    FrequencyRule,
    form=FrequencyRuleForm,
    formset=BaseFrequencyRuleFormSet,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
)


# A pupil handing in work online.

CONFIDENCE_CHOICES = [
    (1, "1 – Not confident at all"),
    (2, "2 – Not very confident"),
    (3, "3 – Fairly confident"),
    (4, "4 – Confident"),
    (5, "5 – Very confident"),
]


class SubmissionForm(forms.Form):
    """A pupil's online hand-in: an answer and/or files (checked like teachers'
    attachments), and a short self-assessment. `existing_files` are the files already
    handed in, which the pupil may remove."""

    text = forms.CharField(
        label="Your answer",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    files = AttachmentsField(
        label="Attach files",
        help_text=(
            f"Up to {MAX_UPLOAD_FILES} files, each at most 10 MB: {ALLOWED_UPLOAD_DESCRIPTION}."
        ),
    )
    remove_files = forms.TypedMultipleChoiceField(
        label="Remove files you handed in",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confidence = forms.TypedChoiceField(
        label="How confident do you feel about this work?",
        choices=CONFIDENCE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    reflection = forms.CharField(
        label="Reflection",
        help_text="What went well, or what did you find hard? Up to 500 characters.",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, existing_files=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_files = list(existing_files)
        if self.existing_files:
            self.fields["remove_files"].choices = [
                (upload.pk, upload.original_name) for upload in self.existing_files
            ]
        else:
            del self.fields["remove_files"]

    def clean(self):
        data = super().clean()
        if "files" in self.errors:
            return data
        new = data.get("files") or []
        removed = set(data.get("remove_files") or [])
        kept = [upload for upload in self.existing_files if upload.pk not in removed]
        if len(kept) + len(new) > MAX_UPLOAD_FILES:
            self.add_error(
                "files",
                ValidationError(
                    "You can hand in at most %(max)d files in all, and you already have "
                    "%(kept)d. Remove a file first.",
                    code="too_many_files",
                    params={"max": MAX_UPLOAD_FILES, "kept": len(kept)},
                ),
            )
        elif not (data.get("text") or "").strip() and not new and not kept:
            raise ValidationError(
                "Write your answer or attach a file before handing in.", code="empty"
            )
        return data
