"""The outbox in the admin, read-only: a school admin sees what their school has told (or
is waiting to tell) each family, and nothing of another school's."""

from django.contrib import admin

from school.admin import SchoolOwnedAdmin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(SchoolOwnedAdmin):
    list_display = ("created_at", "kind", "pupil", "guardian", "status", "sent_at")
    list_filter = ("status", "kind")
    list_select_related = ("pupil", "guardian")
    search_fields = ("pupil__first_name", "pupil__last_name", "guardian__last_name")
    date_hierarchy = "created_at"
    readonly_fields = (
        "created_at",
        "kind",
        "pupil",
        "guardian",
        "context",
        "status",
        "sent_at",
    )
    fields = readonly_fields

    # The rows are written by the events they tell of and sent by the worker: nobody adds
    # or edits one by hand.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
