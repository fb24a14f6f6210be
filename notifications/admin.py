"""The outbox in the admin: a school admin sees what their school has told (or is waiting
to tell) each family, and nothing of another school's; each notification shows its
delivery attempts, and failed ones can be sent again. Nobody edits a row by hand."""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import ngettext

from school.admin import SchoolOwnedAdmin, ScopedInline

from . import services
from .models import Delivery, Notification


class DeliveryInline(ScopedInline, admin.TabularInline):
    model = Delivery
    school_path = "notification__school"
    fields = (
        "channel",
        "status",
        "digest",
        "attempts",
        "last_error",
        "provider_id",
        "attempted_at",
        "sent_at",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(SchoolOwnedAdmin):
    list_display = (
        "created_at",
        "kind",
        "pupil",
        "guardian",
        "status",
        "delivery_rows",
        "sent_at",
    )
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
    inlines = [DeliveryInline]
    actions = ["resend"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(delivery_count=Count("deliveries"))

    @admin.display(description="Deliveries", ordering="delivery_count")
    def delivery_rows(self, obj):
        return obj.delivery_count

    @admin.action(description="Resend the selected failed notifications", permissions=["resend"])
    def resend(self, request, queryset):
        selected = queryset.count()
        count = services.notifications_resend(notifications=queryset)
        skipped = selected - count
        self.message_user(
            request,
            ngettext(
                "%(count)d notification queued to be sent again.",
                "%(count)d notifications queued to be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
        if skipped:
            self.message_user(
                request,
                f"{skipped} selected notification(s) had not failed and were left alone.",
                messages.WARNING,
            )

    def has_resend_permission(self, request):
        return self.has_view_permission(request)

    # The rows are written by the events they tell of and sent by the worker: nobody adds
    # or edits one by hand.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
