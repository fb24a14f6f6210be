"""Who may use the import's pages: the school admins of a school, for that school, and
superusers, who have no school of their own and choose one (`?school=<slug>`, carried
by every link of the pages). Everyone else, and anyone at another school's run, gets 404.
The new-year pages (mis/rollover/) use the same rule."""

from django.http import Http404

from school import access
from school.models import RoleAssignment, School
from school.views.choose_school import page_school
from school.views.choose_school import school_query as school_query

from ..models import ImportRun
from ..selectors.runs import run_for_page

Role = RoleAssignment.Role

NOT_FOUND = "The imports are for the school's admins."


def may_import(user) -> bool:
    """The menu's rule: a school admin, or a superuser (who chooses the school)."""
    return bool(getattr(user, "is_superuser", False)) or access.has_role(user, Role.SCHOOL_ADMIN)


def admin_school(request) -> School | None:
    """The school the page is about: a school admin's own; a superuser names it with
    ?school=<slug> (None until they choose)."""
    return page_school(
        request, may=lambda user: access.has_role(user, Role.SCHOOL_ADMIN), not_found=NOT_FOUND
    )


def admin_run(request, run_id: int, *, with_preview: bool = True) -> ImportRun:
    """A run of the school the user administers (any school's for a superuser), else 404."""
    user = request.user
    if user.is_superuser:
        school_ids = None
    elif user.school_id is not None and access.has_role(user, Role.SCHOOL_ADMIN):
        school_ids = [user.school_id]
    else:
        raise Http404(NOT_FOUND)
    run = run_for_page(run_id, school_ids, with_preview=with_preview)
    if run is None:
        raise Http404("No such import at your school.")
    return run
