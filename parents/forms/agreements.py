"""The agreement's forms: the senior leaders' editor and publish confirmation, the
guardian's signing form (a checkbox per child, the typed name and a confirmation), the
pupil's acknowledgement and the coverage page's reminder button."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from school.forms_fields import text_field

from ..agreements.signing import name_matches
from ..agreements.text import (
    SECTION_HEADINGS,
    SECTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    TYPED_NAME_MAX_LENGTH,
    TYPED_NAME_MIN_LENGTH,
)

ONE_A_LINE = "One commitment a line."


def _section(name):
    return text_field(
        label=SECTION_HEADINGS[name],
        help_text=ONE_A_LINE,
        max_length=SECTION_MAX_LENGTH,
        rows=7,
        required_message=f"Write at least one commitment in “{SECTION_HEADINGS[name]}”.",
    )


class AgreementEditForm(forms.Form):
    title = text_field(max_length=TITLE_MAX_LENGTH, required_message="Give the agreement a title.")
    introduction = text_field(
        required=False,
        max_length=SECTION_MAX_LENGTH,
        help_text="Shown above the commitments. Blank lines start a new paragraph.",
        rows=4,
    )
    school_commitments = _section("school_commitments")
    teacher_commitments = _section("teacher_commitments")
    parent_commitments = _section("parent_commitments")
    pupil_commitments = _section("pupil_commitments")


class AgreementTranslationForm(AgreementEditForm):
    """A version's text in another language: the same parts, typed in that language
    (marked so that the browser and screen readers read it as such)."""

    def __init__(self, *args, language, direction="ltr", **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.update({"lang": language, "dir": direction})


class TranslationPublishForm(forms.Form):
    confirm = forms.BooleanField(
        label="Yes, publish this translation: families who read this language will see it",
        error_messages={"required": "Tick the box to confirm you want to publish."},
    )


class AgreementPublishForm(forms.Form):
    confirm = forms.BooleanField(
        label="Yes, publish this version: families will be asked to sign it",
        error_messages={"required": "Tick the box to confirm you want to publish."},
    )


class AgreementSignForm(forms.Form):
    """Sign for one or more children at one school. When the typed name differs from the
    name the school holds, the form asks the guardian to confirm it is right."""

    pupils = forms.TypedMultipleChoiceField(
        label=_("Sign for"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Tick at least one child to sign for."),
            "invalid_choice": _("Choose only children listed here."),
        },
    )
    typed_name = forms.CharField(
        label=_("Your full name"),
        min_length=TYPED_NAME_MIN_LENGTH,
        max_length=TYPED_NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": _("Type your full name to sign."),
            "min_length": _("Type your full name to sign."),
            "max_length": _("A name can be at most %(limit_value)d characters."),
        },
    )
    confirm = forms.BooleanField(
        label=_("I have read the agreement and sign it for the children ticked above."),
        error_messages={"required": _("Tick the box to confirm you have read the agreement.")},
    )
    name_confirmed = forms.BooleanField(
        label=_("Yes, this is my name."),
        required=False,
    )

    def __init__(self, *args, children, guardian_first_name, guardian_last_name, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupils"].choices = [
            (child.pupil.pk, child.pupil.full_name) for child in children
        ]
        self.fields["pupils"].initial = [child.pupil.pk for child in children]
        self.expected = (guardian_first_name, guardian_last_name)
        self.fields["typed_name"].help_text = gettext(
            "Type your name as the school knows it (%(name)s)."
        ) % {"name": " ".join(self.expected)}
        self.name_differs = False

    def clean_typed_name(self):
        typed = " ".join(self.cleaned_data["typed_name"].split())
        if len(typed) < TYPED_NAME_MIN_LENGTH:
            raise forms.ValidationError(_("Type your full name to sign."))
        return typed

    def clean(self):
        data = super().clean()
        typed = data.get("typed_name")
        if typed and not name_matches(typed, *self.expected) and not data.get("name_confirmed"):
            self.name_differs = True
            self.add_error(
                "typed_name",
                _(
                    "The name you typed is not the name the school holds for you "
                    "(%(expected)s). If it is right, tick “Yes, this is my name” and sign "
                    "again."
                )
                % {"expected": " ".join(self.expected)},
            )
        return data


class AcknowledgementForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have read what I commit to, and I will do my best."),
        error_messages={"required": _("Tick the box to add your acknowledgement.")},
    )


class ReminderForm(forms.Form):
    tutor_group = forms.IntegerField(
        min_value=1, error_messages={"required": "Choose a tutor group."}
    )
