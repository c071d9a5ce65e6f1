from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _role_groups(sender, **kwargs):
    from conduct.roles import ensure_role_groups

    ensure_role_groups()


class ConductConfig(AppConfig):
    name = "conduct"

    def ready(self) -> None:
        # After every migrate the role groups exist, with the admin role's permissions. Hung on the
        # school app's signal: it comes after auth has made the school models' permissions.
        post_migrate.connect(_role_groups, sender=apps.get_app_config("school"))
