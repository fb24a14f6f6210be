"""Forms for parents' accounts: the guardians list's filter and bulk invitation (staff),
setting a password from an invitation, and linking a further child with a code."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.contrib.auth.password_validation import (
    password_validators_help_text_html,
    validate_password,
)
from django.utils.translation import gettext_lazy as _

from school.forms_fields import BoundedDateField
from school.models import TutorGroup, User, YearGroup

from ..accounts import CODE_LENGTH, code_normalise

STATUS_CHOICES = [
    ("", "Everyone"),
    ("no_login", "No login yet"),
    ("not_invited", "No login, not invited"),
    ("invited", "Invited, waiting"),
    ("no_email", "No email address"),
    ("has_login", "Has a login"),
]


class GuardianFilterForm(forms.Form):
    """Narrow the guardians list by year, tutor group and account status."""

    year = forms.ModelChoiceField(
        queryset=YearGroup.objects.none(),
        required=False,
        empty_label="All years",
        error_messages={"invalid_choice": "Choose a year from the list."},
    )
    tutor_group = forms.ModelChoiceField(
        queryset=TutorGroup.objects.none(),
        required=False,
        empty_label="All tutor groups",
        error_messages={"invalid_choice": "Choose a tutor group from the list."},
    )
    status = forms.ChoiceField(
        label="Account",
        choices=STATUS_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Choose a status from the list."},
    )

    def __init__(self, *args, years, tutor_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].queryset = years
        self.fields["tutor_group"].queryset = tutor_groups
        # One query each for the choices, not one per rendering of the select.
        self.fields["year"].choices = [("", "All years")] + [(y.pk, str(y)) for y in years]
        self.fields["tutor_group"].choices = [("", "All tutor groups")] + [
            (g.pk, g.name) for g in tutor_groups
        ]


class InviteAllForm(GuardianFilterForm):
    """Invite every guardian without a login of one year or tutor group."""

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("year") or data.get("tutor_group")):
            raise forms.ValidationError(
                "Choose a year or a tutor group to invite everyone without a login in it."
            )
        return data


class SetPasswordForm(forms.Form):
    """A new parent's password, checked by the site's password validators."""

    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Choose a password.")},
    )
    password2 = forms.CharField(
        label=_("Type it again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Type the password again.")},
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user  # unsaved: for the similarity check
        self.fields["password1"].help_text = password_validators_help_text_html()

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are different."))
        elif first:
            try:
                validate_password(first, user=self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class LinkChildForm(forms.Form):
    """The code from the school's letter and the child's date of birth."""

    code = forms.CharField(
        label=_("Code from the school"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": _("Enter the code from the school's letter.")},
    )
    date_of_birth = BoundedDateField(
        label=_("Your child's date of birth"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={
            "required": _("Enter your child's date of birth."),
            "invalid": _("Enter a real date, for example 27/03/2014."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The code shows in capitals as typed, as on the letter (it is read either way).
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field("code", css_class="text-uppercase"), "date_of_birth")

    def clean_code(self):
        code = code_normalise(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH:
            raise forms.ValidationError(
                _("The code has %(length)d letters and numbers, like ABCD-EFGH-JKMN."),
                params={"length": CODE_LENGTH},
            )
        return code
