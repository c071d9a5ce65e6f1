"""The department's list of lessons missed, written in Python rather than by template tags per
line: a page holds fifty, and the template's per-line lookups were most of the page's own cost
(issue 15). The same HTML the template wrote, but for blank lines."""

from django.utils.safestring import SafeString, mark_safe

from conduct.lib.rendering import escape
from work.selectors.figures import DepartmentLesson


def department_lessons_html(lessons: list[DepartmentLesson]) -> SafeString:
    """An `<li>` for each lesson: when, the class and its teacher, the student, and the work."""
    lines = []
    for w in lessons:
        teacher = f" ({escape(w.teacher_name)})" if w.teacher_name else ""
        task = f" · {escape(w.task_title)}" if w.task_title is not None else ""
        outcome = f" · {escape(w.outcome)}" if w.outcome else ""
        lines.append(
            f"<li>{escape(w.day)} {escape(w.period_code)} <strong>{escape(w.class_code)}</strong>"
            f"{teacher}: {escape(w.student_name)}\n"
            f'      <br><span class="muted">{escape(w.provision)} · {escape(w.state)}'
            f"{task}{outcome}</span></li>"
        )
    return mark_safe("\n    ".join(lines))
