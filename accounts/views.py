"""Your account, and the data manager's page of paused sign-ins."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from accounts import policies, selectors, services
from audit.models import AuditEvent
from audit.services import audit_record
from conduct.lib.errors import message_of


def account(request):
    """What a signed-in person can do about their own sign-in."""
    return render(request, "accounts/account.html")


def locked_accounts(request):
    if not policies.can_manage_accounts(request.user):
        raise PermissionDenied
    return render(request, "accounts/locked_accounts.html", {"locks": selectors.locks()})


@require_POST
def account_unlock(request):
    if not policies.can_manage_accounts(request.user):
        raise PermissionDenied
    kind, key = request.POST.get("kind", ""), request.POST.get("key", "").strip()
    try:
        services.lock_lift(kind=kind, key=key, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, f"Unlocked {key}. They can sign in again.")
    return redirect("locked-accounts")


def admin_login(request):
    """The Django admin's own sign-in page is not used: everyone signs in through the one
    protected sign-in page. A signed-in account the admin site refuses is told so."""
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or "/admin/")


class PasswordChange(auth_views.PasswordChangeView):
    """Change your own password (the old one first); written to the audit log."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(request=self.request, action=AuditEvent.Action.PASSWORD_CHANGED)
        messages.success(self.request, "Your password is changed.")
        return response


class PasswordReset(auth_views.PasswordResetView):
    """Ask for a link by email. The page says the same whether or not the address is known,
    so it cannot be used to find out who works here."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password-reset-sent")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(
            request=self.request,
            action=AuditEvent.Action.PASSWORD_RESET_ASKED,
            detail={"email": form.cleaned_data["email"][:254]},
        )
        return response


class PasswordResetSent(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_sent.html"


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """Choose a new password from the emailed link. It ends a pause on signing in: whoever
    reset it holds the account's mailbox."""

    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.lock_lift_for_user(user=form.user)
        audit_record(
            request=self.request,
            user=form.user,
            action=AuditEvent.Action.PASSWORD_RESET,
            detail={"username": form.user.get_username()},
        )
        return response


class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
