# A student found out of lessons on a sweep is a SweepFinding: "out of lessons" also names the
# students booked into a provision room. The table is renamed; its rows are kept.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("patrol", "0003_sent_out_sweeps_watch_list"),
        ("school", "0001_initial"),
    ]

    operations = [
        migrations.RenameModel(old_name="OutOfLesson", new_name="SweepFinding"),
        migrations.RenameIndex(
            model_name="sweepfinding",
            new_name="patrol_swee_dealt_w_8bccb8_idx",
            old_name="patrol_outo_dealt_w_48b1da_idx",
        ),
        migrations.AlterField(
            model_name="sweepfinding",
            name="student",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="sweep_findings",
                to="school.student",
            ),
        ),
    ]
