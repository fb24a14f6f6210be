"""Messages between families and staff."""

from django.urls import path

from ..views import messages

urlpatterns = [
    path("messages/", messages.parents_messages, name="parents_messages"),
    path("messages/new/", messages.parents_message_new, name="parents_message_new"),
    path(
        "messages/<int:thread_id>/",
        messages.parents_message_thread,
        name="parents_message_thread",
    ),
]
