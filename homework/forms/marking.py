"""Marking: one pupil's row of a homework's register."""

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Hidden, Layout
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template.loader import get_template

from school.forms_fields import SearchForm, text_field

MARK_MAX_LENGTH = 20
FEEDBACK_MAX_LENGTH = 5000


WIDGETS = "homework/marking/widgets/"


class RowRenderer(DjangoTemplates):
    """Django's form renderer, except for the row's two widgets: their templates are
    Django's with the attributes' template written in (templates/homework/marking/
    widgets/), so that a register of thirty pupils does not include sixty more."""

    def get_template(self, template_name):
        if template_name.startswith(WIDGETS):
            return get_template(template_name)
        return super().get_template(template_name)


class MarkForm(forms.Form):
    """A pupil's mark or grade and written feedback. The prefix is the assignment's, so
    one POST carries every pupil's row; a row whose fields the POST leaves out keeps what
    it has rather than being wiped. The register places each field in its own cell
    (templates/homework/marking/register.html `cell_field`: crispy's field tag, the markup
    of bootstrap5's field, without rendering a whole crispy form twice for every pupil)."""

    COLUMNS = {"mark": "Mark or grade", "feedback": "Feedback"}

    mark = text_field(max_length=MARK_MAX_LENGTH, required=False)
    feedback = text_field(max_length=FEEDBACK_MAX_LENGTH, required=False, rows=2)

    default_renderer = RowRenderer()

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
        self.fields["mark"].widget.attrs["size"] = 6
        self.fields["mark"].widget.template_name = f"{WIDGETS}input.html"
        self.fields["feedback"].label = f"Feedback for {name}"
        self.fields["feedback"].widget.attrs["cols"] = 24
        self.fields["feedback"].widget.template_name = f"{WIDGETS}textarea.html"

    @property
    def error_lines(self) -> list[str]:
        """The row's errors for the summary above the table, each naming its column."""
        return [
            f"{column}: {error}"
            for name, column in self.COLUMNS.items()
            for error in self.errors.get(name, [])
        ]


class EarlierHomeworkForm(SearchForm):
    """The search of a teacher's earlier homework on their homework page (a GET form):
    words of its title, class or subject, and whether only homework with work still to
    mark or return."""

    waiting = forms.BooleanField(required=False, label="Only homework with work to mark or return")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="earlier-%s", **kwargs)
        q = self.fields["q"]
        q.label = "Search earlier homework"
        q.help_text = "Words of the title, the class or the subject; leave empty for all."
        q.widget.input_type = "search"
        q.widget.attrs.update(autocomplete="off")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Hidden("earlier", "1"),
            Field("q"),
            Field("waiting"),
            StrictButton("Search", type="submit", css_class="btn-outline-secondary"),
        )
