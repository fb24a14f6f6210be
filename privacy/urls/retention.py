from django.urls import path

from ..views import retention

urlpatterns = [
    path("retention/", retention.retention_schedule, name="privacy_retention"),
    path("retention/dry-run/", retention.retention_dry_run, name="privacy_retention_dry_run"),
    path("retention/run/", retention.retention_run_now, name="privacy_retention_run_now"),
    path("retention/runs/", retention.retention_runs, name="privacy_retention_runs"),
    path("retention/runs/<int:run_id>/", retention.retention_run, name="privacy_retention_run"),
    path("pupils/<int:pupil_id>/hold/", retention.retention_hold, name="privacy_retention_hold"),
    path(
        "holds/<int:hold_id>/lift/",
        retention.retention_hold_lift,
        name="privacy_retention_hold_lift",
    ),
]
