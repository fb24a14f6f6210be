"""What a refused form looks like on every page, now that forms render through crispy:
one summary above the form, each field's error under it and tied to it (the control has
aria-invalid and names the error in aria-describedby, a group of boxes names it on its
fieldset), an error of no single field shown once, and every group of radio buttons or
tick boxes in a fieldset with a legend."""

from html import escape
from html.parser import HTMLParser

VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr", "area", "col"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, dict] = {}
        self.text_by_id: dict[str, str] = {}
        self.described: list[dict] = []  # every element with aria-describedby
        self.ungrouped: list[str] = []  # radio or tick-box names outside a legend's fieldset
        self._open: list[tuple[str, str | None]] = []
        self._fieldsets: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if "id" in attrs:
            self.by_id[attrs["id"]] = attrs
            self.text_by_id.setdefault(attrs["id"], "")
        if "aria-describedby" in attrs:
            self.described.append(attrs)
        if tag == "fieldset":
            self._fieldsets.append({"legend": False})
        elif tag == "legend" and self._fieldsets:
            self._fieldsets[-1]["legend"] = True
        elif tag == "input" and self._in_a_group(attrs) and not self._under_a_legend():
            self.ungrouped.append(attrs.get("name", ""))
        if tag not in VOID:
            self._open.append((tag, attrs.get("id")))

    def _in_a_group(self, attrs) -> bool:
        # A radio button, or one of several tick boxes of a name (Django numbers their ids:
        # id_weekdays_0); a lone tick box is labelled on its own.
        if attrs.get("type") == "radio":
            return True
        return attrs.get("type") == "checkbox" and attrs.get("id", "").rsplit("_", 1)[-1].isdigit()

    def _under_a_legend(self) -> bool:
        return bool(self._fieldsets) and self._fieldsets[-1]["legend"]

    def handle_endtag(self, tag):
        if tag == "fieldset" and self._fieldsets:
            self._fieldsets.pop()
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        for _, element_id in self._open:
            if element_id:
                self.text_by_id[element_id] += data


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def assert_refused_form(html: str, *, summary: str | None, fields: dict[str, str], once=()) -> None:
    """`summary`: the words above the form, shown once (None for a search box, whose
    error under it says it all); `fields`: the id of each field
    refused (as Django gives it, "id_reason") and words of its error; `once`: errors of
    no single field, each shown exactly once."""
    page = parse(html)
    if summary is not None:
        assert html.count(escape(summary)) == 1, f"the summary {summary!r} is not shown once"
    for field_id, message in fields.items():
        error_id = f"{field_id}_error"
        assert message in page.text_by_id.get(error_id, ""), (
            f"{message!r} is not under the field {field_id}"
        )
        describing = [
            attrs for attrs in page.described if error_id in attrs["aria-describedby"].split()
        ]
        assert describing, f"no control or fieldset names {error_id} in aria-describedby"
        if field_id in page.by_id:
            assert page.by_id[field_id].get("aria-invalid") == "true", field_id
    for message in once:
        assert html.count(escape(message)) == 1, f"{message!r} is not shown exactly once"
    assert_groups_have_legends(html)


def assert_groups_have_legends(html: str) -> None:
    page = parse(html)
    assert not page.ungrouped, f"boxes outside a fieldset with a legend: {page.ungrouped}"
