"""Work scrutiny's forms: a criterion of the checklist, a new round, drawing the sample
again, a review (a rating per criterion and a comment) and the teacher's reply."""

import datetime

from django import forms

from school.forms_fields import date_field, text_field

from ..models import ScrutinyRating, ScrutinyRound
from ..scrutiny.services import RoundDetails

COMMENT_MAX_LENGTH = 4000
LONGEST_PERIOD = datetime.timedelta(days=366)


class CriterionForm(forms.Form):
    name = text_field(label="Criterion", max_length=120, required_message="Name the criterion.")
    guidance = text_field(
        label="Guidance for reviewers",
        max_length=1000,
        required=False,
        rows=3,
        help_text="What a reviewer looks for: shown beside the rating.",
    )
    order = forms.IntegerField(
        label="Order",
        min_value=0,
        max_value=1000,
        initial=100,
        help_text="Criteria are listed from the smallest number up.",
        error_messages={
            "required": "Give its place in the list (a number).",
            "invalid": "Give its place in the list as a whole number.",
        },
    )
    is_active = forms.BooleanField(
        label="In use",
        required=False,
        initial=True,
        help_text="Untick to retire it: new reviews leave it out, past reviews keep it.",
    )


class RoundForm(forms.Form):
    title = text_field(
        label="Title",
        max_length=120,
        required_message="Give the round a title, e.g. “Autumn 1 scrutiny”.",
    )
    period_start = date_field(label="Homework set from")
    period_end = date_field(label="Homework set up to")
    subjects = forms.TypedMultipleChoiceField(
        label="Departments (subjects)",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose among the departments listed."},
    )
    teachers = forms.TypedMultipleChoiceField(
        label="Teachers",
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Leave empty for every teacher who set homework in the departments.",
        error_messages={"invalid_choice": "Choose among the teachers listed."},
    )
    sample_by = forms.ChoiceField(
        label="Draw the sample",
        choices=[
            (ScrutinyRound.SampleBy.DEPARTMENT, "N homework from each department"),
            (ScrutinyRound.SampleBy.TEACHER, "N homework from each teacher"),
        ],
        initial=ScrutinyRound.SampleBy.DEPARTMENT,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the sample is drawn."},
    )
    per_group = forms.IntegerField(
        label="N (homework drawn from each)",
        min_value=1,
        max_value=50,
        initial=3,
        error_messages={
            "required": "Give how many homework to draw from each (1 to 50).",
            "invalid": "Give how many homework to draw from each as a whole number.",
        },
    )

    def __init__(self, *args, subjects, teachers, subjects_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subjects"].choices = [(s.pk, s.name) for s in subjects]
        self.fields["teachers"].choices = [(t.pk, t.get_full_name() or t.email) for t in teachers]
        self.subjects_required = subjects_required
        self.fields["subjects"].help_text = (
            "Choose at least one of your departments."
            if subjects_required
            else "Leave all unticked for the whole school."
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end:
            if end < start:
                self.add_error("period_end", "The end of the period is before its start.")
            elif end - start > LONGEST_PERIOD:
                self.add_error("period_end", "A round looks at a year of homework at most.")
        if self.subjects_required and "subjects" in data and not data["subjects"]:
            self.add_error("subjects", "Choose at least one of your departments.")
        return data

    def details(self) -> RoundDetails:
        data = self.cleaned_data
        return RoundDetails(
            title=data["title"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            sample_by=data["sample_by"],
            per_group=data["per_group"],
        )


class DrawAgainForm(forms.Form):
    confirm = forms.BooleanField(
        label="Replace the sample with a new one drawn at random",
        error_messages={"required": "Tick the box to replace the sample."},
    )


class ReviewForm(forms.Form):
    """A rating for each of the checklist's criteria in use, then the comment."""

    RATINGS = ScrutinyRating.Rating.choices

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[self.field_name(criterion)] = forms.ChoiceField(
                label=criterion.name,
                choices=self.RATINGS,
                widget=forms.RadioSelect,
                help_text=criterion.guidance,
                error_messages={
                    "required": f"Rate “{criterion.name}”.",
                    "invalid_choice": f"Rate “{criterion.name}” with one of the choices.",
                },
            )
        self.fields["comment"] = text_field(
            label="Comment for the teacher",
            max_length=COMMENT_MAX_LENGTH,
            rows=5,
            required_message="Write a comment for the teacher: what went well, what next.",
        )

    @staticmethod
    def field_name(criterion) -> str:
        return f"criterion_{criterion.pk}"

    def ratings(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data[self.field_name(c)] for c in self.criteria}


class ReplyForm(forms.Form):
    reply = text_field(
        label="Your reply",
        max_length=COMMENT_MAX_LENGTH,
        rows=5,
        required_message="Write your reply to the review.",
    )
