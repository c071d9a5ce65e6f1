"""Accounts and roles in School settings (the Django admin), held to what docs/roles.md says the
data manager may do: give and take roles and accounts, never superuser powers, never more
for themselves; every change of an account or its roles goes to the audit log."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from audit.models import AuditEvent
from audit.services import audit_record
from conduct.roles import Role

User = get_user_model()

# Fields only a superuser may change: they grant powers beyond the roles.
SUPERUSER_ONLY = ("is_superuser", "is_staff", "user_permissions", "last_login", "date_joined")


def _role_names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True)) if user.pk else set()


admin.site.unregister(User)


@admin.register(User)
class ConductUserAdmin(UserAdmin):
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += SUPERUSER_ONLY
            if obj is not None and obj.pk == request.user.pk:
                # Nobody gives themselves roles or re-enables themselves.
                fields += ["groups", "is_active"]
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False  # a superuser's account (and password) is theirs and other superusers'
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        before = User.objects.filter(pk=obj.pk).first() if change else None
        obj._roles_before = _role_names(before) if before else set()
        super().save_model(request, obj, form, change)
        if before is None:
            audit_record(
                request=request,
                action=AuditEvent.Action.ACCOUNT_CREATED,
                target=obj,
                detail={"username": obj.get_username()},
            )
            return
        changed = {
            field: [getattr(before, field), getattr(obj, field)]
            for field in ("username", "is_active", "is_staff", "is_superuser", "email")
            if getattr(before, field) != getattr(obj, field)
        }
        if changed:
            audit_record(
                request=request,
                action=AuditEvent.Action.ACCOUNT_CHANGED,
                target=obj,
                detail={"username": obj.get_username(), "changed": changed},
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        after = _role_names(user)
        before = getattr(user, "_roles_before", set())
        if after != before:
            audit_record(
                request=request,
                action=AuditEvent.Action.ROLES_CHANGED,
                target=user,
                detail={
                    "username": user.get_username(),
                    "added": sorted(after - before),
                    "removed": sorted(before - after),
                },
            )
        # The admin site opens for the data manager role: is_staff follows the role.
        if not request.user.is_superuser and not user.is_superuser:
            staff = Role.ADMIN in after
            if user.is_staff != staff:
                User.objects.filter(pk=user.pk).update(is_staff=staff)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=id)
            audit_record(
                request=request,
                action=AuditEvent.Action.PASSWORD_SET,
                target=user,
                detail={"username": user.get_username()},
            )
        return response
