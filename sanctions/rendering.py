"""The referrals tables (the referrals page's two, the home page's "waiting for your decision"),
written in Python rather than by template tags per cell: the page lists up to forty referrals,
and the template's per-row work was most of its own cost (issue 15)."""

from django.utils.safestring import SafeString, mark_safe

from conduct.lib.rendering import escape
from sanctions.selectors.referrals import ReferralRow


def referral_table_html(rows: list[ReferralRow], *, caption: str, empty: str) -> SafeString:
    """The table of `rows`, `caption` for screen readers, `empty` the line when there are none."""
    lines = []
    for r in rows:
        lines.append(
            f'\n  <tr>\n    <td data-label="Student"><a href="{escape(r.url)}">'
            f'{escape(r.student_name)}</a> <span class="muted">{escape(r.form)}</span></td>\n'
            f'    <td data-label="Asked for">{escape(r.provision)}, '
            f"{r.days} day{'' if r.days == 1 else 's'}</td>\n"
            f'    <td data-label="Reason">{escape(r.reason or "—")}</td>\n'
            f'    <td data-label="Raised by">{escape(r.raised_by)}</td>\n'
            f'    <td data-label="When">{escape(r.when)}</td>\n'
            f'    <td data-label="Status">{escape(r.status_label)}</td>\n  </tr>\n  '
        )
    body = "".join(lines) or f'\n  <tr><td colspan="6">{escape(empty)}</td></tr>\n  '
    return mark_safe(
        # On a phone each referral reads as a card, a line a cell with its heading.
        f'<table class="stack-table">\n  <caption class="visually-hidden">{escape(caption)}'
        "</caption>\n"
        '  <thead><tr><th scope="col">Student</th><th scope="col">Asked for</th>'
        '<th scope="col">Reason</th><th scope="col">Raised by</th><th scope="col">When</th>'
        '<th scope="col">Status</th></tr></thead>\n'
        f"  <tbody>\n  {body}\n  </tbody>\n</table>\n"
    )
