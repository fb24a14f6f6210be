"""Markdown that staff write (homework instructions, the school's privacy notice) shown
as HTML cleaned of anything but plain formatting and safe links (nh3): no script, no
style, no event handler can reach a page."""

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "a", "h3", "h4",
    "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


def markdown_to_html(source: str, *, tags: set[str] = ALLOWED_TAGS) -> str:
    html = markdown.markdown(source or "", extensions=["sane_lists", "tables"])
    return nh3.clean(
        html,
        tags=tags,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
