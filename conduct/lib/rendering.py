"""Forms' <select> boxes written in Python rather than through a template per option.

Django renders each <option> with two template includes; a page with a staff picker (90
people) or a room picker spent most of its time there (issue 15: the duty rota, 140 ms a
render). `FastSelectRenderer` writes the same HTML as Django's `select.html`,
`select_option.html` and `attrs.html` templates, and leaves every other widget to them."""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"


def attributes(attrs: dict) -> str:
    """Django's attrs.html: False leaves an attribute out, True writes its bare name."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(format_html(' {}="{}"', name, str(value)))
    return "".join(parts)


def render_select(widget: dict) -> str:
    lines = [format_html('<select name="{}"', widget["name"]) + attributes(widget["attrs"]) + ">"]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            lines.append(format_html('  <optgroup label="{}">', group_name))
        for option in options:
            lines.append(
                format_html('  <option value="{}"', str(option["value"]))
                + attributes(option["attrs"])
                + format_html(">{}</option>", option["label"])
            )
        if group_name:
            lines.append("  </optgroup>")
    lines.append("</select>")
    return mark_safe("\n".join(lines))


class FastSelectRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT:
            return render_select(context["widget"])
        return super().render(template_name, context, request)
