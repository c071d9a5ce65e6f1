# The reflection room placements an on-call removal started.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("patrol", "0005_duty_kind_is_provision_code"),
        ("sanctions", "0007_digest_run"),
    ]

    operations = [
        migrations.AddField(
            model_name="oncallrequest",
            name="placements",
            field=models.ManyToManyField(
                blank=True, related_name="on_call_requests", to="sanctions.placement"
            ),
        ),
    ]
