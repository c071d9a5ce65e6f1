"""Walk what a page offers: every link and form it shows, tried as the person who sees it.

A page must never show a control that answers 403 ("Forbidden") to the person it is shown to:
the walker collects each link (`href`), htmx request (`hx-get`, `hx-post`) and form on a page,
requests each one as the same user, and reports any that answer 403. A POST is made inside a
transaction that is rolled back, so walking changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.db import transaction

# Links that are not the app's controls, or that the walker must not follow.
SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/logout/", "mailto:", "tel:", "javascript:")


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    submit: tuple[str, str] | None = None


class _Controls(HTMLParser):
    """Links, htmx requests and forms with the values they would submit as shown."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.links: set[str] = set()
        self.posts: set[str] = set()
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("href") and tag in ("a", "area"):
            self.links.add(a["href"])
        if a.get("hx-get"):
            self.links.add(a["hx-get"])
        if a.get("hx-post") and tag != "form":
            self.posts.add(a["hx-post"])
        if a.get("formaction"):  # a button that submits a shared form to its own address
            self.posts.add(a["formaction"])
        if tag == "form":
            action = a.get("action") or a.get("hx-post") or self.page_url
            method = "post" if a.get("hx-post") else (a.get("method") or "get").lower()
            self._form = Form(action=action, method=method)
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "image"):
                if form.submit is None and name:
                    form.submit = (name, a.get("value", ""))
            elif kind in ("checkbox", "radio"):
                if name and "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif name and kind not in ("file", "reset", "button"):
                form.fields.append((name, a.get("value", "")))
        elif tag == "button":
            kind = (a.get("type") or "submit").lower()
            if kind == "submit" and form.submit is None:
                form.submit = (name, a.get("value", "")) if name else ("", "")
        elif tag == "select" and name:
            self._select, self._select_value = name, None
        elif tag == "option" and self._select is not None:
            if self._select_value is None or "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            if self._form is not None and self._select_value is not None:
                self._form.fields.append((self._select, self._select_value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            if self._form is not None:
                self._form.fields.append((self._textarea, "".join(self._text)))
            self._textarea = None


def _internal(url: str, page_url: str) -> str | None:
    url = urldefrag(urljoin(page_url, url))[0]
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc != "testserver"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if not path or path.startswith(SKIP_PREFIXES):
        return None
    return path


def forbidden_controls(client, page_url: str, html: str, *, seen: set | None = None) -> list[str]:
    """Every control on the page that answers 403 for the signed-in user of `client`."""
    parser = _Controls(page_url)
    parser.feed(html)
    seen = seen if seen is not None else set()
    bad = []
    for href in sorted(parser.links):
        path = _internal(href, page_url)
        if path is None or ("get", path) in seen:
            continue
        seen.add(("get", path))
        if client.get(path).status_code == 403:
            bad.append(f"link {path}")
    posts = [Form(action=url, method="post") for url in sorted(parser.posts)] + parser.forms
    for form in posts:
        path = _internal(form.action, page_url)
        if path is None:
            continue
        data: dict[str, list[str]] = {}
        for name, value in form.fields:
            data.setdefault(name, []).append(value)
        if form.submit and form.submit[0]:
            data.setdefault(form.submit[0], []).append(form.submit[1])
        key = (form.method, path, tuple(sorted((k, tuple(v)) for k, v in data.items())))
        if key in seen:
            continue
        seen.add(key)
        if form.method == "post":
            with transaction.atomic():
                status = client.post(path, data).status_code
                transaction.set_rollback(True)
        else:
            status = client.get(path, data).status_code
        if status == 403:
            bad.append(f"{form.method.upper()} form {path}")
    return bad
