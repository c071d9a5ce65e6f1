"""Who may see work requests, set work, keep programmes of work and record work done."""

from conduct.roles import Role, has_role
from school import policies as school_policies
from school.models import ClassTeacher, Department, Staff


def can_view_work_requests(user) -> bool:
    """A placement's work requests show on its room's register (screen and PDF): the people who
    run the rooms and those who may see students' needs."""
    return has_role(user, Role.CONDUCT, Role.SLT) or school_policies.can_view_student_sensitive(
        user
    )


def can_chase_work(user) -> bool:
    """The lessons a placed student misses that have no work yet (home page): those who run
    the rooms chase the teachers."""
    return has_role(user, Role.CONDUCT, Role.SLT)


def can_set_work(user) -> bool:
    """The "Work to set" page: everyone who teaches (their own lessons only)."""
    return has_role(user, Role.TEACHER, Role.CURRICULUM)


def _staff(user) -> Staff | None:
    return getattr(user, "staff", None) if user is not None and user.is_authenticated else None


def can_answer_request(user, request) -> bool:
    """A teacher answers requests for their own lessons: the lesson's teacher, or any teacher
    of the class (a shared class)."""
    staff = _staff(user)
    if staff is None or not can_set_work(user):
        return False
    if request.teacher_id == staff.pk:
        return True
    return ClassTeacher.objects.filter(
        staff=staff, teaching_class_id=request.teaching_class_id
    ).exists()


def answerable_requests(user, requests: list) -> list:
    """`[r for r in requests if can_answer_request(user, r)]` with one query at most (none when
    the user is the teacher of each): the classes the user teaches among those of the requests
    asked of someone else are read once, rather than once a request. `requests` are anything
    with a `teacher_id` and a `teaching_class_id` (a lesson's rows on the page setting work)."""
    staff = _staff(user)
    if staff is None or not can_set_work(user):
        return []
    others = {r.teaching_class_id for r in requests if r.teacher_id != staff.pk}
    others.discard(None)
    taught = (
        set(
            ClassTeacher.objects.filter(staff=staff, teaching_class_id__in=others).values_list(
                "teaching_class_id", flat=True
            )
        )
        if others
        else set()
    )
    return [r for r in requests if r.teacher_id == staff.pk or r.teaching_class_id in taught]


def can_record_work(user) -> bool:
    """Record the work done in the room, print work packs: those who run the rooms."""
    return has_role(user, Role.CONDUCT, Role.SLT)


def can_view_request(user, request) -> bool:
    """One request's work and files: its teachers, the room staff, and the head of its
    department."""
    return (
        can_view_work_requests(user)
        or can_answer_request(user, request)
        or (
            has_role(user, Role.CURRICULUM)
            and request.teaching_class.subject is not None
            and request.teaching_class.subject.department_id in department_ids(user)
        )
    )


def can_view_department_work(user) -> bool:
    """A department's requests and figures: heads of department (their own) and SLT (any)."""
    return has_role(user, Role.CURRICULUM, Role.SLT)


def can_keep_programmes(user) -> bool:
    """Programmes of work: heads of department keep their department's."""
    return has_role(user, Role.CURRICULUM)


def department_ids(user) -> frozenset[int]:
    """The departments a head of department leads (or, with none marked, works in); SLT see
    every department."""
    if has_role(user, Role.SLT):
        return frozenset(Department.objects.values_list("pk", flat=True))
    staff = _staff(user)
    if staff is None or not has_role(user, Role.CURRICULUM):
        return frozenset()
    led = frozenset(Department.objects.filter(head=staff).values_list("pk", flat=True))
    if led:
        return led
    return frozenset([staff.department_id]) if staff.department_id else frozenset()


def can_keep_programme(user, programme) -> bool:
    """A head of department keeps their own department's programmes."""
    return can_keep_programmes(user) and programme.subject.department_id in department_ids(user)
