"""The department's page's list of lessons missed and its table of teachers, written in Python
rather than by template tags per line and cell: a page holds fifty lessons and a department a
dozen teachers, and the template's lookups were most of the page's own cost (issue 15). The
same HTML the template wrote, but for blank lines."""

from django.utils.safestring import SafeString, mark_safe

from conduct.lib.rendering import escape
from work.selectors.figures import DepartmentLesson, WorkFigures


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


def teacher_figures_html(by_teacher: list[WorkFigures]) -> SafeString:
    """A `<tr>` for each teacher: their name, their lessons and each share's count."""
    return mark_safe(
        "".join(
            f'<tr><th scope="row">{escape(f.label)}</th><td class="num">{f.lessons}</td>'
            f'<td class="num">{f.on_time}</td><td class="num">{f.late}</td>'
            f'<td class="num">{f.programme}</td><td class="num">{f.nothing}</td>'
            f'<td class="num">{f.completed}/{f.recorded}</td></tr>'
            for f in by_teacher
        )
    )
