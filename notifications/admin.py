"""The outbox in the admin: a school admin sees what their school has told (or is waiting
to tell) each family, and nothing of another school's; each notification shows its
delivery attempts and who did what with it; failed ones can be sent again, and those held
after a restore released (sent) or discarded. Nobody edits a row by hand."""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import ngettext

from school.admin.scoping import SchoolOwnedAdmin, ScopedInline

from . import registry, restore, services
from .models import Delivery, Notification, NotificationAction


class KindFilter(admin.SimpleListFilter):
    """The kinds the apps register, by their labels (the column lists no choices)."""

    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(kind.code, kind.label) for kind in registry.kinds()]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


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


class ActionInline(ScopedInline, admin.TabularInline):
    model = NotificationAction
    school_path = "notification__school"
    fields = ("at", "action", "channel", "actor")
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
        "kind_label",
        "pupil",
        "guardian",
        "status",
        "delivery_rows",
        "sent_at",
    )
    list_filter = ("status", KindFilter)
    list_select_related = ("pupil", "guardian")
    search_fields = ("pupil__first_name", "pupil__last_name", "guardian__last_name")
    date_hierarchy = "created_at"
    readonly_fields = (
        "created_at",
        "kind_label",
        "pupil",
        "guardian",
        "context",
        "status",
        "channel",
        "sent_at",
    )
    fields = readonly_fields
    inlines = [DeliveryInline, ActionInline]
    actions = ["resend", "release", "discard"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(delivery_count=Count("deliveries"))

    @admin.display(description="Kind", ordering="kind")
    def kind_label(self, obj):
        return obj.get_kind_display()

    @admin.display(description="Deliveries", ordering="delivery_count")
    def delivery_rows(self, obj):
        return obj.delivery_count

    @admin.action(description="Resend the selected failed notifications", permissions=["resend"])
    def resend(self, request, queryset):
        selected = queryset.count()
        count = services.notifications_resend(notifications=queryset, actor=request.user)
        self._report(request, count, selected - count, "queued to be sent again", "failed")

    @admin.action(
        description="Release (send) the selected messages held after a restore",
        permissions=["resend"],
    )
    def release(self, request, queryset):
        selected = queryset.count()
        count = restore.notifications_release(notifications=queryset, actor=request.user)
        self._report(request, count, selected - count, "released to be sent", "been held")

    @admin.action(
        description="Discard (never send) the selected messages held after a restore",
        permissions=["resend"],
    )
    def discard(self, request, queryset):
        selected = queryset.count()
        count = restore.notifications_discard(notifications=queryset, actor=request.user)
        self._report(request, count, selected - count, "discarded", "been held")

    def _report(self, request, count, skipped, done, needed):
        self.message_user(
            request,
            ngettext("%(count)d notification %(done)s.", "%(count)d notifications %(done)s.", count)
            % {"count": count, "done": done},
            messages.SUCCESS if count else messages.WARNING,
        )
        if skipped:
            self.message_user(
                request,
                f"{skipped} selected notification(s) had not {needed} and were left alone.",
                messages.WARNING,
            )

    def changelist_view(self, request, extra_context=None):
        held = self.get_queryset(request).filter(status=Notification.Status.HELD).count()
        if held:
            self.message_user(
                request,
                f"{held} message(s) to families are held after a restore: they may have been "
                'sent before the backup was taken. Filter by status "Held after a restore", '
                "then release (send) or discard them.",
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

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
