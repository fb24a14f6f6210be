from django.urls import path

from school.views import pupils

urlpatterns = [
    path("pupils/<int:pupil_id>/", pupils.pupil_detail, name="pupil_detail"),
]
