from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "notify"
    verbose_name = "Messages to parents and staff"

    def ready(self):
        from notify import checks  # noqa: F401  (registers the system check)
