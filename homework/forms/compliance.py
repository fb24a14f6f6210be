"""The homework policy: nightly caps by key stage, and how often each subject sets
homework (one rule a row, with a row to add one)."""

from crispy_forms.bootstrap import AppendedText
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.core.exceptions import ValidationError

from ..models import FrequencyRule
from ..services.compliance import RuleEntry

KEY_STAGE_CHOICES = [(3, "KS3"), (4, "KS4"), (5, "KS5")]
KEY_STAGE_YEARS = {3: "Years 7–9", 4: "Years 10–11", 5: "Years 12–13"}
OTHER_SUBJECTS = "other"  # a new rule for every subject without its own


class NightlyCapsForm(forms.Form):
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
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                *(
                    Column(AppendedText(name, "minutes"), css_class="col-12 col-sm-4")
                    for name in self.fields
                ),
                css_class="g-3",
            )
        )

    def caps(self) -> dict[int, int]:
        return {ks: self.cleaned_data[f"cap_{ks}"] for ks, _ in KEY_STAGE_CHOICES}


class FrequencyRuleForm(forms.ModelForm):
    """One rule: a key stage, a subject of the school (blank: every other subject), how
    often and for how long, or left to the department."""

    key_stage = forms.TypedChoiceField(choices=KEY_STAGE_CHOICES, coerce=int)
    subject = forms.TypedChoiceField(required=False, empty_value=None)
    every_weeks = forms.IntegerField(
        label="Every (weeks)",
        min_value=1,
        max_value=12,
        error_messages={
            "required": "Enter how many weeks apart (1 = weekly, 2 = fortnightly).",
            "min_value": "Every 1 week (weekly) is the most often.",
            "max_value": "Every 12 weeks is the least often.",
        },
    )
    minutes = forms.IntegerField(
        min_value=1,
        max_value=600,
        error_messages={
            "required": "Enter about how many minutes each homework takes.",
            "min_value": "Minutes must be at least 1.",
            "max_value": "Minutes can be at most 600.",
        },
    )
    set_by_department = forms.BooleanField(required=False, label="Set by the department")

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


def _rule_layout(form) -> FormHelper:
    """One rule's fields side by side in its fieldset, small, the tick boxes level with
    the inputs; "Remove this rule" only on a rule already kept."""
    column = "col-6 col-md-3 col-lg-2"
    tick = f"{column} pt-md-4"
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.render_hidden_fields = True
    helper.label_class = "small mb-1"
    helper.layout = Layout(
        Row(
            Column(Field("key_stage", css_class="form-select-sm"), css_class=column),
            Column(Field("subject", css_class="form-select-sm"), css_class=column),
            Column(Field("every_weeks", css_class="form-control-sm", size=3), css_class=column),
            Column(Field("minutes", css_class="form-control-sm", size=4), css_class=column),
            Column("set_by_department", css_class=tick),
            *([Column("DELETE", css_class=tick)] if "DELETE" in form.fields else []),
            css_class="g-2 align-items-start",
        )
    )
    return helper


class BaseFrequencyRuleFormSet(forms.BaseModelFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this rule"
        form.helper = _rule_layout(form)

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
