from django.apps import AppConfig


class PatrolConfig(AppConfig):
    name = "patrol"
    verbose_name = "Patrol and on-call"

    def ready(self):
        from patrol import signals  # noqa: F401 - connects the sign-out receiver
