from django.urls import path

from ..views import erasure

urlpatterns = [
    path("erasure/", erasure.erasure_home, name="privacy_erasure"),
    path(
        "guardians/<int:guardian_id>/erase/",
        erasure.guardian_erase_confirm,
        name="privacy_guardian_erase",
    ),
    path("pupils/<int:pupil_id>/changes.csv", erasure.pupil_changes, name="privacy_pupil_changes"),
    path(
        "guardians/<int:guardian_id>/changes.csv",
        erasure.guardian_changes,
        name="privacy_guardian_changes",
    ),
]
