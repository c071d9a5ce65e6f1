"""Your account, and the data manager's page of paused sign-ins."""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from accounts import policies, selectors
from accounts.forms import CodeForm, NewAppCodeForm
from accounts.services import locks, two_factor
from audit.models import AuditEvent
from audit.services import audit_record
from conduct.lib.errors import message_of
from conduct.lib.forms import errors_into


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
        locks.lock_lift(kind=kind, key=key, by=request.user, request=request)
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
        locks.lock_lift_for_user(user=form.user)
        audit_record(
            request=self.request,
            user=form.user,
            action=AuditEvent.Action.PASSWORD_RESET,
            detail={"username": form.user.get_username()},
        )
        return response


class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


def _next_or_home(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path of this site only: redirect() would take a bare word for a URL name (a 500).
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def two_factor_page(request):
    """Your two-factor sign-in: set it up, make new recovery codes, or turn it off."""
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enrolled": two_factor.has_two_factor(request.user),
            "required": policies.must_use_two_factor(request.user),
        },
    )


def _second_factor_passed(request) -> bool:
    """A session may change the second factor only once it has passed it (or has none yet):
    a stolen password alone must not replace the app."""
    return request.user.is_verified() or not two_factor.has_two_factor(request.user)


def two_factor_setup(request):
    """Scan a picture into an authenticator app, then type the code it shows."""
    if not _second_factor_passed(request):
        return redirect(f"{reverse('two-factor-verify')}?{urlencode({'next': request.path})}")
    form = NewAppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.two_factor_confirm(
                user=request.user, token=form.cleaned_data["token"], request=request
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next_or_home(request), "new_app": True},
            )
    device = (request.method == "POST" and two_factor.two_factor_pending(user=request.user)) or (
        two_factor.two_factor_start(user=request.user)
    )
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=5, title="QR code to scan into your authenticator app", border=2
    )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": mark_safe(qr),  # noqa: S308 - segno's own SVG of our URL
            "secret": b32encode(device.bin_key).decode(),
            "next": request.GET.get("next") or request.POST.get("next") or "",
            "required": policies.must_use_two_factor(request.user),
        },
    )


def two_factor_verify(request):
    """The second step of signing in: a code from the app, or a recovery code."""
    if not two_factor.has_two_factor(request.user):
        return redirect(
            f"{reverse('two-factor-setup')}?{urlencode({'next': _next_or_home(request)})}"
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.two_factor_verify(
                user=request.user, token=form.cleaned_data["token"], request=request
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            return redirect(_next_or_home(request))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": request.GET.get("next") or request.POST.get("next") or ""},
    )


@require_POST
def recovery_codes_new(request):
    if not _second_factor_passed(request):
        raise PermissionDenied
    try:
        codes = two_factor.recovery_codes_renew(user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, message_of(error))
        return redirect("two-factor")
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("account")}
    )


@require_POST
def two_factor_off(request):
    if not _second_factor_passed(request):
        raise PermissionDenied
    try:
        two_factor.two_factor_remove(user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, "Two-factor sign-in is off.")
    return redirect("two-factor")
