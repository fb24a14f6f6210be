"""Writes the access log: the pupils a request's views marked as looked at
(school/looked.py), for a member of staff or a superuser, in one insert after the response.

When: the insert is a closer of the response (`HttpResponseBase._resource_closers`, the
hook Django's own FileResponse uses), run by `response.close()`, which the server calls
once it has sent the whole response (for a streamed one, after its last chunk). The
person has their page before anything is written; a response that fails (status 400 or
more) showed nothing and writes nothing. `request_finished` would be the other hook, but
it carries no request, so it would need a per-request connection of its own.

Nothing is read: the view has already read the user (and, to decide what to show, their
roles, which `school.access.roles_of` keeps on the user for the request) and the pupils;
the rows are built from ids in hand. A parent has no school, so asking whether they are
staff reads nothing either.

Never failing the response: by the time the closer runs the response is sent. A
database error is logged and the entries are lost; it is not raised. The closer runs
outside any transaction (ATOMIC_REQUESTS is off, and a view's own atomic blocks have
ended), so the one INSERT commits or fails on its own, with nothing else to spoil."""

import logging
from functools import partial

from django.db import DatabaseError
from django.utils import timezone

from school import access
from school.looked import looked_at

from ..models import AccessLogEntry

logger = logging.getLogger(__name__)

PAGE_LENGTH = AccessLogEntry._meta.get_field("page").max_length
PATH_LENGTH = AccessLogEntry._meta.get_field("path").max_length


def is_logged(user) -> bool:
    """Whose looks are logged: staff (anyone holding a role at their school) and
    superusers. Pupils and parents opening their own records are not."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or access.is_staff_member(user)


def entries_write(*, entries: list[AccessLogEntry], path: str) -> None:
    """The one insert; a database error is logged, never raised (the page is sent)."""
    try:
        AccessLogEntry.objects.bulk_create(entries)
    except DatabaseError:
        # The address without its query, which may hold the words of a search.
        logger.exception("The access log lost %d entries of %s", len(entries), path.split("?")[0])


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        looks = looked_at(request)
        if not looks or response.status_code >= 400 or not is_logged(request.user):
            return response
        at = timezone.now()
        user_id = request.user.pk
        path = request.get_full_path()[:PATH_LENGTH]
        entries = [
            AccessLogEntry(
                school_id=look.school_id,
                at=at,
                user_id=user_id,
                pupil_id=look.pupil_id,
                page=look.page[:PAGE_LENGTH],
                path=path,
            )
            for look in looks
        ]
        response._resource_closers.append(partial(entries_write, entries=entries, path=path))
        return response
