from urllib.parse import urlencode

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

# /admin/login/ only sends the visitor on to /login/ (accounts.views.admin_login).
PUBLIC_PREFIXES = ("/login/", "/admin/login/", "/static/", "/healthz")


class LoginRequiredEverywhere:
    """Every page needs a signed-in user, except the login page, static files and health check.

    Role checks are each app's policies; this only makes sure an anonymous visitor never reaches a
    view that forgot its decorator. The admin site too: its sign-in is the same protected page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


# While a second factor is due, only these open: the code and set-up pages, signing out.
SECOND_FACTOR_OPEN = (
    "/account/two-factor/code/",
    "/account/two-factor/set-up/",
    "/logout/",
    "/static/",
    "/healthz",
)


class SecondFactorRequired:
    """After the password, a session whose account has a second factor, or whose role needs one
    (accounts.policies.must_use_two_factor), opens no page until the code is given. The sign-in
    signal (accounts/signals.py) marks the session; django-otp's middleware says whether it has
    passed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and request.session.get("two_factor_due")
            and not request.user.is_verified()
            and not request.path.startswith(SECOND_FACTOR_OPEN)
        ):
            target = request.get_full_path() if request.method == "GET" else "/"
            return redirect(f"{reverse('two-factor-verify')}?{urlencode({'next': target})}")
        return self.get_response(request)


def _second_factor_pending(session) -> bool:
    return bool(session.get("two_factor_due")) and not session.get(DEVICE_ID_SESSION_KEY)


class SecondFactorSocket(BaseMiddleware):
    """The same rule for WebSockets (inside channels' AuthMiddlewareStack): a session that has
    given its password but not yet its code opens a socket as nobody."""

    async def __call__(self, scope, receive, send):
        session = scope.get("session")
        if session is not None and await database_sync_to_async(_second_factor_pending)(session):
            scope = dict(scope, user=AnonymousUser())
        return await super().__call__(scope, receive, send)
