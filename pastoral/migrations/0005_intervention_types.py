"""The interventions a school starts with; the school edits the list in School settings."""

from django.db import migrations

TYPES = [
    "Report card",
    "Mentoring",
    "Restorative meeting",
    "Anger management",
    "SEN assessment",
    "Referral to an outside agency",
    "Parenting contract",
    "Timetable change",
]


def create(apps, schema_editor):
    InterventionType = apps.get_model("pastoral", "InterventionType")
    for order, name in enumerate(TYPES):
        InterventionType.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("pastoral", "0004_interventions")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
