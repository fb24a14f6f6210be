from django.urls import path

from ..views import people

urlpatterns = [
    path("", people.privacy_home, name="privacy_home"),
    path("people/", people.people_search, name="privacy_people"),
    path("pupils/<int:pupil_id>/", people.privacy_pupil, name="privacy_pupil"),
    path("guardians/<int:guardian_id>/", people.privacy_guardian, name="privacy_guardian"),
]
