"""Escalate on-call requests nobody claimed in time, in a loop (healthchecks' sendalerts style).

Reading the queue escalates too, so this worker only makes escalation reach screens that are
not asking; nothing depends on it running.
"""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from patrol.services import on_call


class Command(BaseCommand):
    help = "Escalate unclaimed on-call requests to SLT on call (loops; --once for one pass)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Seconds between passes (default 5)."
        )

    def handle(self, *args, once=False, interval=5.0, **options):
        while True:
            for pk in on_call.on_call_escalate_due():
                self.stdout.write(f"Escalated on-call request {pk} to SLT on call")
            if once:
                return
            close_old_connections()  # a long-lived loop must not keep a dead connection
            time.sleep(interval)
