"""Jobs the worker (`manage.py run_worker`) runs on every pass, before sending messages. Each
decides for itself whether anything is due, so running one twice does no harm."""

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_TASKS = [
    "sanctions.services.digest.register_digest_due",
    # Reminders before the work deadline, and the programme's task at it.
    "work.services.requests.work_deadlines_due",
]


def run_periodic_tasks() -> None:
    for path in getattr(settings, "PERIODIC_TASKS", DEFAULT_TASKS):
        import_string(path)()
