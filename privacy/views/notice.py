"""The privacy notice: the public page of each school's notice (no login needed: the
invitation emails and every page's footer link to it), the footer's address that finds
the visitor's school, and the lead's page to edit the notice in each language."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods

from school.models import Guardian, School

from ..forms.notice import NoticeForm
from ..notice import selectors
from ..notice.default import default_notice
from ..notice.services import notice_save
from .common import lead_school, school_query
from .people import _choose_school

SCHOOLS_PER_PAGE = 100


def _visitors_school_slug(user) -> str | None:
    """The school of a member of staff or a pupil, or of a guardian's first record."""
    if not user.is_authenticated:
        return None
    if user.school_id is not None:
        return School.objects.filter(pk=user.school_id).values_list("slug", flat=True).first()
    return (
        Guardian.objects.filter(user=user)
        .order_by("pk")
        .values_list("school__slug", flat=True)
        .first()
    )


@require_GET
def notice_choose(request):
    """The footer's link: the visitor's own school's notice, else the list of schools."""
    slug = _visitors_school_slug(request.user)
    if slug:
        return redirect("privacy_notice_school", slug=slug)
    page = Paginator(School.objects.order_by("name").only("name", "slug"), SCHOOLS_PER_PAGE)
    return render(
        request,
        "privacy/notice/choose.html",
        {"page": page.get_page(request.GET.get("page"))},
    )


@require_GET
def notice_page(request, slug: str):
    school = get_object_or_404(School.objects.only("name", "slug"), slug=slug)
    language = selectors.notice_language(translation.get_language())
    return render(
        request,
        "privacy/notice/page.html",
        {
            "school": school,
            "notice": selectors.notice_shown(school, language),
            "holdings": selectors.holdings(school),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_edit(request):
    school = lead_school(request)
    if school is None:
        return _choose_school(request)
    query = school_query(request, school)
    notices = selectors.notices_of(school)
    language = request.GET.get("language", selectors.ENGLISH)
    if language not in selectors.LANGUAGES:
        language = selectors.ENGLISH
    status = 200
    if request.method == "POST":
        form = NoticeForm(request.POST)
        if form.is_valid():
            language = form.cleaned_data["language"]
            notice_save(
                school=school,
                language=language,
                body=form.cleaned_data["body"],
                user=request.user,
            )
            messages.success(request, "The privacy notice is saved.")
            separator = "&" if query else "?"
            return redirect(
                reverse("privacy_notice_edit") + query + f"{separator}language={language}"
            )
        status = 400
    else:
        current = notices.get(language)
        body = current.body if current else default_notice(school.name)
        form = NoticeForm(initial={"language": language, "body": body})
    return render(
        request,
        "privacy/notice/edit.html",
        {
            "school": school,
            "school_query": query,
            "form": form,
            "language": language,
            "languages": [
                (value, label, notices.get(value)) for value, label in Guardian.Language.choices
            ],
        },
        status=status,
    )
