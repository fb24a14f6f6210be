"""{% kept report "unit" "part" %}...{% endkept %}: a part of the report's page that shows
only the figures of one kept unit (cache.UNITS: "half-term", "engagement"), rendered once
and kept under the report's marks as those figures are (reports/measures/cache.py): the
same write that makes the figures count again makes the part render again."""

from django import template
from django.utils.safestring import mark_safe

from ..measures import cache

register = template.Library()


class KeptNode(template.Node):
    def __init__(self, nodelist, report, unit, part):
        self.nodelist, self.report, self.unit, self.part = nodelist, report, unit, part

    def render(self, context):
        report = self.report.resolve(context)
        marks = getattr(report, "marks", None)
        if marks is None:
            return self.nodelist.render(context)
        unit = self.unit.resolve(context)
        html = marks.cached(
            f"html:{unit}:{self.part.resolve(context)}",
            cache.UNITS[unit],
            report.key_parts,
            lambda: str(self.nodelist.render(context)),
        )
        return mark_safe(html)  # noqa: S308 - rendered here, by the template, escaped


@register.tag("kept")
def kept(parser, token):
    bits = token.split_contents()
    if len(bits) != 4:
        raise template.TemplateSyntaxError('Usage: {% kept report "unit" "part" %}...{% endkept %}')
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, *(parser.compile_filter(bit) for bit in bits[1:]))
