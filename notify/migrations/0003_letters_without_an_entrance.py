"""The default letters read right when a provision has no arrival instructions: "arrives at 08:45."
rather than "arrives at 08:45 at .". Only a template still as the school received it is changed;
a school's own wording is left."""

import importlib

from django.db import migrations

# (before, after) for the default templates' body and text message.
FIXES = [
    (
        "at {{ start_time }} at {{ entrance }}.",
        "at {{ start_time }}{% if entrance %} at {{ entrance }}{% endif %}.",
    ),
    (
        "arrive {{ start_time }} at {{ entrance }};",
        "arrive {{ start_time }}{% if entrance %} at {{ entrance }}{% endif %};",
    ),
    (
        "Arrive {{ start_time }} at {{ entrance }};",
        "Arrive {{ start_time }}{% if entrance %} at {{ entrance }}{% endif %};",
    ),
]
KEYS = ("placement-booked", "placement-changed")


def fixed(text: str) -> str:
    for before, after in FIXES:
        text = text.replace(before, after)
    return text


def forwards(apps, schema_editor):
    defaults = importlib.import_module("notify.migrations.0002_default_templates").TEMPLATES
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for default in defaults:
        if default["key"] not in KEYS:
            continue
        template = MessageTemplate.objects.filter(key=default["key"]).first()
        if template is None:
            continue
        changed = []
        for field in ("body", "sms_body"):
            if getattr(template, field) == default[field]:  # as shipped: ours to fix
                setattr(template, field, fixed(default[field]))
                changed.append(field)
        if changed:
            template.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("notify", "0002_default_templates")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
