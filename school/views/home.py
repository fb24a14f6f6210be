"""The home page: what each person has to do today, shaped by their roles."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import panels, selectors


@login_required
def home(request):
    page = selectors.home_page_for(request.user)
    children_links = panels.links_for(panels.HOME_CHILDREN, user=request.user)
    page_links = panels.links_for(panels.HOME_PAGES, user=request.user)
    return render(
        request,
        "school/home.html",
        {"page": page, "children_links": children_links, "page_links": page_links},
    )
