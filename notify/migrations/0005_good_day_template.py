"""A positive note home is as easy as a negative one: the "good day" template (the room drafts it
in one click). Never overwrites a template the school already has."""

from django.db import migrations

TEMPLATE = {
    "key": "good-day",
    "name": "A good day (positive note home)",
    "subject": "{{ student_first_name }} had a good day",
    "body": """Dear {{ guardian_name }},

I wanted to let you know that {{ student_first_name }} had a good day in {{ provision }} on {{ dates }}: {{ reason }}.

Please tell {{ student_first_name }} that we noticed. Praise from home makes a real difference.

Yours sincerely,

{{ contact_name }}
{{ school_name }}""",
    "sms_body": "{{ school_name }}: good news - {{ student_first_name }} had a good day in {{ provision }} today: {{ reason }}. Please tell them we noticed! {{ contact_name }}",
}


def create(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    MessageTemplate.objects.get_or_create(
        key=TEMPLATE["key"], defaults={k: v for k, v in TEMPLATE.items() if k != "key"}
    )


class Migration(migrations.Migration):
    dependencies = [("notify", "0004_message_sending_and_logged")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
