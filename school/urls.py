from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    # The language switcher: Django's own, which also saves a guardian's choice.
    path("i18n/setlang/", views.language_switch, name="set_language"),
    path("pupils/<int:pupil_id>/", views.pupil_detail, name="pupil_detail"),
    path("tutor-groups/<int:group_id>/", views.tutor_group_detail, name="tutor_group_detail"),
    path("classes/<int:group_id>/", views.teaching_group_detail, name="teaching_group_detail"),
    path("years/<int:year_id>/", views.year_group_detail, name="year_group_detail"),
    path("houses/<int:house_id>/", views.house_detail, name="house_detail"),
]
