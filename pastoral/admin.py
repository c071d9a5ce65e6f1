"""The school's own wording of the room's standards and the restorative questions (School
settings). Records about students are never edited here."""

from django import forms
from django.contrib import admin

from pastoral.models import InterventionType, RestorativeQuestion, ReviewRule, RoomStandard


@admin.register(RoomStandard)
class RoomStandardAdmin(admin.ModelAdmin):
    list_display = ["text", "position", "active"]
    list_editable = ["position", "active"]


@admin.register(RestorativeQuestion)
class RestorativeQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "audience", "position", "active"]
    list_filter = ["audience", "active"]
    list_editable = ["position", "active"]


# ---- the school's list of interventions and the review rules (docs/interventions.md) ---------


class InterventionTypeForm(forms.ModelForm):
    class Meta:
        model = InterventionType
        fields = ["name", "is_active", "order"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the intervention a name.")
        clash = InterventionType.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("The list already has an intervention with that name.")
        return name


@admin.register(InterventionType)
class InterventionTypeAdmin(admin.ModelAdmin):
    """Retire a type (not active) rather than delete it: interventions keep their type."""

    form = InterventionTypeForm
    list_display = ["name", "is_active", "order"]
    list_editable = ["is_active", "order"]

    def has_delete_permission(self, request, obj=None):
        return False


class ReviewRuleForm(forms.ModelForm):
    class Meta:
        model = ReviewRule
        fields = ["subject", "kind", "count", "within_school_days", "is_active"]

    def clean(self):
        data = super().clean()
        kind, subject = data.get("kind"), data.get("subject")
        count, days = data.get("count"), data.get("within_school_days")
        if kind == ReviewRule.Kind.REMOVALS:
            if count is not None and not 1 <= count <= 100:
                self.add_error("count", "Choose between 1 and 100 removals.")
            if days is not None and not 1 <= days <= 65:
                self.add_error("within_school_days", "Choose between 1 and 65 school days.")
        elif kind == ReviewRule.Kind.ROOM_DAYS:
            if count is not None and not 1 <= count <= 40:
                self.add_error("count", "Choose between 1 and 40 days in a half-term.")
            if subject != ReviewRule.Subject.STUDENT:
                self.add_error("kind", "Days in a room are counted for a student only.")
        elif kind == ReviewRule.Kind.EHCP_OR_LOOKED_AFTER:
            if subject != ReviewRule.Subject.STUDENT:
                self.add_error("kind", "This rule is about a student only.")
            data["count"] = 1
        return data


@admin.register(ReviewRule)
class ReviewRuleAdmin(admin.ModelAdmin):
    """The thresholds that open a review; switch one off rather than delete it (its reviews keep
    it)."""

    form = ReviewRuleForm
    list_display = ["__str__", "subject", "kind", "count", "within_school_days", "is_active"]
    list_filter = ["subject", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False
