"""The rules a school starts with (the guidance's examples); the school changes them in School
settings."""

from django.db import migrations

RULES = [
    {"kind": "removals", "subject": "student", "count": 3, "within_school_days": 10},
    {"kind": "room_days", "subject": "student", "count": 5, "within_school_days": 0},
    {"kind": "ehcp_lac", "subject": "student", "count": 1, "within_school_days": 0},
    # A teacher with many removals in a fortnight, a department with many: offered support.
    {"kind": "removals", "subject": "teacher", "count": 6, "within_school_days": 10},
    {"kind": "removals", "subject": "department", "count": 15, "within_school_days": 10},
]


def create(apps, schema_editor):
    ReviewRule = apps.get_model("pastoral", "ReviewRule")
    if not ReviewRule.objects.exists():
        for rule in RULES:
            ReviewRule.objects.create(**rule)


class Migration(migrations.Migration):
    dependencies = [("pastoral", "0006_review_rules")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
