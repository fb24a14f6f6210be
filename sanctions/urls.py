from django.urls import path

from . import views
from .views import commendations, deliveries, exclusions, meetings, policy

urlpatterns = [
    path(
        "homework/<int:homework_id>/misses/",
        views.record_misses,
        name="sanctions_miss_record",
    ),
    path("misses/<int:miss_id>/void/", views.void_miss, name="sanctions_miss_void"),
    path("misses/<int:miss_id>/excuse/", views.excuse_miss, name="sanctions_miss_excuse"),
    path(
        "assignments/<int:assignment_id>/extend/",
        views.extend_assignment,
        name="sanctions_extension",
    ),
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
    # Internal exclusion days (sanctions/views/exclusions.py)
    path("exclusions/", exclusions.sanctions_exclusions, name="sanctions_exclusions"),
    path(
        "exclusions/<int:session_id>/",
        exclusions.sanctions_exclusion_session,
        name="sanctions_exclusion_session",
    ),
    path(
        "exclusions/<int:session_id>/register/",
        exclusions.sanctions_exclusion_register,
        name="sanctions_exclusion_register",
    ),
    # Meetings (sanctions/views/meetings.py)
    path("meetings/", meetings.sanctions_meetings, name="sanctions_meetings"),
    path("meetings/<int:meeting_id>/", meetings.sanctions_meeting, name="sanctions_meeting"),
    # The escalation policy (sanctions/views/policy.py)
    path("policy/", policy.sanctions_policy, name="sanctions_policy"),
    # Messages that did not reach a family (sanctions/views/deliveries.py)
    path(
        "messages/<int:notification_id>/resend/",
        deliveries.sanctions_message_resend,
        name="sanctions_message_resend",
    ),
    path(
        "messages/<int:notification_id>/resend-other/",
        deliveries.sanctions_message_resend_other,
        name="sanctions_message_resend_other",
    ),
    # Commendations (sanctions/views/commendations.py)
    path(
        "pupils/<int:pupil_id>/commend/",
        commendations.sanctions_commend,
        name="sanctions_commend",
    ),
]
