"""Your account, and the data manager's page of paused sign-ins."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import policies, selectors, services
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
