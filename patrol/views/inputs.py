"""What patrol pages read from a request: a time typed on a phone, a chosen row, a student
search, and the lesson a teacher is in with the class and room they chose."""

from dataclasses import dataclass

from django.utils.safestring import SafeString

from conduct.lib.forms import ROW_ID
from patrol.selectors import lesson_now
from school.models import Room, Student, TeachingClass, TimetableSlot
from school.selectors import people as school_people
from school.selectors import pickers


def row_id(value) -> int | None:
    """A row's id as a page sent it, or None when it is not one a row can have (ASCII digits
    that fit the database: not "²", "1.5" or thirty nines)."""
    text = str(value or "")
    return int(text) if ROW_ID.fullmatch(text) else None


def chosen(model, value):
    pk = row_id(value)
    return model.objects.filter(pk=pk).first() if pk is not None else None


def at_today(time_value, now):
    """A time typed on a phone, as a moment today; blank means now."""
    if time_value is None:
        return now
    return now.replace(hour=time_value.hour, minute=time_value.minute, second=0, microsecond=0)


def student_matches(query: str):
    """Students matching a name, UPN or form typed on the page (at most 15)."""
    query = query.strip()
    if len(query) < 2:
        return []
    return list(school_people.student_search(query)[:15])


@dataclass
class LessonChoice:
    """The lesson the timetable has a teacher in now, the class and room the page shows chosen,
    and what there is to choose from."""

    lesson: TimetableSlot | None
    teaching_class: TeachingClass | None
    room: Room | None
    classes: list[TeachingClass]
    class_list: list[Student]
    room_options: SafeString  # the active rooms' <option>s, the room's selected


def lesson_choice(request, staff, *, room_field: str, now) -> LessonChoice:
    """The raise page's and the sent-out page's defaults: the class and room of the lesson
    `staff` teaches now, unless the page sent its own (GET when the class is changed, POST when
    the form comes back; a field sent blank means none). The class list follows the class, with
    or without JavaScript."""
    lesson = lesson_now.lesson_now(staff, now=now)
    source = request.POST if request.method == "POST" else request.GET
    teaching_class = chosen(TeachingClass, source.get("teaching_class"))
    if teaching_class is None and "teaching_class" not in source and lesson:
        teaching_class = lesson.teaching_class
    room = chosen(Room, source.get(room_field))
    if room is None and room_field not in source and lesson:
        room = lesson.room
    classes = list(lesson_now.classes_for(staff))
    if teaching_class and teaching_class not in classes:
        classes.insert(0, teaching_class)
    return LessonChoice(
        lesson=lesson,
        teaching_class=teaching_class,
        room=room,
        classes=classes,
        class_list=lesson_now.class_list(teaching_class),
        room_options=pickers.room_option_tags(room.pk if room else None),
    )
