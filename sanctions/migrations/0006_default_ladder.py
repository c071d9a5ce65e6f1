"""The default escalation ladder (the school changes it in School settings):
second reflection room in a week → internal exclusion; failed internal exclusion → another day;
failed alternative learning day → suspension referral to SLT."""

from django.db import migrations

LADDER = [
    ("RR", "repeated", 2, 7, "IE", 1),
    ("RR", "failed", 2, 7, "IE", 1),
    ("IE", "failed", 2, 7, "IE", 1),
    ("ALD", "failed", 2, 7, "SUS", 1),
]


def seed(apps, schema_editor):
    Provision = apps.get_model("sanctions", "Provision")
    EscalationRule = apps.get_model("sanctions", "EscalationRule")
    kinds = {p.kind: p for p in Provision.objects.all()}
    for source, trigger, count, within, target, days in LADDER:
        EscalationRule.objects.get_or_create(
            from_provision=kinds[source],
            trigger=trigger,
            to_provision=kinds[target],
            defaults={"count": count, "within_days": within, "days": days},
        )


class Migration(migrations.Migration):
    dependencies = [("sanctions", "0005_day_in_the_room")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
