from django.contrib import admin

from sanctions import models


@admin.register(models.ReasonCategory)
class ReasonCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_dfe", "is_active", "order"]
    list_filter = ["is_dfe", "is_active"]
    list_editable = ["is_active", "order"]


class ProvisionRoomInline(admin.TabularInline):
    model = models.ProvisionRoom
    extra = 0


@admin.register(models.Provision)
class ProvisionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "arrives_at", "leaves_at", "approver_roles", "is_bookable"]
    inlines = [ProvisionRoomInline]


@admin.register(models.EscalationRule)
class EscalationRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "from_provision", "trigger", "to_provision", "days", "is_active"]
    list_filter = ["from_provision", "is_active"]
