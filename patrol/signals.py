"""Signing out closes the person's live on-call sockets (patrol/consumers.py)."""

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from patrol import events


@receiver(user_logged_out, dispatch_uid="patrol.close_sockets_on_sign_out")
def close_sockets_on_sign_out(sender, request, user, **kwargs):
    if user is not None and user.pk is not None:
        events.session_ended(user.pk)
