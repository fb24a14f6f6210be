"""Form fields every app's forms share, so that bad input meets a clear message in the form
rather than an error deeper down: a date field bounded to the years a school could mean
(school/params.py), and the search box of a list page."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .params import EARLIEST_YEAR, LATEST_YEAR, year_in_range

SEARCH_MAX_LENGTH = 100


def validate_year_in_range(value) -> None:
    if value is not None and not year_in_range(value):
        raise ValidationError(
            _("Enter a date in the years %(earliest)d to %(latest)d."),
            code="year_range",
            params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
        )


class BoundedDateField(forms.DateField):
    """A date field that refuses years outside EARLIEST_YEAR to LATEST_YEAR (give its own
    words as error_messages["year_range"]). Use it for every date a form takes."""

    default_validators = [validate_year_in_range]


class SearchForm(forms.Form):
    """The `q` of a search box. Django's CharField already refuses a NUL byte (PostgreSQL
    refuses them in text); this adds the length limit and clear words for both."""

    q = forms.CharField(
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        error_messages={
            "max_length": _("Search with at most %(limit_value)d characters."),
            "null_characters_not_allowed": _("Search with letters and numbers only."),
        },
    )

    @property
    def query(self) -> str:
        """The words to search for: empty when the search was refused."""
        return self.cleaned_data.get("q", "") if self.is_valid() else ""


# Field factories: the fields most forms take, written once with their widgets and the
# words a school reads when one is wrong. Bootstrap classes come from crispy (every form
# renders through it), so no factory sets a CSS class.

MAX_LENGTH_MESSAGE = _("Write at most %(limit_value)d characters (this has %(show_value)d).")
REASON_LABEL = _("Reason")
REASON_REQUIRED = _("Give a reason: it is kept on the pupil's record.")
DATE_REQUIRED = _("Give the date.")
TIME_REQUIRED = _("Give the time.")


def text_field(
    *,
    label=None,
    max_length: int,
    required: bool = True,
    required_message=None,
    help_text="",
    rows: int | None = None,
    **kwargs,
) -> forms.CharField:
    """Free text. CharField already strips the ends and treats only-spaces as empty (so
    "required" covers a blank reason) and refuses a NUL byte; `rows` makes it a text area."""
    messages = {"max_length": MAX_LENGTH_MESSAGE}
    if required_message:
        messages["required"] = required_message
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else None,
        error_messages=messages,
        **kwargs,
    )


def reason_field(
    *,
    label=REASON_LABEL,
    max_length: int = 200,
    required: bool = True,
    required_message=REASON_REQUIRED,
    help_text="",
    rows: int = 3,
) -> forms.CharField:
    """Why something was done to a pupil's record (kept with it)."""
    return text_field(
        label=label,
        max_length=max_length,
        required=required,
        required_message=required_message,
        help_text=help_text,
        rows=rows,
    )


def date_field(
    *,
    label=None,
    required: bool = True,
    required_message=DATE_REQUIRED,
    help_text="",
    **kwargs,
) -> BoundedDateField:
    """A date picked in the browser's date input (sent as 2026-12-08); typed UK dates
    (08/12/2026) are accepted too. Years outside a school's are refused."""
    return BoundedDateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"],
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"required": required_message, "invalid": _("Enter a real date.")},
        **kwargs,
    )


def time_field(
    *,
    label=None,
    required: bool = True,
    required_message=TIME_REQUIRED,
    help_text="",
    **kwargs,
) -> forms.TimeField:
    """A time of day on the 24-hour clock (15:30)."""
    return forms.TimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=["%H:%M", "%H:%M:%S", "%H.%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        error_messages={"required": required_message, "invalid": _("Enter a time, e.g. 15:30.")},
        **kwargs,
    )
