"""The school's own wording of the room's standards and the restorative questions (School
settings). Records about students are never edited here."""

from django.contrib import admin

from pastoral.models import RestorativeQuestion, RoomStandard


@admin.register(RoomStandard)
class RoomStandardAdmin(admin.ModelAdmin):
    list_display = ["text", "position", "active"]
    list_editable = ["position", "active"]


@admin.register(RestorativeQuestion)
class RestorativeQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "audience", "position", "active"]
    list_filter = ["audience", "active"]
    list_editable = ["position", "active"]
