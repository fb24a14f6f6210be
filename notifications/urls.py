from django.urls import path

from . import views

urlpatterns = [
    path("", views.notification_preferences, name="notification_preferences"),
    path(
        "<int:guardian_id>/",
        views.notification_preferences_save,
        name="notification_preferences_save",
    ),
]
