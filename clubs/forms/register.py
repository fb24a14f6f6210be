"""The register's name search for a pupil who comes without booking."""

from crispy_forms.bootstrap import FieldWithButtons, StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout

from school.forms_fields import SearchForm

from ..selectors.register import SEARCH_MIN_LENGTH


class WalkInSearchForm(SearchForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="walk-in-%s", **kwargs)
        q = self.fields["q"]
        q.label = "Find a pupil who has not booked"
        q.help_text = f"At least {SEARCH_MIN_LENGTH} letters of a first or last name."
        q.widget.input_type = "search"
        q.widget.attrs.update(autocomplete="off", placeholder="Name")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            FieldWithButtons(
                "q", StrictButton("Search", type="submit", css_class="btn-outline-secondary")
            )
        )
