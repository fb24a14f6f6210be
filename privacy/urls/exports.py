from django.urls import path

from ..views import exports as views

urlpatterns = [
    path("exports/", views.exports_list, name="privacy_exports"),
    path("exports/<int:export_id>/", views.export_page, name="privacy_export"),
    path(
        "exports/<int:export_id>/download/",
        views.export_download_view,
        name="privacy_export_download",
    ),
    path(
        "exports/<int:export_id>/start-again/",
        views.export_restart_view,
        name="privacy_export_restart",
    ),
    path(
        "pupils/<int:pupil_id>/export/",
        views.export_pupil_start,
        name="privacy_export_pupil",
    ),
    path(
        "guardians/<int:guardian_id>/export/",
        views.export_guardian_start,
        name="privacy_export_guardian",
    ),
]
