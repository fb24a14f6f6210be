"""The links in every page's footer, which apps above `school` register (school/panels.py
`register_link(FOOTER, ...)`: the privacy notice, say). Each link's address is reversed
from a fixed name: the footer costs no query."""

from django import template

from ..panels import links_for

register = template.Library()

FOOTER = "footer"  # a place of school/panels.py's links; url(**{}) takes no argument


@register.simple_tag
def footer_links() -> list[dict]:
    return links_for(FOOTER)
