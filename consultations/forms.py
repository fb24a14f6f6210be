"""The consultations' forms: a leader's consultation, question, tags and "you said, we
did" (staff pages: English); a guardian's answers (in their language)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parents.models import Agreement
from school.forms_fields import date_field, text_field
from school.models import TutorGroup, YearGroup

from .models import PupilGroup, Question, Tag
from .texts import LANGUAGES, in_language

MAX_OPTIONS = 12


def _translation_fields(form, prefix: str, label: str, *, max_length: int, rows=None):
    for code, name in LANGUAGES:
        form.fields[f"{prefix}_{code}"] = text_field(
            label=f"{label} in {name}",
            max_length=max_length,
            required=False,
            rows=rows,
            help_text="Optional: families who read this language see English where it is empty.",
        )


class ConsultationForm(forms.Form):
    title = text_field(label="Title", max_length=150, required_message="Give it a title.")
    introduction = text_field(
        label="Introduction",
        max_length=2000,
        required=False,
        rows=3,
        help_text="What it is about and why the school asks (shown above the questions).",
    )
    opens_on = date_field(label="Opens on")
    closes_on = date_field(
        label="Closes on", help_text="Families can answer until the end of this day."
    )
    anonymous = forms.BooleanField(
        label="Anonymous: leaders see no names beside the answers",
        required=False,
        initial=True,
        help_text="Families are told before they answer whether their name is seen.",
    )
    year_groups = forms.ModelMultipleChoiceField(
        queryset=YearGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Year groups",
        help_text="Leave year and tutor groups empty to ask all families.",
        error_messages={"invalid_choice": "Choose year groups from the list."},
    )
    tutor_groups = forms.ModelMultipleChoiceField(
        queryset=TutorGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Tutor groups",
        error_messages={"invalid_choice": "Choose tutor groups from the list."},
    )
    pupil_groups = forms.MultipleChoiceField(
        choices=PupilGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Only families of pupils in these groups (optional)",
        error_messages={"invalid_choice": "Choose pupil groups from the list."},
    )
    agreement = forms.ModelChoiceField(
        queryset=Agreement.objects.none(),
        required=False,
        label="About a draft of the home-school agreement",
        empty_label="None",
        error_messages={"invalid_choice": "Choose a draft agreement from the list."},
    )
    policy_title = text_field(label="About a policy: its title", max_length=150, required=False)
    policy_text = text_field(label="The policy's text", max_length=20000, required=False, rows=4)
    policy_link = forms.URLField(
        label="Or a link to the policy",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address, e.g. https://school.example/policy."},
    )

    def __init__(self, *args, school_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year_groups"].queryset = YearGroup.objects.filter(school_id=school_id)
        self.fields["tutor_groups"].queryset = TutorGroup.objects.current().filter(
            school_id=school_id
        )
        self.fields["agreement"].queryset = Agreement.objects.filter(
            school_id=school_id, status=Agreement.Status.DRAFT
        )
        _translation_fields(self, "title", "Title", max_length=150)
        _translation_fields(self, "introduction", "Introduction", max_length=2000, rows=3)
        _translation_fields(self, "policy_title", "The policy's title", max_length=150)
        _translation_fields(self, "policy_text", "The policy's text", max_length=20000, rows=4)

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "It must close on or after the day it opens.")
        if data.get("policy_text") and not data.get("policy_title"):
            self.add_error("policy_title", "Give the policy's title.")
        if data.get("policy_link") and not data.get("policy_title"):
            self.add_error("policy_title", "Give the policy's title.")
        return data

    def translations(self) -> dict:
        result = {}
        for code, _name in LANGUAGES:
            texts = {
                key: self.cleaned_data.get(f"{key}_{code}", "")
                for key in ("title", "introduction", "policy_title", "policy_text")
            }
            texts = {k: v for k, v in texts.items() if v}
            if texts:
                result[code] = texts
        return result

    @staticmethod
    def initial_for(consultation) -> dict:
        initial = {
            name: getattr(consultation, name)
            for name in (
                "title",
                "introduction",
                "opens_on",
                "closes_on",
                "anonymous",
                "pupil_groups",
                "agreement",
                "policy_title",
                "policy_text",
                "policy_link",
            )
        }
        initial["year_groups"] = list(consultation.year_groups.all())
        initial["tutor_groups"] = list(consultation.tutor_groups.all())
        for code, texts in (consultation.translations or {}).items():
            for key, text in texts.items():
                initial[f"{key}_{code}"] = text
        return initial


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        choices=Question.Kind.choices,
        label="Kind of question",
        error_messages={"invalid_choice": "Choose a kind of question from the list."},
    )
    text = text_field(label="Question", max_length=300, required_message="Write the question.")
    required = forms.BooleanField(label="Families must answer it", required=False)
    options = text_field(
        label="Answers to choose from (single or multiple choice)",
        max_length=3000,
        required=False,
        rows=4,
        help_text="One a line.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _translation_fields(self, "text", "Question", max_length=300)
        for code, name in LANGUAGES:
            self.fields[f"options_{code}"] = text_field(
                label=f"Answers in {name}",
                max_length=3000,
                required=False,
                rows=4,
                help_text="One a line, in the same order as the English.",
            )

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        options = self._lines(data.get("options", ""))
        if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            if len(options) < 2:
                self.add_error("options", "Give at least two answers to choose from, one a line.")
            elif len(options) > MAX_OPTIONS:
                self.add_error("options", f"Give at most {MAX_OPTIONS} answers.")
            elif any(len(option) > 200 for option in options):
                self.add_error("options", "Each answer can be at most 200 characters.")
            elif len(set(options)) < len(options):
                self.add_error("options", "Each answer must be different.")
            for code, name in LANGUAGES:
                translated = self._lines(data.get(f"options_{code}", ""))
                if translated and len(translated) != len(options):
                    self.add_error(
                        f"options_{code}",
                        f"Give one answer in {name} for each English answer ({len(options)}), "
                        "or none.",
                    )
                elif any(len(option) > 200 for option in translated):
                    self.add_error(f"options_{code}", "Each answer can be at most 200 characters.")
        elif kind and options:
            self.add_error(
                "options", "Only single and multiple choice questions have answers to choose from."
            )
        data["option_list"] = options
        return data

    def option_translations(self) -> dict:
        return {
            code: self._lines(self.cleaned_data.get(f"options_{code}", "")) for code, _ in LANGUAGES
        }

    def translations(self) -> dict:
        return {code: self.cleaned_data.get(f"text_{code}", "") for code, _ in LANGUAGES}


class SendForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have checked the questions, the translations and who is asked",
        error_messages={"required": "Tick the box to confirm before sending."},
    )


class TagForm(forms.Form):
    name = text_field(label="New tag", max_length=60, required_message="Give the tag a name.")


class AnswerTagsForm(forms.Form):
    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Tags",
        error_messages={"invalid_choice": "Choose tags from the list."},
    )

    def __init__(self, *args, school_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].queryset = Tag.objects.filter(school_id=school_id)


class OutcomeForm(forms.Form):
    text = text_field(
        label="What the school changed because of the answers",
        max_length=3000,
        rows=4,
        required_message="Say what changed.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _translation_fields(self, "text", "What changed", max_length=3000, rows=4)

    def translations(self) -> dict:
        return {code: self.cleaned_data.get(f"text_{code}", "") for code, _ in LANGUAGES}


# The guardian's answers: one field per question, in their language.

TOO_LONG = _("This can be at most %(limit_value)d characters (it has %(show_value)d).")
SCALE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class AnswerForm(forms.Form):
    def __init__(self, *args, consultation, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(consultation.questions.all())
        for question in self.questions:
            label = in_language(question.text, question.translations, language)
            required_message = _("Please answer this question: it is required.")
            if question.has_options:
                choices = [
                    (str(o.pk), in_language(o.text, o.translations, language))
                    for o in question.options.all()
                ]
                if question.kind == Question.Kind.SINGLE:
                    field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect)
                else:
                    field = forms.MultipleChoiceField(
                        choices=choices, widget=forms.CheckboxSelectMultiple
                    )
                    required_message = _("Please choose at least one answer: it is required.")
                field.help_text = (
                    _("Choose one.")
                    if question.kind == Question.Kind.SINGLE
                    else _("Choose any that apply.")
                )
            elif question.kind == Question.Kind.SCALE:
                field = forms.ChoiceField(
                    choices=SCALE_CHOICES,
                    widget=forms.RadioSelect,
                    help_text=_("1 means not at all, 5 means very much."),
                )
            else:
                field = forms.CharField(
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    error_messages={"max_length": TOO_LONG},
                )
            field.label = label
            field.required = question.required
            field.error_messages["required"] = required_message
            field.error_messages["invalid_choice"] = _("Choose an answer from the list.")
            field.error_messages["invalid_list"] = _("Choose an answer from the list.")
            if not question.required:
                field.label = f"{label} " + str(_("(optional)"))
            self.fields[f"q{question.pk}"] = field
            chosen = self.initial.get(f"q{question.pk}")
            if question.kind == Question.Kind.SINGLE and isinstance(chosen, list):
                self.initial[f"q{question.pk}"] = chosen[0]

    @staticmethod
    def initial_for(response) -> dict:
        initial = {}
        if response is None:
            return initial
        for answer in response.answers.all():
            key = f"q{answer.question_id}"
            if answer.option_id:
                initial.setdefault(key, []).append(str(answer.option_id))
            elif answer.scale is not None:
                initial[key] = str(answer.scale)
            else:
                initial[key] = answer.text
        return initial

    def answers(self) -> dict:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}
