# A supervision duty's kind is its provision's code ("RR", "IE", "ALD", as in
# sanctions.Provision.Kind) rather than a lower-case copy of it.

from django.db import migrations, models

OLD_TO_NEW = {"rr": "RR", "ie": "IE", "ald": "ALD"}


def to_provision_codes(apps, schema_editor):
    Duty = apps.get_model("patrol", "Duty")
    for old, new in OLD_TO_NEW.items():
        Duty.objects.filter(kind=old).update(kind=new)


def to_lower_case(apps, schema_editor):
    Duty = apps.get_model("patrol", "Duty")
    for old, new in OLD_TO_NEW.items():
        Duty.objects.filter(kind=new).update(kind=old)


class Migration(migrations.Migration):
    dependencies = [("patrol", "0004_sweep_finding")]

    operations = [
        migrations.AlterField(
            model_name="duty",
            name="kind",
            field=models.CharField(
                choices=[
                    ("on_call", "Patrol / on-call"),
                    ("slt_on_call", "SLT on call"),
                    ("RR", "Reflection room supervision"),
                    ("IE", "Internal exclusion supervision"),
                    ("ALD", "Alternative learning day"),
                ],
                max_length=11,
            ),
        ),
        migrations.RunPython(to_provision_codes, to_lower_case),
    ]
