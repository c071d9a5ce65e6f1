import time
from urllib.parse import urlencode

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import LazyObject, empty
from django_otp import DEVICE_ID_SESSION_KEY

from audit.models import AuditEvent
from audit.services import audit_record
from pastoral.views import reflection


class RequestSizeLimit:
    """A post is refused with a page saying why, before anything reads it, when it is larger than
    Conduct takes: files (multipart) up to UPLOAD_MAX_BYTES, any other form up to
    DATA_UPLOAD_MAX_MEMORY_SIZE. Django's own limits on a multipart form's text and on the number
    of fields answer the same page instead of a bare "Bad Request"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("POST", "PUT", "PATCH"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            multipart = request.content_type == "multipart/form-data"
            limit = settings.UPLOAD_MAX_BYTES if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            if limit is not None and length > limit:
                return self.too_large(request, limit, uploading=multipart)
            try:
                request.POST  # noqa: B018 - parse now, so a limit is met here and not in CSRF's check
            except (RequestDataTooBig, TooManyFieldsSent):
                return self.too_large(
                    request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE, uploading=False
                )
        return self.get_response(request)

    @staticmethod
    def too_large(request, limit: int, *, uploading: bool):
        return render(
            request,
            "conduct/too_large.html",
            {"limit_mb": f"{limit / 1024 / 1024:.3g}", "uploading": uploading},
            status=413,
        )


# /admin/login/ only sends the visitor on to /login/ (accounts.views.admin_login).
PUBLIC_PREFIXES = ("/login/", "/admin/login/", "/static/", "/healthz")


class ReflectionLock:
    """A device handed to a student for their reflection (pastoral/views/reflection.py) reaches
    only the reflection page until the staff member's password unlocks it: every other address,
    the menu's and any typed, goes back there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and reflection.locked_interview_id(request) is not None
            and not request.path.startswith(reflection.LOCKED_PREFIXES)
        ):
            return redirect("reflection")
        return self.get_response(request)


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
        request.user = _unwrapped(request.user)
        return self.get_response(request)


def _unwrapped(user):
    """The user itself: django-otp wraps auth's lazy user in a lazy user of its own, and a page
    looks `request.user` up hundreds of times (policies, templates), each through both (issue
    15: ~0.3 ms a page). Both are loaded by the time this is asked."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


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


def _socket_refused(session) -> bool:
    """No socket for a session still owing its second factor, nor for a device locked to a
    student's reflection page (ReflectionLock)."""
    return _second_factor_pending(session) or session.get(reflection.LOCK_KEY) is not None


class SecondFactorSocket(BaseMiddleware):
    """The same rule for WebSockets (inside channels' AuthMiddlewareStack): a session that has
    given its password but not yet its code opens a socket as nobody; so does a device handed to
    a student for their reflection."""

    async def __call__(self, scope, receive, send):
        session = scope.get("session")
        if session is not None and await database_sync_to_async(_socket_refused)(session):
            scope = dict(scope, user=AnonymousUser())
        return await super().__call__(scope, receive, send)


class SignOutWhenIdle:
    """A session ends after a time without use (SESSION_IDLE_MINUTES_SENSITIVE for roles that
    see sensitive details, SESSION_IDLE_MINUTES for others), not only SESSION_COOKIE_AGE after
    signing in. The limit is fixed at sign-in (accounts/signals.py); the time of last use is
    written at most once a minute, so a page costs no extra query. Wall-clock time, not the
    school's clock, which tests freeze."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            limit = request.session.get("idle_limit")
            last = request.session.get("last_seen")
            if limit and last and now - last > limit:
                audit_record(
                    request=request,
                    action=AuditEvent.Action.SIGNED_OUT_IDLE,
                    detail={"idle_minutes": (now - last) // 60},
                )
                logout(request)
                messages.info(request, "You were signed out after a time without using Conduct.")
                return redirect_to_login(request.get_full_path())
            if not last or now - last >= 60:
                request.session["last_seen"] = now
        return self.get_response(request)


class NoStoreWhenSignedIn:
    """Pages and files for a signed-in person (student details, registers, letters as PDF) are
    never kept by the browser or a proxy: a shared computer's back button or cache shows
    nothing after signing out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not request.path.startswith("/static/"):
            patch_cache_control(response, no_store=True, private=True)
        return response
