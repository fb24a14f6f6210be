from django.urls import path

from school.views import rosters

urlpatterns = [
    path("tutor-groups/<int:group_id>/", rosters.tutor_group_detail, name="tutor_group_detail"),
    path("classes/<int:group_id>/", rosters.teaching_group_detail, name="teaching_group_detail"),
    path("years/<int:year_id>/", rosters.year_group_detail, name="year_group_detail"),
    path("houses/<int:house_id>/", rosters.house_detail, name="house_detail"),
]
