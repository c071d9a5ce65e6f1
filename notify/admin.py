from django import forms
from django.contrib import admin

from audit.admin import AuditReadsMixin
from notify import services as notify_services
from notify.models import Message, MessageTemplate


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["key", "name", "is_active", "subject", "body", "sms_body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 24, "cols": 90})}

    def clean(self):
        # A mistake in a template would otherwise surface only when a placement is booked.
        cleaned = super().clean()
        for field in ("subject", "body", "sms_body"):
            mistake = notify_services.template_mistake(cleaned.get(field) or "")
            if mistake:
                self.add_error(field, f"Template mistake: {mistake}")
        return cleaned


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    form = MessageTemplateForm
    list_display = ["name", "key", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "key", "subject"]


@admin.register(Message)
class MessageAdmin(AuditReadsMixin, admin.ModelAdmin):
    """Read-mostly: messages change through Conduct's pages (approve, cancel, post), never by
    editing a row here."""

    list_display = ["created_at", "audience", "channel", "status", "recipient_name", "subject"]
    list_filter = ["status", "channel", "audience"]
    search_fields = ["recipient_name", "address", "subject"]
    date_hierarchy = "created_at"
    list_select_related = True

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
