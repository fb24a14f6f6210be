from django.urls import path

from ..views import access_log

urlpatterns = [
    path("access-log/", access_log.access_log, name="privacy_access_log"),
    path(
        "access-log/pupils/<int:pupil_id>/",
        access_log.access_log_pupil,
        name="privacy_access_log_pupil",
    ),
    path("access-log/unusual/", access_log.access_log_unusual, name="privacy_access_log_unusual"),
]
