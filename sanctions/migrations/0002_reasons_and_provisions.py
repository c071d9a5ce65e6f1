"""The DfE reason codes, a school category every school uses, and the default provisions."""

import datetime as dt

from django.db import migrations

DFE_REASONS = [
    ("PP", "Physical assault against a pupil"),
    ("PA", "Physical assault against an adult"),
    ("VP", "Verbal abuse or threatening behaviour against a pupil"),
    ("VA", "Verbal abuse or threatening behaviour against an adult"),
    ("BU", "Bullying"),
    ("RA", "Racist abuse"),
    ("SM", "Sexual misconduct"),
    ("DA", "Drug and alcohol related"),
    ("DM", "Damage"),
    ("TH", "Theft"),
    ("DB", "Persistent or general disruptive behaviour"),
    ("OW", "Use or threat of use of an offensive weapon or prohibited item"),
    ("LG", "Abuse against sexual orientation and gender identity"),
    ("DS", "Abuse relating to disability"),
    ("MT", "Inappropriate use of social media or online technology"),
    ("OT", "Other"),
]
SCHOOL_REASONS = [
    ("RFB", "Refusal to follow the behaviour system"),
    ("DEF", "Defiance towards staff"),
    ("TRU", "Truancy from lessons"),
]
PROVISIONS = [
    # kind, name, arrives, leaves, break, lunch, approvers, max consecutive days
    ("RR", "Reflection room", None, None, None, None, ["conduct", "slt"], 2),
    (
        "IE",
        "Internal exclusion",
        "08:45",
        "15:45",
        ("10:45", "11:00"),
        ("12:45", "13:10"),
        ["pastoral", "slt"],
        3,
    ),
    (
        "ALD",
        "Alternative learning day",
        "09:00",
        "15:30",
        ("10:30", "10:45"),
        ("12:30", "13:00"),
        ["slt"],
        2,
    ),
    ("SUS", "Suspension referral to SLT", None, None, None, None, ["slt"], 1),
]


def t(value):
    return dt.time.fromisoformat(value) if value else None


def seed(apps, schema_editor):
    ReasonCategory = apps.get_model("sanctions", "ReasonCategory")
    Provision = apps.get_model("sanctions", "Provision")
    for order, (code, name) in enumerate(DFE_REASONS, start=1):
        ReasonCategory.objects.get_or_create(
            code=code, defaults={"name": name, "is_dfe": True, "order": order}
        )
    for order, (code, name) in enumerate(SCHOOL_REASONS, start=50):
        ReasonCategory.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    for kind, name, arrives, leaves, brk, lunch, approvers, max_days in PROVISIONS:
        Provision.objects.get_or_create(
            kind=kind,
            defaults={
                "name": name,
                "arrives_at": t(arrives),
                "leaves_at": t(leaves),
                "break_starts_at": t(brk[0]) if brk else None,
                "break_ends_at": t(brk[1]) if brk else None,
                "lunch_starts_at": t(lunch[0]) if lunch else None,
                "lunch_ends_at": t(lunch[1]) if lunch else None,
                "approver_roles": approvers,
                "max_consecutive_days": max_days,
                "is_bookable": kind != "SUS",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("sanctions", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
