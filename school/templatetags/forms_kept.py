"""`{% crispy_kept form %}`: what `{% crispy form %}` writes, with an unbound form's HTML
kept per process. crispy renders each field through several templates (~7 ms for the
detention sessions' form, a quarter of that page), while a form nobody has filled in
comes out the same every time from the same inputs. The key is those inputs: the form's
class, prefix and ids, the language, each field's value, label, help, widget (its
attributes) and choices (read as the render would read them, queries included), and the
crispy helper with its layout. A bound form (values typed, errors to show) is rendered
by crispy every time."""

from collections import OrderedDict
from threading import Lock
from types import BuiltinFunctionType, FunctionType, MethodType

from crispy_forms.utils import render_crispy_form
from django import template
from django.utils import translation
from django.utils.functional import Promise

register = template.Library()

KEPT = 200  # forms kept per process, the least recently used dropped first
_kept: OrderedDict = OrderedDict()
_lock = Lock()


def _fingerprint(value, depth: int = 0):
    """A hashable account of a value and everything it holds (objects by their
    attributes), for the key: two values that render alike give the same account."""
    if depth > 40:
        raise ValueError("Too deep to fingerprint: render it uncached.")
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Promise):  # a lazily translated label
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        items = [_fingerprint(item, depth + 1) for item in value]
        return (
            type(value).__name__,
            tuple(sorted(items, key=repr) if isinstance(value, set | frozenset) else items),
        )
    if isinstance(value, dict):
        return tuple(sorted((str(k), _fingerprint(v, depth + 1)) for k, v in value.items()))
    if isinstance(value, type | FunctionType | MethodType | BuiltinFunctionType):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', value)}"
    if hasattr(value, "__dict__"):
        return (type(value).__qualname__, _fingerprint(vars(value), depth + 1))
    return repr(value)


def _widget(widget):
    attributes = {k: v for k, v in vars(widget).items() if k not in {"choices", "_choices"}}
    return (type(widget).__qualname__, _fingerprint(attributes))


def form_key(form) -> tuple:
    fields = []
    for name, field in form.fields.items():
        bound = form[name]
        choices = getattr(field, "choices", None)
        if choices is not None and not isinstance(choices, list | tuple):
            # Read once (a query, for a model's choices): the render on a miss reads the
            # same list rather than asking the database again.
            field.choices = choices = list(iter(choices))  # iter: no COUNT for a length
        fields.append(
            (
                name,
                type(field).__qualname__,
                _fingerprint(bound.value()),
                _fingerprint(field.label),
                _fingerprint(field.help_text),
                field.required,
                field.disabled,
                field.show_hidden_initial,
                _widget(field.widget),
                None
                if choices is None
                else tuple((str(key), str(label)) for key, label in choices),
            )
        )
    return (
        type(form).__module__,
        type(form).__qualname__,
        form.prefix,
        form.auto_id,
        form.label_suffix,
        translation.get_language(),
        tuple(fields),
        _fingerprint(getattr(form, "helper", None)),
    )


def _keepable(form) -> bool:
    """Unbound, and written without the request's CSRF token (crispy adds one to a form
    whose helper writes the <form> tag, unless told not to): nothing of one visitor's."""
    helper = getattr(form, "helper", None)
    return not form.is_bound and helper is not None and (not helper.form_tag or helper.disable_csrf)


@register.simple_tag(takes_context=True)
def crispy_kept(context, form):
    values = context.flatten()
    if not _keepable(form):
        return render_crispy_form(form, context=values)
    try:
        key = form_key(form)
    except ValueError:
        return render_crispy_form(form, context=values)
    with _lock:
        html = _kept.get(key)
        if html is not None:
            _kept.move_to_end(key)
            return html
    html = render_crispy_form(form, context=values)
    with _lock:
        _kept[key] = html
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return html
