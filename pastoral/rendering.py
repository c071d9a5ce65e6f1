"""The "raise the level" control by a levelled note, written once for every page that shows one:
the room log, a drop-in, an on-call outcome note (through `{% level_raise %}`) and the watch
list's drop-ins (patrol.rendering, which writes a hundred of them without a template)."""

from collections.abc import Iterable

from django import forms
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from conduct.lib.rendering import attributes, escape, render_input


def level_raise_html(
    *,
    url: str,
    levels: Iterable[tuple[str, str]],
    level_label: str,
    what: str,
    csrf_token: str | None,
    next_url: str = "",
) -> SafeString:
    """A <details> with a form posting one of `levels` (the higher ones only) to `url`: `what`
    names the note for screen readers, `next_url` (when given) is where to go back to."""
    url = str(url)
    slug = escape(slugify(url))
    # As {% csrf_token %} writes it: nothing without a token.
    csrf = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
        if csrf_token and csrf_token != "NOTPROVIDED"
        else ""
    )
    back = f'<input type="hidden" name="next" value="{escape(next_url)}">' if next_url else ""
    options = "".join(
        f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in levels
    )
    what = escape(what)
    return mark_safe(
        '<details class="level-raise">\n'
        f"  <summary>Level: {escape(level_label)}"
        f'<span class="visually-hidden"> of {what}</span>: raise</summary>\n'
        f'  <form method="post" action="{escape(url)}" class="inline-form">\n'
        f"    {csrf}{back}\n"
        f'    <div class="field"><label for="raise-{slug}">Raise the level of {what} to</label>\n'
        f'      <select id="raise-{slug}" name="level">{options}</select></div>\n'
        '    <button type="submit" class="button small">Raise</button>\n'
        "  </form>\n"
        "</details>"
    )


class FastTextarea(forms.Textarea):
    """A <textarea> written as Django's textarea.html writes it, without a template render (the
    exit interview has a dozen, issue 15)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        text = escape(widget["value"]) if widget["value"] else ""
        return mark_safe(
            f'<textarea name="{escape(widget["name"])}"{attributes(widget["attrs"])}>\n'
            f"{text}</textarea>"
        )


def choice_boxes_html(field) -> SafeString:
    """A field of radio buttons or checkboxes in a <fieldset> (`{% choice_boxes %}`), as the
    include it replaces (pastoral/_checkboxes.html) wrote it; each <input> written as Django's
    input.html writes it, not through its radio_option.html or checkbox_option.html template
    (a template render each, issue 15). Django's own subwidgets give each box's name, value,
    id and attributes (checked, required)."""
    errors = field.errors
    error_spans = "".join(f'<span class="error">{escape(str(error))}</span>' for error in errors)
    boxes = "".join(
        f'<label class="choice" for="{escape(box.id_for_label)}">'
        f"{render_input(box.data)} {escape(box.choice_label)}</label>"
        for box in field
    )
    return mark_safe(
        f'<fieldset class="field{" has-error" if errors else ""}">\n'
        f"  <legend>{escape(str(field.label))}</legend>\n"
        f"  {error_spans}\n"
        f"  {boxes}\n"
        "</fieldset>\n"
    )


class FastRadioSelect(forms.RadioSelect):
    """Radio buttons written as Django's radio.html (multiple_input.html, radio_option.html,
    input_option.html, input.html) writes them, without a template render per button (issue
    15). Choices in groups are left to Django's templates."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = widget["optgroups"]
        if any(group for group, _options, _index in groups):
            return super().render(name, value, attrs, renderer)
        own = widget["attrs"]
        parts = [
            "<div",
            f' id="{escape(own["id"])}"' if own.get("id") else "",
            f' class="{escape(own["class"])}"' if own.get("class") else "",
            ">",
        ]
        for _group, options, _index in groups:
            for option in options:
                option_id = option["attrs"].get("id")
                parts.append(
                    "<div>\n    <label"
                    + (f' for="{escape(option_id)}"' if option_id else "")
                    + f">{render_input(option)}\n {escape(option['label'])}</label>\n\n</div>"
                )
        parts.append("\n</div>")
        return mark_safe("".join(parts))
