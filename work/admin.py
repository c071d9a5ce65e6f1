from django.contrib import admin

from work.models import DayActivity, WorkSettings


@admin.register(WorkSettings)
class WorkSettingsAdmin(admin.ModelAdmin):
    """The school's deadline for work, its reminder and the largest file (one row)."""

    list_display = ["__str__", "deadline_time", "deadline_school_days_before", "max_upload_mb"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not WorkSettings.objects.exists()


@admin.register(DayActivity)
class DayActivityAdmin(admin.ModelAdmin):
    """A provision's programme for the day (an alternative learning day's activities)."""

    list_display = ["provision", "starts_at", "ends_at", "activity"]
    list_filter = ["provision"]
