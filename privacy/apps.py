from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _owner_only(sender, connection, **kwargs):
    """A SQLite database and its WAL files are readable by their owner only (an older file
    made 0644 is fixed at the first connection)."""
    if connection.vendor == "sqlite":
        from conduct.lib.files import private_sqlite_files

        private_sqlite_files(str(connection.settings_dict["NAME"]))


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Data protection"

    def ready(self) -> None:
        connection_created.connect(_owner_only, dispatch_uid="privacy.owner_only")
