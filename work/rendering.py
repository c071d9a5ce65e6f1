"""The department's page's list of lessons missed and its table of teachers, written in Python
rather than by template tags per line and cell: a page holds fifty lessons and a department a
dozen teachers, and the template's lookups were most of the page's own cost (issue 15). The
same HTML the template wrote, but for blank lines."""

from django.template.defaultfilters import filesizeformat, linebreaksbr, truncatechars
from django.utils.safestring import SafeString, mark_safe

from conduct.lib.rendering import escape
from conduct.lib.urls import url_maker
from work.selectors.figures import DepartmentLesson, WorkFigures
from work.selectors.programmes import TaskShown
from work.selectors.requests import RequestToRecord, RequestToSet


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


def _link_html(link: str) -> str:
    return (
        f'<p><a href="{escape(link)}" rel="noopener noreferrer">'
        f"{escape(truncatechars(link, 60))}</a></p>"
    )


def work_given_html(w: RequestToSet | RequestToRecord) -> SafeString:
    """The work and task given for a request, as `work/_work_given.html` writes them (the
    pages setting and recording work, issue 15): the same HTML, blank lines and all."""
    html = "\n\n"
    ws = w.work_set
    if ws is not None:
        by = f" · {escape(ws.set_by)}" if ws.set_by is not None else ""
        late = " · <strong>late</strong>" if w.answered_late else ""
        html += f'<p class="muted">{escape(ws.kind_label)}{by} · {escape(ws.set_at)}{late}</p>\n'
        if ws.instructions:
            html += f'<p class="note">{linebreaksbr(ws.instructions, True)}</p>'
        html += "\n"
        if ws.link:
            html += _link_html(ws.link)
        html += "\n"
        if ws.attachments:
            file_url = url_maker("work-file")
            html += (
                '<ul class="plain">'
                + "".join(
                    f'<li><a href="{escape(file_url(pk))}">{escape(name)}</a> '
                    f'<span class="muted">{escape(filesizeformat(size))}</span></li>'
                    for pk, name, size in ws.attachments
                )
                + "</ul>"
            )
        html += "\n"
    html += "\n"
    task = w.task
    if task is not None:
        unit = f"{escape(task.unit)} – " if task.unit else ""
        html += (
            f"<p><strong>Task:</strong> {unit}{escape(task.title)}</p>"
            f'<p class="note">{linebreaksbr(task.instructions, True)}</p>'
        )
        if task.link:
            html += _link_html(task.link)
    return mark_safe(html + "\n\n")


def programme_tasks_html(tasks: list[TaskShown], csrf_token: str) -> SafeString:
    """A programme's tasks as work/programme_detail.html wrote them by a loop: each with its
    links to edit, move and remove it (issue 15)."""
    if not tasks:
        return mark_safe('\n  <li class="muted">No task yet.</li>\n')
    edit_url = url_maker("programme-task-edit")
    move_url = url_maker("programme-task-move")
    remove_url = url_maker("programme-task-remove")
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
    last = len(tasks) - 1
    out = []
    for i, t in enumerate(tasks):
        title = escape(t.title)
        hidden = f'<span class="visually-hidden"> {title}</span>'
        unit = f'<span class="muted">{escape(t.unit)} ·</span> ' if t.unit else ""
        link = _link_html(t.link) if t.link else ""
        file = f'<p class="muted">File: {escape(t.file)}</p>' if t.file else ""
        move = escape(move_url(t.pk))
        up = (
            f'<form method="post" action="{move}" class="inline-form">{csrf}'
            '<input type="hidden" name="direction" value="up">'
            f'<button type="submit" class="button small">Move up{hidden}</button></form>'
            if i
            else ""
        )
        down = (
            f'<form method="post" action="{move}" class="inline-form">{csrf}'
            '<input type="hidden" name="direction" value="down">'
            f'<button type="submit" class="button small">Move down{hidden}</button></form>'
            if i != last
            else ""
        )
        out.append(
            f'\n  <li id="task-{t.pk}" class="panel">\n'
            f"    <h2>{unit}{title}</h2>\n"
            f'    <p class="note">{linebreaksbr(t.instructions, True)}</p>\n'
            f"    {link}\n"
            f"    {file}\n"
            '    <div class="actions">\n'
            f'      <a href="{escape(edit_url(t.pk))}" class="button small">Edit{hidden}</a>\n'
            f"      {up}\n"
            f"      {down}\n"
            f'      <form method="post" action="{escape(remove_url(t.pk))}" class="inline-form">'
            f'{csrf}<button type="submit" class="button small">Remove{hidden}</button></form>\n'
            "    </div>\n"
            "  </li>\n"
        )
    return mark_safe("".join(out))
