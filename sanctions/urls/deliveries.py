"""Messages that did not reach a family, sent again."""

from django.urls import path

from ..views import deliveries

urlpatterns = [
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
]
