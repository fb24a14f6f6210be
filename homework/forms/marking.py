"""Marking: one pupil's row of a homework's register."""

from functools import lru_cache
from html import escape as _escape

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Hidden, Layout
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import Context, Template
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from school.forms_fields import SearchForm, text_field

MARK_MAX_LENGTH = 20
FEEDBACK_MAX_LENGTH = 5000


def escape(value) -> str:
    """Django's escape (the templates' autoescape of a plain value) without its lazy
    wrapper, for the hundreds of attributes of a register."""
    return _escape(str(value))


def _attributes(attrs: dict) -> str:
    """A widget's attributes as Django's attrs.html writes them: False left out, True
    bare, anything else escaped."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


# As Django's renderer does, the markup has no whitespace around it.
def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
    return (
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}'
        f"{_attributes(widget['attrs'])}>"
    )


def _textarea(widget: dict) -> str:
    value = escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{escape(widget["name"])}"{_attributes(widget["attrs"])}>\n'
        f"{value}</textarea>"
    )


class RowRenderer(DjangoTemplates):
    """Django's form renderer, except for the row's two widgets: written in Python with
    the markup of Django's templates (text.html and textarea.html, with input.html and
    attrs.html), as a register renders two a pupil and templates cost several times as
    much (tests/homework/test_marking_register.py compares the two)."""

    WRITERS = {
        "django/forms/widgets/text.html": _input,
        "django/forms/widgets/textarea.html": _textarea,
    }

    def render(self, template_name, context, request=None):
        writer = self.WRITERS.get(template_name)
        if writer is None:
            return super().render(template_name, context, request)
        return writer(context["widget"])


# What MarkForm sets on each row's copy of its fields' widgets.
WIDGET_SIZES = {"mark": {"size": 6}, "feedback": {"cols": 24}}
_LABELS = {"mark": "Mark or grade for {}", "feedback": "Feedback for {}"}


def _label(name: str, pupil_name: str) -> str:
    return _LABELS[name].format(pupil_name)


def opening_cell(assignment, name: str) -> str:
    """A MarkForm's cell for `name` as the register opens (not bound, so no error),
    written straight from the form's declared field and the assignment's value, without
    a form (whose fields and widgets are deep-copied for every pupil) or a bound field
    (the test of `_cell` compares them)."""
    field = MarkForm.base_fields[name]
    widget = field.widget
    auto_id = f"id_a{assignment.pk}-{name}"
    value = field.prepare_value(getattr(assignment, name))
    attrs = {
        **widget.attrs,
        **WIDGET_SIZES[name],
        "class": f"{type(widget).__name__.lower()} form-control form-control-sm",
    }
    attrs["id"] = auto_id
    writer = _textarea if isinstance(widget, forms.Textarea) else _input
    html = writer(
        {
            "name": f"a{assignment.pk}-{name}",
            "value": widget.format_value(value),
            "attrs": attrs,
            "type": getattr(widget, "input_type", None),
        }
    )
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label visually-hidden">'
        "{}</label>{}</div>",
        auto_id,
        auto_id,
        _label(name, assignment.pupil.full_name),
        mark_safe(html),
    )


class OpeningRow:
    """A row's marks as the register opens, for those who mark: MarkForm's two cells
    without building a form a pupil (no data, so no errors)."""

    errors = {}

    def __init__(self, assignment):
        self.assignment = assignment

    @property
    def mark_cell(self) -> str:
        return opening_cell(self.assignment, "mark")

    @property
    def feedback_cell(self) -> str:
        return opening_cell(self.assignment, "feedback")


class MarkForm(forms.Form):
    """A pupil's mark or grade and written feedback. The prefix is the assignment's, so
    one POST carries every pupil's row; a row whose fields the POST leaves out keeps what
    it has rather than being wiped. The register places each field in its own cell
    (`mark_cell` and `feedback_cell`)."""

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
        for field_name, field in self.fields.items():
            field.label = _label(field_name, name)
            field.widget.attrs.update(WIDGET_SIZES[field_name])

    def _cell(self, name: str) -> str:
        """One field in its cell, its label hidden (the column heading names it on screen):
        the markup of crispy's field tag in bootstrap5's field (the widget's classes, and on
        an error aria-invalid, aria-describedby and the messages under it), written here
        for the register's thirty pupils rather than by a partial and a tag each."""
        if not self.is_bound:
            return self._opening_cell(name)
        field = self[name]
        errors = field.errors
        widget = field.field.widget
        kind = type(widget).__name__.lower()
        widget.attrs["class"] = f"{kind} form-control form-control-sm" + (
            " is-invalid" if errors else ""
        )
        auto_id = field.auto_id
        label = format_html(
            '<label for="{}" class="form-label visually-hidden">{}</label>',
            field.id_for_label,
            field.label,
        )
        messages = ""
        if errors:
            messages = format_html(
                '<div id="{}_error" class="invalid-feedback">{}</div>',
                errors.field_id,
                format_html_join(
                    "",
                    '<span id="error_{}_{}"><strong>{}</strong></span>',
                    ((number, auto_id, error) for number, error in enumerate(errors, 1)),
                ),
            )
        return format_html(
            '<div id="div_{}" class="mb-3">{}{}{}</div>',
            auto_id,
            label,
            field.as_widget(),
            messages,
        )

    def _opening_cell(self, name: str) -> str:
        """`_cell` of a row as the register opens (not bound, so no error)."""
        return opening_cell(self.assignment, name)

    @property
    def mark_cell(self) -> str:
        return self._cell("mark")

    @property
    def feedback_cell(self) -> str:
        return self._cell("feedback")

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


@lru_cache(maxsize=8)
def _unbound_earlier_search(language: str) -> str:
    template = Template("{% load crispy_forms_tags %}{% crispy form %}")
    return template.render(Context({"form": EarlierHomeworkForm()}))


def unbound_earlier_search() -> str:
    """The search of earlier homework as /homework/ opens (no data: the same markup every
    time), rendered by crispy once a process and language rather than on every visit
    (about a millisecond); a search renders its bound form itself."""
    return _unbound_earlier_search(translation.get_language() or "")
