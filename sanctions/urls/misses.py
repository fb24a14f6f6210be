"""Recording missed deadlines from a register, undoing or excusing one, and extensions."""

from django.urls import path

from ..views import misses

urlpatterns = [
    path(
        "homework/<int:homework_id>/misses/",
        misses.record_misses,
        name="sanctions_miss_record",
    ),
    path("misses/<int:miss_id>/void/", misses.void_miss, name="sanctions_miss_void"),
    path("misses/<int:miss_id>/excuse/", misses.excuse_miss, name="sanctions_miss_excuse"),
    path(
        "assignments/<int:assignment_id>/extend/",
        misses.extend_assignment,
        name="sanctions_extension",
    ),
]
