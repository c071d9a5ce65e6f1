from django.contrib import admin

from patrol.models import Duty, OnCallReason, StaffAbsence


@admin.register(OnCallReason)
class OnCallReasonAdmin(admin.ModelAdmin):
    list_display = ["label", "position", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):
    list_display = ["date", "period", "staff", "kind", "room"]
    list_filter = ["kind", "date"]
    readonly_fields = ["added_by", "added_at"]


@admin.register(StaffAbsence)
class StaffAbsenceAdmin(admin.ModelAdmin):
    list_display = ["staff", "starts_on", "ends_on", "note"]
    readonly_fields = ["added_by", "added_at"]
