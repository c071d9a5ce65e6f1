from django.contrib import admin

from audit.models import AuditEvent, StateChange
from audit.services import audit_record


class AuditReadsMixin:
    """For a ModelAdmin of records about people (students, guardians, messages): opening a
    record's page in the Django admin is a read, logged like a read anywhere in Conduct."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            student_id = getattr(obj, "student_id", None) or (
                obj.pk if obj._meta.label_lower == "school.student" else None
            )
            audit_record(
                request=request,
                action=AuditEvent.Action.VIEW,
                target=obj,
                detail={"page": "admin", "student": student_id},
            )
        return super().render_change_form(request, context, add, change, form_url, obj)


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
