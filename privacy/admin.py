from django.contrib import admin

from conduct.lib import clock
from privacy.models import RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "keep_years", "counted_from", "action", "source", "updated_at")
    readonly_fields = ("updated_by", "updated_at")

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        obj.updated_at = clock.now()
        super().save_model(request, obj, form, change)
