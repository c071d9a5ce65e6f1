"""At sign-in, note in the session whether a second factor is due before any page opens."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts import policies
from accounts.services import two_factor


@receiver(user_logged_in)
def _second_factor_due(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if policies.must_use_two_factor(user) or two_factor.has_two_factor(user):
        request.session["two_factor_due"] = True
    # How long the session may go unused (conduct.middleware.SignOutWhenIdle).
    request.session["idle_limit"] = policies.idle_minutes(user) * 60
    request.session["last_seen"] = int(time.time())
