from django.urls import path

from . import views

urlpatterns = [
    path(
        "homework/<int:homework_id>/misses/",
        views.record_misses,
        name="sanctions_miss_record",
    ),
    path("misses/<int:miss_id>/void/", views.void_miss, name="sanctions_miss_void"),
    path("misses/<int:miss_id>/excuse/", views.excuse_miss, name="sanctions_miss_excuse"),
    path("", views.sanctions_dashboard, name="sanctions_dashboard"),
    path("pupils/<int:pupil_id>/", views.sanctions_pupil, name="sanctions_pupil"),
    path("detentions/", views.sanctions_detentions, name="sanctions_detentions"),
    path(
        "detentions/<int:session_id>/",
        views.sanctions_detention_session,
        name="sanctions_detention_session",
    ),
    path(
        "detentions/<int:session_id>/register/",
        views.sanctions_detention_register,
        name="sanctions_detention_register",
    ),
    path(
        "detentions/bookings/<int:booking_id>/confirm/",
        views.sanctions_booking_confirm,
        name="sanctions_booking_confirm",
    ),
]
