"""The retention defaults checked against their sources (docs/security.md): the attendance
register is now kept 6 years (School Attendance (Pupil Registration) (England) Regulations 2024),
and the two periods with no published source say so. A rule the school has changed (any of its
period, start, action or source differs from the first defaults) is left as the school set it."""

from django.db import migrations

# The defaults migration 0002 wrote: (keep_years, counted_from, action, source).
FIRST = {
    "student": (
        25,
        "birth",
        "delete",
        "IRMS toolkit: pupil record and child protection files, date of birth + 25 years",
    ),
    "register": (
        3,
        "record",
        "delete",
        "IRMS toolkit: attendance registers, 3 years from the entry (Pupil Registration "
        "Regulations 2006)",
    ),
    "patrol": (
        3,
        "record",
        "anonymise",
        "IRMS toolkit: day-to-day behaviour logs kept as long as the register; the pupil record "
        "keeps the incidents and placements",
    ),
    "messages": (
        3,
        "record",
        "delete",
        "IRMS toolkit: correspondence with parents about attendance and behaviour, current "
        "year + 2 years",
    ),
}

IRMS = "IRMS Information Management Toolkit for Schools"
NO_SOURCE = "No published period found: Conduct's choice, for the school to confirm"

# The checked defaults (privacy.services.retention.DEFAULTS at the time of this migration).
CHECKED = {
    "student": (
        25,
        "birth",
        "delete",
        f"{IRMS}: a secondary school's pupil record and child protection files, date of birth "
        "+ 25 years, then review (the dry run is the review)",
    ),
    "register": (
        6,
        "record",
        "delete",
        "School Attendance (Pupil Registration) (England) Regulations 2024: every attendance "
        "register entry kept 6 years (3 under the 2006 Regulations the older IRMS toolkit "
        "cites); the room register is kept like the school's",
    ),
    "patrol": (
        3,
        "record",
        "anonymise",
        f"{NO_SOURCE}. Incidents and placements that come of a call stay with the pupil record",
    ),
    "messages": (
        3,
        "record",
        "delete",
        f"{NO_SOURCE}. A letter that belongs on the pupil record (a suspension) is kept there too",
    ),
}

FIELDS = ("keep_years", "counted_from", "action", "source")


def _move(apps, old: dict, new: dict) -> None:
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    for rule in RetentionRule.objects.filter(kind__in=list(new)):
        if tuple(getattr(rule, f) for f in FIELDS) != old[rule.kind]:
            continue  # the school set this rule itself: keep its choice
        for name, value in zip(FIELDS, new[rule.kind], strict=True):
            setattr(rule, name, value)
        rule.save(update_fields=list(FIELDS))


def to_checked(apps, schema_editor):
    _move(apps, FIRST, CHECKED)


def to_first(apps, schema_editor):
    _move(apps, CHECKED, FIRST)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_retention_defaults")]

    operations = [migrations.RunPython(to_checked, to_first)]
