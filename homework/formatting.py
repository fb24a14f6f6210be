"""Teachers write instructions in Markdown; pupils see sanitised HTML (school/formatting.py)."""

from school.formatting import markdown_to_html


def instructions_to_html(source: str) -> str:
    return markdown_to_html(source)
