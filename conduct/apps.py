from django.apps import AppConfig, apps
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _role_groups(sender, **kwargs):
    from conduct.roles import ensure_role_groups

    ensure_role_groups()


class ConductConfig(AppConfig):
    name = "conduct"

    def ready(self) -> None:
        # After every migrate the role groups exist, with the admin role's permissions. Hung on
        # the signal of the last app with models: by then auth has made every model's permissions.
        last = [config for config in apps.get_app_configs() if config.models_module][-1]
        post_migrate.connect(_role_groups, sender=last)
        # Every connection's writes to reference tables drop the cached answers
        # (conduct/lib/refcache.py).
        from conduct.lib import refcache

        connection_created.connect(refcache.install, dispatch_uid="conduct.refcache")
