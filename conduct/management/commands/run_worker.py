"""Send queued emails and texts, in a loop (like healthchecks' sendalerts) or once for cron."""

import signal
import time

from django.core.management.base import BaseCommand

from conduct.periodic import run_periodic_tasks
from notify.services import message_send_due


class Command(BaseCommand):
    help = "Send queued messages every few seconds; --once to send what is due and stop."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass, then exit (cron)")
        parser.add_argument("--interval", type=float, default=10.0, help="seconds between passes")
        parser.add_argument("--limit", type=int, default=100, help="messages per pass")

    def handle(self, *args, once=False, interval=10.0, limit=100, **options):
        self.stopping = False
        if not once:
            # Finish the message in hand, then stop, when the service manager asks.
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
            self.stdout.write(f"run_worker: sending due messages every {interval:g}s")
        while True:
            try:
                run_periodic_tasks()
                report = message_send_due(limit=limit)
            except Exception as exc:  # a database blip must not end the loop
                self.stderr.write(f"run_worker: pass failed: {exc!r}")
                if once:
                    raise
            else:
                if once or report.sent or report.retrying or report.failed:
                    self.stdout.write(
                        f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}, "
                        f"taken by another worker {report.skipped}"
                    )
                # A full pass means more may be waiting: go again at once.
                if not once and not self.stopping and sum(vars(report).values()) >= limit:
                    continue
            if once or self.stopping:
                return
            deadline = time.monotonic() + interval
            while time.monotonic() < deadline and not self.stopping:
                time.sleep(min(0.5, interval))
            if self.stopping:
                return

    def _stop(self, signum, frame):
        self.stopping = True
