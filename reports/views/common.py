"""Who may read the reports: a school's senior leaders, school admins, governors and
trust leaders (reports/views/trust.py: also their trust's schools side by side), for
their own school, and superusers, who have no school of their own and choose one
(`?school=<slug>`, carried by every link of the pages). A trust leader chooses one of
their trust's schools the same way (another trust's: 404). Everyone else gets 404."""

from school import access
from school.models import RoleAssignment, School
from school.views.choose_school import names_school, page_school

Role = RoleAssignment.Role
READERS = (Role.SENIOR_LEADER, Role.SCHOOL_ADMIN, Role.GOVERNOR, Role.TRUST_LEADER)
NOT_FOUND = "The reports are for the school's leaders and governors."


def may_read_reports(user) -> bool:
    """The menu's rule."""
    return bool(getattr(user, "is_superuser", False)) or access.has_role(user, *READERS)


def report_school(request) -> School | None:
    """The school the report is about: a reader's own; a superuser names it with
    ?school=<slug>, a trust leader too among their trust's schools (None until they
    choose)."""
    return page_school(
        request,
        may=lambda user: access.has_role(user, *READERS),
        not_found=NOT_FOUND,
        trust_leaders=True,
    )


def chosen_school(request, school: School) -> dict:
    """The query every link of a report page carries: ?school=<slug> for those who name
    the school (superusers, trust leaders), nothing for a school's own readers."""
    return {"school": school.slug} if names_school(request.user) else {}
