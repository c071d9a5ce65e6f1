from django.contrib import admin

from work.models import WorkSettings


@admin.register(WorkSettings)
class WorkSettingsAdmin(admin.ModelAdmin):
    """The school's deadline for work, its reminder and the largest file (one row)."""

    list_display = ["__str__", "deadline_time", "deadline_school_days_before", "max_upload_mb"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not WorkSettings.objects.exists()
