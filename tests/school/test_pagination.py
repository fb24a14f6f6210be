"""The one pager under every long list keeps the rest of the query (filters, the school
a superuser chose) and changes only its own page number."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def test_the_pager_keeps_the_query_and_changes_only_its_own_page():
    request = RequestFactory().get(
        "/imports/runs/1/", {"school": "demo", "show": "left", "page": 2}
    )
    page = Paginator(range(200), 50).page(2)

    html = render_to_string(
        "school/_pagination.html",
        {"page": page, "anchor": "#changes", "label": "Pages of changes", "request": request},
    )

    assert 'aria-label="Pages of changes"' in html
    assert 'href="?school=demo&amp;show=left&amp;page=1#changes">Previous' in html
    assert 'href="?school=demo&amp;show=left&amp;page=3#changes">Next' in html


def test_a_second_pager_on_the_page_has_its_own_parameter():
    request = RequestFactory().get("/imports/runs/1/", {"page": 3})
    errors = Paginator(range(300), 100).page(1)

    html = render_to_string(
        "school/_pagination.html",
        {"page": errors, "param": "errors_page", "request": request},
    )

    assert 'href="?page=3&amp;errors_page=2">Next' in html
    assert "Previous" not in html
    assert 'aria-label="Pages"' in html


def test_a_list_of_one_page_has_no_pager():
    request = RequestFactory().get("/")
    html = render_to_string(
        "school/_pagination.html", {"page": Paginator(range(5), 50).page(1), "request": request}
    )
    assert html.strip() == ""
