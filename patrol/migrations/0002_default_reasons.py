from django.db import migrations

# A copy, not an import: a migration must not change when the services module does.
DEFAULT_REASONS = (
    "Disrupting learning after warnings",
    "Refusing to follow instructions",
    "Refusing to leave / go to buddy room",
    "Rude or abusive to staff",
    "Fighting or unsafe behaviour",
    "Student missing or out of lesson",
    "Other",
)


def seed(apps, schema_editor):
    OnCallReason = apps.get_model("patrol", "OnCallReason")
    if not OnCallReason.objects.exists():
        OnCallReason.objects.bulk_create(
            OnCallReason(label=label, position=i * 10) for i, label in enumerate(DEFAULT_REASONS)
        )


class Migration(migrations.Migration):
    dependencies = [("patrol", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
