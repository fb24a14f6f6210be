"""Limits on how often something may happen in a window of time (password reset emails
per address and per client, link codes tried per login), counted in the database.

The counts live in PostgreSQL rather than the cache so that a limit holds when Redis is
down or was flushed, and so that it is exact under concurrency: an attempt is counted by
one UPDATE ... SET count = count + 1, whose row lock is held until the count is read
back, so of N requests arriving at once exactly `limit` are let through. Count an attempt
before doing the limited thing (`limit_hit`), never after it fails: otherwise a burst of
guesses all pass the check before the first failure is written."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import RateLimit


@dataclass(frozen=True)
class Limit:
    """At most `count` times per `window` for each subject (an address, a login...)."""

    scope: str
    count: int
    window: timedelta


def _key(limit: Limit, subject: str) -> str:
    # Keyed, so a stolen table does not give the addresses back.
    return salted_hmac(
        "school.ratelimits", f"{limit.scope}\n{subject}", algorithm="sha256"
    ).hexdigest()


@transaction.atomic
def limit_hit(limit: Limit, subject: str, *, now=None) -> bool:
    """Count one attempt of `subject` at `limit`; True while it is within the limit.
    An attempt over the limit is refused, and counted too."""
    now = now or timezone.now()
    key = _key(limit, subject)
    rows = RateLimit.objects.filter(key=key)
    for _ in range(3):
        if rows.filter(window_ends__gt=now).update(count=F("count") + 1):
            break
        # The window is over (or there is none yet): this attempt starts a new one. The
        # condition is checked again under the row lock, so two requests cannot both
        # start it.
        if rows.filter(window_ends__lte=now).update(count=1, window_ends=now + limit.window):
            break
        try:
            with transaction.atomic():
                RateLimit.objects.create(key=key, count=1, window_ends=now + limit.window)
            break
        except IntegrityError:
            continue  # another request created it first: count on it
    return rows.values_list("count", flat=True).get() <= limit.count


def limit_refund(limit: Limit, subject: str, *, now=None) -> None:
    """Give back an attempt counted by `limit_hit` that turned out not to count (a code
    that matched)."""
    now = now or timezone.now()
    RateLimit.objects.filter(key=_key(limit, subject), window_ends__gt=now, count__gt=0).update(
        count=F("count") - 1
    )


def limit_remaining(limit: Limit, subject: str, *, now=None) -> int:
    """Attempts `subject` has left in the current window."""
    now = now or timezone.now()
    used = (
        RateLimit.objects.filter(key=_key(limit, subject), window_ends__gt=now)
        .values_list("count", flat=True)
        .first()
    )
    return max(0, limit.count - (used or 0))


def limits_prune(*, now=None) -> int:
    """Delete the counts whose window is over; returns how many."""
    deleted, _ = RateLimit.objects.filter(window_ends__lte=now or timezone.now()).delete()
    return deleted


def client_address(request) -> str:
    """The address the request came from. Behind the reverse proxy that terminates TLS
    (BEHIND_TLS_PROXY), that is the last address the proxy added to X-Forwarded-For:
    the earlier ones are whatever the client chose to send."""
    if getattr(settings, "BEHIND_TLS_PROXY", False):
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")
