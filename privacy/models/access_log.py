from django.db import models

from school.models import Pupil, SchoolOwned, User


class AccessLogEntry(SchoolOwned):
    """A member of staff opened a page showing a pupil's sensitive record (school/looked.py).
    Written after the response in one insert; kept for its own retention period."""

    at = models.DateTimeField()
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    page = models.CharField(max_length=60)
    path = models.CharField(max_length=300)

    class Meta:
        ordering = ["school", "-at", "-pk"]
        indexes = [
            models.Index(fields=["school", "pupil", "at"]),
            models.Index(fields=["school", "user", "at"]),
            models.Index(fields=["school", "at"]),
        ]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.user} opened {self.page} of pupil {self.pupil_id}"
