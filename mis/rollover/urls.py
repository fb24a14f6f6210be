from django.urls import path

from . import views

urlpatterns = [
    path("", views.new_year_calendar, name="mis_new_year"),
    path("moves/", views.new_year_choices, name="mis_new_year_choices"),
    path("check/", views.new_year_check, name="mis_new_year_check"),
]
