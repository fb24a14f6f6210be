"""The lead's search for a pupil or a parent."""

from crispy_forms.bootstrap import FieldWithButtons, StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout

from school.forms_fields import SearchForm


class PeopleSearchForm(SearchForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        q = self.fields["q"]
        q.label = "Name, UPN, admission number or email"
        q.widget.input_type = "search"
        q.widget.attrs.update(autocomplete="off")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            FieldWithButtons("q", StrictButton("Find", type="submit", css_class="btn-primary"))
        )
