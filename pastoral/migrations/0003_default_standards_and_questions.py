"""The room's standards and the restorative questions every school starts with (its own to edit
in School settings)."""

from django.db import migrations

STANDARDS = [
    "Arrive on time and sign in; phones handed in for the day",
    "Work in silence at your own desk unless a member of staff speaks with you",
    "Complete the work set by your teachers; ask for help by raising your hand",
    "Breaks and lunch are taken at the times given, with staff",
    "Leaving the room without permission means the day is failed and repeated",
]
CAUSED_HARM = [
    "What happened?",
    "What were you thinking at the time?",
    "What have you thought about since?",
    "Who has been affected by what you did, and how?",
    "What do you need to do to make things right?",
    "How can we make sure this doesn't happen again?",
]
AFFECTED = [
    "What did you think when you realised what had happened?",
    "What impact has it had on you and others?",
    "What has been the hardest thing?",
    "What needs to happen to make things right?",
]


def add(apps, schema_editor):
    RoomStandard = apps.get_model("pastoral", "RoomStandard")
    RestorativeQuestion = apps.get_model("pastoral", "RestorativeQuestion")
    if not RoomStandard.objects.exists():
        for position, text in enumerate(STANDARDS):
            RoomStandard.objects.create(text=text, position=position)
    if not RestorativeQuestion.objects.exists():
        for audience, texts in (("caused_harm", CAUSED_HARM), ("affected", AFFECTED)):
            for position, text in enumerate(texts):
                RestorativeQuestion.objects.create(audience=audience, text=text, position=position)


class Migration(migrations.Migration):
    dependencies = [("pastoral", "0002_records_levels_concerns")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
