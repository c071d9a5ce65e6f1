"""The message templates a school starts with. Each is the school's to reword in School settings →
Message templates; this migration never overwrites a template that already exists."""

from django.db import migrations

SIGN_OFF = """Yours sincerely,

{{ contact_name }}
{{ school_name }}"""

CONTACT = (
    "If you have any questions, or there is anything we should know, please contact "
    "{{ contact_name }} on {{ school_phone }}{% if school_email %} or at {{ school_email }}"
    "{% endif %}."
)

TEMPLATES = [
    {
        "key": "placement-booked",
        "name": "Placement booked (internal exclusion, alternative learning day)",
        "subject": "{{ student_first_name }}'s time in {{ provision }}",
        "body": f"""Dear {{{{ guardian_name }}}},

I am writing to let you know that {{{{ student_first_name }}}} will spend {{{{ dates }}}} in {{{{ provision }}}}. This is because {{{{ reason }}}}.

We know this is not news any family wants to hear. Time in {{{{ provision }}}} gives {{{{ student_first_name }}}} a calm space to reflect, to keep up with the work their teachers set, and to make a fresh start when they return to lessons.

Times
Please make sure {{{{ student_first_name }}}} arrives at {{{{ start_time }}}} at {{{{ entrance }}}}. The day finishes at {{{{ end_time }}}}. These times are different from the usual school day, so please plan the journey to and from school. Breaks and lunch are taken at different times from other students.

What to bring
Full school uniform, a pen, pencil, ruler and calculator, and a reading book. Please send a packed lunch or make sure {{{{ student_first_name }}}} has lunch money as usual. Mobile phones are handed in at the start of the day and returned at the end.

What happens next
We will invite you to a meeting to talk about what happened and how we can work together to support {{{{ student_first_name }}}}. We will be in touch about a time that suits you.

{CONTACT}

{SIGN_OFF}""",
        "sms_body": "{{ school_name }}: {{ student_first_name }} will spend {{ dates }} in {{ provision }} because {{ reason }}. Please arrive {{ start_time }} at {{ entrance }}; the day ends {{ end_time }}. We will invite you to a meeting. Questions: {{ contact_name }}, {{ school_phone }}",
    },
    {
        "key": "placement-changed",
        "name": "Placement changed",
        "subject": "A change to {{ student_first_name }}'s time in {{ provision }}",
        "body": f"""Dear {{{{ guardian_name }}}},

We wrote to you about {{{{ student_first_name }}}} spending {{{{ previous_dates }}}} in {{{{ provision }}}}. We have had to change this, and I am sorry for any inconvenience.

{{{{ student_first_name }}}} will now spend {{{{ dates }}}} in {{{{ provision }}}}. Please make sure they arrive at {{{{ start_time }}}} at {{{{ entrance }}}}. The day finishes at {{{{ end_time }}}}.

Everything else in our earlier message still applies, including what to bring and our invitation to meet with you.

{CONTACT}

{SIGN_OFF}""",
        "sms_body": "{{ school_name }}: a change for {{ student_first_name }}. Instead of {{ previous_dates }}, they will now be in {{ provision }} on {{ dates }}. Arrive {{ start_time }} at {{ entrance }}; the day ends {{ end_time }}. Questions: {{ contact_name }}, {{ school_phone }}",
    },
    {
        "key": "placement-cancelled",
        "name": "Placement cancelled",
        "subject": "{{ student_first_name }} will not now be in {{ provision }}",
        "body": f"""Dear {{{{ guardian_name }}}},

We wrote to you about {{{{ student_first_name }}}} spending {{{{ dates }}}} in {{{{ provision }}}}. This is no longer going ahead, and {{{{ student_first_name }}}} should come to school at the usual time and go to lessons as normal.

I am sorry for any worry or inconvenience this has caused.

{CONTACT}

{SIGN_OFF}""",
        "sms_body": "{{ school_name }}: {{ student_first_name }} will not now be in {{ provision }} on {{ dates }}. Please send them to school at the usual time for normal lessons. Questions: {{ contact_name }}, {{ school_phone }}",
    },
    {
        "key": "meeting-invitation",
        "name": "Meeting invitation",
        "subject": "An invitation to meet about {{ student_first_name }}",
        "body": f"""Dear {{{{ guardian_name }}}},

We would like to invite you to a meeting {{{{ meeting_purpose }}}}.

When: {{{{ meeting_date }}}} at {{{{ meeting_time }}}}
Where: {{{{ meeting_place }}}}
With: {{{{ contact_name }}}}

You know {{{{ student_first_name }}}} best, and working together gives them the best chance of success. {{{{ student_first_name }}}} is welcome to join us for part of the meeting.

If this time does not suit you, please let us know and we will find another. We can also meet by phone or video call if that is easier.

{CONTACT}

{SIGN_OFF}""",
        "sms_body": "{{ school_name }}: we would like to meet you {{ meeting_purpose }} on {{ meeting_date }} at {{ meeting_time }}, {{ meeting_place }}, with {{ contact_name }}. If that time does not suit, please call {{ school_phone }}.",
    },
    {
        "key": "removal-to-reflection-room",
        "name": "Removal to the reflection room (same day)",
        "subject": "{{ student_first_name }} spent time in {{ provision }} today",
        "body": f"""Dear {{{{ guardian_name }}}},

I am writing to let you know that today, at {{{{ removal_time }}}}, {{{{ student_first_name }}}} was asked to leave their {{{{ lesson }}}} lesson and spent time in {{{{ provision }}}}. This was because {{{{ reason }}}}.

In {{{{ provision }}}}, a member of staff talks with {{{{ student_first_name }}}} about what happened and how to put things right, and they carry on with their learning. {{{{ student_first_name }}}} then returns to lessons.

You may like to talk with {{{{ student_first_name }}}} about today at home. Your support makes a real difference.

{CONTACT}

{SIGN_OFF}""",
        "sms_body": "{{ school_name }}: today at {{ removal_time }} {{ student_first_name }} was removed from {{ lesson }} to {{ provision }} because {{ reason }}. They continue with lessons. Questions: {{ contact_name }}, {{ school_phone }}",
    },
]


def create_templates(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for template in TEMPLATES:
        MessageTemplate.objects.get_or_create(
            key=template["key"], defaults={k: v for k, v in template.items() if k != "key"}
        )


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_initial")]

    operations = [migrations.RunPython(create_templates, migrations.RunPython.noop)]
