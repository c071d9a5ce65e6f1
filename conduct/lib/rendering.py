"""Forms' <select> boxes (and plain <input>s) written in Python rather than through a template
per option.

Django renders each <option> with two template includes; a page with a staff picker (90
people) or a room picker spent most of its time there (issue 15: the duty rota, 140 ms a
render). `FastSelectRenderer` writes the same HTML as Django's `select.html`,
`select_option.html` and `attrs.html` templates, and leaves every other widget to them.
`FastSelect` goes further for the longest lists: it lists its options for the page without
Django's dictionary of ten keys per option (what the renderer above does not read), and given
`Options` (written once with the reference data) only marks the chosen one."""

import html

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

SELECT = "django/forms/widgets/select.html"


def attributes(attrs: dict) -> str:
    """Django's attrs.html: False leaves an attribute out, True writes its bare name."""
    if not attrs:
        return ""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def render_select(widget: dict) -> str:
    # conditional_escape() as format_html() would, without parsing a format per option.
    escape = conditional_escape
    lines = [f'<select name="{escape(widget["name"])}"' + attributes(widget["attrs"]) + ">"]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            lines.append(f'  <optgroup label="{escape(group_name)}">')
        for option in options:
            lines.append(
                f'  <option value="{escape(str(option["value"]))}"'
                + attributes(option["attrs"])
                + f">{escape(option['label'])}</option>"
            )
        if group_name:
            lines.append("  </optgroup>")
    lines.append("</select>")
    return mark_safe("\n".join(lines))


# Django's widgets whose template is its input.html and nothing more.
INPUTS = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
    )
}


def render_input(widget: dict) -> str:
    """Django's input.html (its `stringformat:'s'` escapes what is not marked safe)."""
    value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
    return mark_safe(
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}'
        + attributes(widget["attrs"])
        + ">"
    )


class FastSelectRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT:
            return render_select(context["widget"])
        if template_name in INPUTS:
            return render_input(context["widget"])
        return super().render(template_name, context, request)


class Choices(BaseChoiceIterator):
    """(value, label) pairs given to a field as they are: Django checks and copies a plain list
    twice per field (for the field and its widget), which for the rota's ninety staff and eighty
    rooms cost more than writing them."""

    def __init__(self, pairs):
        self.pairs = list(pairs)

    def __iter__(self):
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)


class Options(Choices):
    """Choices whose `<option>`s are written when they are made, for a `FastSelect` to list as
    they are: a long list kept with the reference data (the rota's staff and rooms, ninety
    and eighty) is then written once per change to it, not once per page. Flat (value, label)
    pairs only, no groups."""

    def __init__(self, pairs):
        super().__init__(pairs)
        self.lines = [
            f'  <option value="{escape("" if value is None else value)}">{escape(label)}</option>'
            for value, label in self.pairs
        ]
        # Each value's first option: a single select marks only the first match.
        self.position: dict[str, int] = {}
        for index, (value, _label) in enumerate(self.pairs):
            self.position.setdefault("" if value is None else str(value), index)

    def marked(self, chosen) -> list[str]:
        """The options, the first of the `chosen` values (strings) selected."""
        found = [self.position[value] for value in chosen if value in self.position]
        if not found:
            return self.lines
        index = min(found)
        lines = list(self.lines)
        # An escaped value holds no quote: the first '">' closes it.
        lines[index] = lines[index].replace('">', '" selected>', 1)
        return lines


def escape(value) -> str:
    """conditional_escape() without its lazy-string wrapper (a list writes hundreds)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class FastSelect(forms.Select):
    """A <select> written straight from its choices, whatever the form's renderer, with no
    dictionary of ten keys per option (`render_select` reads three). Its `get_context()` and
    `optgroups()`, for a template that loops over the options, are Django's own; it writes the
    same HTML as `render_select`."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        chosen = widget["value"]
        lines = [f'<select name="{escape(widget["name"])}"' + attributes(widget["attrs"]) + ">"]
        if isinstance(self.choices, Options):
            return mark_safe("\n".join([*lines, *self.choices.marked(chosen), "</select>"]))
        has_selected = False
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            if isinstance(option_label, (list, tuple)):
                group_name, choices = option_value, option_label
                if group_name:
                    lines.append(f'  <optgroup label="{escape(group_name)}">')
            else:
                group_name, choices = None, [(option_value, option_label)]
            for subvalue, sublabel in choices:
                # As Django's optgroups(): only the first match of a single select is selected.
                selected = not has_selected and str(subvalue) in chosen
                has_selected |= selected
                lines.append(
                    f'  <option value="{escape(subvalue)}"{" selected" if selected else ""}>'
                    f"{escape(sublabel)}</option>"
                )
            if group_name:
                lines.append("  </optgroup>")
        lines.append("</select>")
        return mark_safe("\n".join(lines))


def text_rows(rows, fields: tuple[str, ...]) -> SafeString:
    """`<tr>` for each row, with a `<td>` of each of its `fields` as escaped text: a long list
    of plain cells (the audit log's hundred a page) costs far less written here than by a
    template's loop (issue 15)."""
    return mark_safe(
        "\n".join(
            "<tr>" + "".join(f"<td>{escape(getattr(row, name))}</td>" for name in fields) + "</tr>"
            for row in rows
        )
    )


def field_html(field, *, one_of: bool = False) -> SafeString:
    """A form field as every form shows it: its label (with "(optional)" unless `one_of`, a
    field of several of which one is needed), its hint, its errors and its widget; what
    includes/field.html writes through `{% field %}`, and a page with many fields (the duty
    rota's two forms) calls directly, without an include per field."""

    def text(value) -> str:
        # As {{ value }} writes it: str() first, so a lazy text that gives safe HTML (the
        # password rules' help text) stays HTML.
        return escape(str(value))

    errors = field.errors
    auto_id = text(field.auto_id)
    optional = (
        ' <span class="muted">(optional)</span>' if not field.field.required and not one_of else ""
    )
    hint = (
        f'<span class="hint" id="{auto_id}_hint">{text(field.help_text)}</span>'
        if field.help_text
        else ""
    )
    error_spans = "".join(
        f'<span class="error" id="{auto_id}_error">{text(error)}</span>' for error in errors
    )
    return mark_safe(
        f'<div class="field{" has-error" if errors else ""}">\n'
        f'  <label for="{text(field.id_for_label)}">{text(field.label)}{optional}</label>\n'
        f"  {hint}\n  {error_spans}\n  {text(field)}\n</div>\n"
    )
