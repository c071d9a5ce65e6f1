"""The students list's table rows, written in Python rather than by template tags per cell (a
page holds fifty students: issue 15). The same HTML `_student_rows.html` wrote, but for blank
lines."""

from django.utils.safestring import SafeString, mark_safe

from conduct.lib.rendering import escape
from school.selectors.student_list import StudentRow


def student_rows_html(students: list[StudentRow], *, show_sensitive: bool) -> SafeString:
    """The `<tr>` of each student: name, form, year, and the needs and context column for
    those who may see it."""
    lines = []
    for s in students:
        flags = ""
        if show_sensitive:
            if s.show_flags:
                # As school/_flags.html writes them.
                spans = "".join(
                    f'<span class="{css}">{escape(label)}</span>' for css, label in s.flags
                )
                flags = f'<td><span class="flags">{spans}</span>\n</td>'
            else:
                flags = "<td></td>"
        lines.append(
            f'<tr>\n<td><a href="{escape(s.url)}">{escape(s.last_name)}, {escape(s.first_name)}'
            f"</a></td>\n<td>{escape(s.form) if s.form else '—'}</td>\n"
            f"<td>{s.year}</td>\n{flags}\n</tr>"
        )
    return mark_safe("\n".join(lines))
