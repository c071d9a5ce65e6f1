"""The retention schedule a school starts with (docs/security.md): the IRMS toolkit's periods."""

from django.db import migrations

DEFAULTS = [
    (
        "student",
        25,
        "birth",
        "delete",
        "IRMS toolkit: pupil record and child protection files, date of birth + 25 years",
    ),
    (
        "register",
        3,
        "record",
        "delete",
        "IRMS toolkit: attendance registers, 3 years from the entry (Pupil Registration Regulations 2006)",
    ),
    (
        "patrol",
        3,
        "record",
        "anonymise",
        "IRMS toolkit: day-to-day behaviour logs kept as long as the register; the pupil record keeps the incidents and placements",
    ),
    (
        "messages",
        3,
        "record",
        "delete",
        "IRMS toolkit: correspondence with parents about attendance and behaviour, current year + 2 years",
    ),
]


def add_defaults(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    for kind, years, counted_from, action, source in DEFAULTS:
        RetentionRule.objects.get_or_create(
            kind=kind,
            defaults={
                "keep_years": years,
                "counted_from": counted_from,
                "action": action,
                "source": source,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_retention_schedule")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
