"""The options of forms' pickers of staff and students, read as plain rows.

A ModelChoiceField makes a model instance per option and re-runs its queryset for each field
that lists it: planning a restorative meeting (two staff pickers of ninety and a year's
students) spent most of its 15 ms there (issue 15). These read the (id, label) pairs an
`IdChoiceField` lists (`conduct.lib.forms`); the field's queryset still decides what a post may
choose. The active staff are reference data, kept until they change (conduct.lib.refcache);
who has an active account (auth_user, written at every sign-in) and students are read each
time."""

from django.utils.safestring import SafeString, mark_safe

from conduct.lib import refcache
from conduct.lib.compiled import compiled_query
from conduct.lib.rendering import Options
from school.models import Room, Staff, Student, room_label, staff_display_name

_ACTIVE_STAFF = compiled_query(
    lambda: (
        Staff.objects.filter(is_active=True)
        .order_by("last_name", "first_name")
        .values_list("pk", "title", "first_name", "last_name")
    )
)
_ACTIVE_ROOMS = compiled_query(
    lambda: Room.objects.filter(is_active=True).order_by("code").values_list("pk", "code", "name")
)
_STAFF_WITH_ACCOUNTS = compiled_query(
    lambda: (
        Staff.objects.filter(user__isnull=False, user__is_active=True)
        .order_by("last_name", "first_name")
        .values_list("pk", "title", "first_name", "last_name")
    )
)
_YEAR_STUDENTS_BUT = compiled_query(
    lambda year_group_id, student_id: (
        Student.objects.filter(year_group_id=year_group_id, left_on__isnull=True)
        .exclude(pk=student_id)
        .order_by("legal_last_name", "legal_first_name")
        .values_list(
            "pk",
            "preferred_first_name",
            "legal_first_name",
            "preferred_last_name",
            "legal_last_name",
            "form__code",
        )
    )
)


def active_staff_options(empty_label: str) -> Options:
    """The active staff by surname, each as `str(staff)` ("Mr J Smith"), after the empty choice
    `empty_label`; written once and kept with the reference data (a picker of the duty rota, a
    restorative meeting's facilitator). The answer is shared: never change it."""

    def read() -> Options:
        return Options(
            [
                ("", empty_label),
                *(
                    (pk, staff_display_name(title, first, last))
                    for pk, title, first, last in _ACTIVE_STAFF()
                ),
            ]
        )

    return refcache.cached(f"active_staff_options:{empty_label}", read)


def active_room_options(empty_label: str) -> Options:
    """The active rooms by code, each as `str(room)` ("S1 Science lab", or the code alone),
    after the empty choice `empty_label`; written once and kept with the reference data (the
    duty form's room, the buddy room a student is sent to). Never change the answer."""

    def read() -> Options:
        return Options(
            [
                ("", empty_label),
                *((pk, room_label(code, name)) for pk, code, name in _ACTIVE_ROOMS()),
            ]
        )

    return refcache.cached(f"active_room_options:{empty_label}", read)


def room_option_tags(chosen_id: int | None) -> SafeString:
    """The active rooms' `<option>`s one after another, as the raise and sent-out pages write
    them after their own empty choice, `chosen_id`'s selected (none when it is not an active
    room): a template's loop over eighty rooms cost more than the rest of the page."""
    chosen = [str(chosen_id)] if chosen_id is not None else []
    # The first line is the empty choice; each line is indented by two spaces.
    return mark_safe("".join(line[2:] for line in active_room_options("").marked(chosen)[1:]))


def staff_with_account_choices(empty_label: str) -> list[tuple[int | str, str]]:
    """The staff with an active account by surname, as `str(staff)`, after the empty choice:
    read each time, as an account is switched off without a write to reference data."""
    return [
        ("", empty_label),
        *(
            (pk, staff_display_name(title, first, last))
            for pk, title, first, last in _STAFF_WITH_ACCOUNTS()
        ),
    ]


def year_student_choices(
    year_group_id: int | None, *, but: int, empty_label: str
) -> list[tuple[int | str, str]]:
    """The students on roll of a year group but one (`but`), by legal surname, each as
    "Name (form)" (the name alone without a form), after the empty choice: read each time
    (students are never cached)."""
    return [
        ("", empty_label),
        *(
            (pk, f"{pf or lf} {pl or ll}" + (f" ({form})" if form else ""))
            for pk, pf, lf, pl, ll, form in _YEAR_STUDENTS_BUT(year_group_id, but)
        ),
    ]
