from django.contrib import admin

from audit.models import AuditEvent, StateChange


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The log is read-only: nobody edits or removes what was recorded."""

    list_display = ["at", "username", "action", "object_repr", "ip_address"]
    list_filter = ["action"]
    search_fields = ["username", "object_repr", "object_id"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StateChange)
class StateChangeAdmin(AuditEventAdmin):
    """The history is read-only too."""

    list_display = ["at", "username", "object_type", "object_repr", "from_value", "to_value"]
    list_filter = ["object_type"]
    search_fields = ["username", "object_repr", "object_id"]
    readonly_fields = [f.name for f in StateChange._meta.fields]
