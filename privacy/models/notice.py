from django.db import models

from school.models import SchoolOwned, User


class PrivacyNotice(SchoolOwned):
    """The school's own words of its privacy notice in one of the parents' languages
    (Markdown, cleaned when shown). The page adds what the product holds and for how long
    from the retention schedule."""

    language = models.CharField(max_length=10)
    body = models.TextField()
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["school", "language"]
        constraints = [
            models.UniqueConstraint(fields=["school", "language"], name="privacy_notice_once")
        ]

    def __str__(self):
        return f"Privacy notice ({self.language})"
