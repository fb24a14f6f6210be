from django.db import models


class RateLimit(models.Model):
    """How many times something limited happened in the current window: password reset
    emails asked for one address or from one client, link codes tried by one login.
    Written only by school/ratelimits.py, with atomic increments; `key` is a keyed hash,
    so no address is stored."""

    key = models.CharField(max_length=64, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_ends = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.count} until {self.window_ends:%Y-%m-%d %H:%M}"
