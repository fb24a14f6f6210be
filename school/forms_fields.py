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
