"""A student's page's lists written in Python rather than by template tags per row (issue 15):
their history, their lessons today and their parents' and carers' contacts. The same HTML the
template wrote."""

from django.template import Context
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import truncatechars
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines
from django.utils.timezone import template_localtime

from conduct.lib.rendering import escape
from conduct.lib.timeline import TimelineEntry
from conduct.lib.urls import url_maker
from pastoral.selectors.discussions import DiscussionRow
from pastoral.selectors.interventions import InterventionRow
from pastoral.selectors.meetings import MeetingRow
from school.selectors.people import GuardianContact
from school.selectors.timetable import DayLesson


def timeline_html(entries: list[TimelineEntry], *, csrf_token: str, back_to: str) -> SafeString:
    """Each entry's `<li>` on the student's page, written here rather than by template tags: a
    busy student's forty entries were most of the page's cost (issue 15). A drop-in the reader
    may raise has pastoral/_level_raise.html's control (`back_to`: the page to come back to)."""
    raise_control = get_template("pastoral/_level_raise.html").template
    parts = []
    for entry in entries:
        title = escape(entry.title)
        if entry.url:
            title = f'<a href="{escape(entry.url)}">{title}</a>'
        detail = f'<p class="muted">{escape(entry.detail)}</p>' if entry.detail else ""
        control = ""
        if entry.raise_url and entry.raise_levels:
            # Seldom there (a drop-in, to its author and the pastoral team): the partial the
            # other levelled notes' pages include, drawn by itself.
            control = raise_control.render(
                Context(
                    {
                        "csrf_token": csrf_token,
                        "url": entry.raise_url,
                        "levels": entry.raise_levels,
                        "level_label": entry.level_label,
                        "what": "this drop-in",
                        "next": back_to,
                    }
                )
            )
        parts.append(
            f'\n    <li class="tl-{escape(entry.kind)}">\n'
            f'      <time datetime="{escape(entry.iso)}">{escape(entry.when)}</time>\n'
            f"      <div><strong>{title}</strong>\n      {detail}\n      {control}</div>\n"
            "    </li>\n    "
        )
    return mark_safe("".join(parts))


def lessons_html(lessons: list[DayLesson]) -> SafeString:
    """The `<tr>` of each lesson today, the one on now marked."""
    parts = []
    for lesson in lessons:
        current = ' class="current"' if lesson.now else ""
        room = escape(lesson.room) if lesson.room else "—"
        parts.append(
            f"\n      <tr{current}>\n"
            f"        <td>{escape(lesson.period)} "
            f'<span class="muted">{escape(lesson.starts_at)}</span></td>\n'
            f"        <td>{escape(lesson.class_code)}</td>\n"
            f"        <td>{room}</td>\n"
            f"        <td>{escape(lesson.teachers)}</td>\n      </tr>\n    "
        )
    return mark_safe("".join(parts))


def guardians_html(guardians: list[GuardianContact], *, may_correct: bool) -> SafeString:
    """Each parent's or carer's contact details, with a link to correct them for those who may
    correct the student's records."""
    if not guardians:
        return mark_safe("\n  <p>No parents or carers recorded.</p>\n  ")
    correct_url = url_maker("record-correct", 2)
    parts = []
    for g in guardians:
        name = escape(g.name)
        responsibility = ", parental responsibility" if g.parental_responsibility else ""
        mobile = f" · Mobile {escape(g.mobile)}" if g.mobile else ""
        email = f' · <a href="mailto:{escape(g.email)}">{escape(g.email)}</a>' if g.email else ""
        address = ""
        if g.address:
            # As the linebreaksbr filter writes it.
            lines = escape(normalize_newlines(g.address)).replace("\n", "<br>")
            postcode = f", {escape(g.postcode)}" if g.postcode else ""
            address = f'<p class="muted">{lines}{postcode}</p>'
        correct = ""
        if may_correct:
            url = escape(correct_url("guardian", g.pk))
            correct = f'<p><a href="{url}">Correct {name}’s contact details</a></p>'
        parts.append(
            '\n  <div class="contact">\n'
            f'    <h3>{g.priority}. {name} <span class="muted">'
            f"({escape(g.relationship_label)}{responsibility})</span></h3>\n"
            f"    <p>Prefers: {escape(g.preferred_channel_label)}{mobile}{email}</p>\n"
            f"    {address}\n    {correct}\n  </div>\n  "
        )
    return mark_safe("".join(parts))


def actions_html(
    student, *, may_refer: bool, may_view_reads: bool, may_request_access: bool
) -> SafeString:
    """The page's buttons: refer them (while on roll), who has looked at their records, a
    subject access request; nothing when the reader may do none of these."""
    refer = may_refer and student.on_roll
    if not (refer or may_view_reads or may_request_access):
        return mark_safe("")
    first_name = escape(student.first_name)
    refer_link = (
        f'<a class="button primary" href="{url_maker("referral-new")(student.pk)}">'
        f"Refer {first_name}</a>"
        if refer
        else ""
    )
    reads_link = (
        f'<a class="button" href="{url_maker("student-reads")(student.pk)}">'
        f"Who has looked at {first_name}’s records</a>"
        if may_view_reads
        else ""
    )
    access_link = (
        f'<a class="button" href="{url_maker("subject-access")(student.pk)}">'
        "Subject access request</a>"
        if may_request_access
        else ""
    )
    return mark_safe(
        f'\n<div class="actions">\n  {refer_link}\n  {reads_link}\n  {access_link}\n</div>\n'
    )


def record_links_html(
    student,
    *,
    may_record: bool,
    may_raise: bool,
    may_hold_interviews: bool,
    hide_discussion_link: bool,
) -> SafeString:
    """pastoral/_record_links.html as the student's page includes it (no `came_from`, with the
    restorative meeting): record a discussion, plan a restorative meeting, raise a concern."""
    if not (may_record or may_raise):
        return mark_safe("\n\n")
    name = escape(student.name)
    discussion = (
        f'<a class="button small" href="{url_maker("discussion-new")(student.pk)}">'
        f'Record a discussion<span class="visually-hidden"> with {name}</span></a>'
        if may_record and not hide_discussion_link
        else ""
    )
    restorative = (
        f'<a class="button small" href="{url_maker("restorative-new")(student.pk)}">'
        f'Plan a restorative meeting<span class="visually-hidden"> with {name}</span></a>'
        if may_hold_interviews and not hide_discussion_link
        else ""
    )
    concern = (
        f'<a class="button small" href="{url_maker("concern-new")(student.pk)}">'
        f'Raise a safeguarding concern<span class="visually-hidden"> about {name}</span></a>'
        if may_raise
        else ""
    )
    return mark_safe(
        f'\n\n<p class="actions record-links">\n  {discussion}\n  {restorative}\n  {concern}\n'
        "</p>\n\n"
    )


def _share(share: int | None) -> str:
    return f"{share}%" if share is not None else "–"


def work_figures_html(f) -> SafeString:
    """The panel of the work for the lessons they missed in a room (a WorkFigures), with
    work/_figures.html's shares; nothing when there were no such lessons."""
    lessons = f.decided + f.waiting
    if not lessons:
        return mark_safe("")
    waiting = (
        f'<p class="muted">{f.waiting} lesson{"" if f.waiting == 1 else "s"} still before the '
        "deadline, in no share.</p>"
        if f.waiting
        else ""
    )
    return mark_safe(
        '\n<section class="panel" aria-labelledby="student-work-heading">\n'
        '  <h2 id="student-work-heading">Work for lessons missed in a room</h2>\n'
        f'  <p class="muted">The last twelve months: {lessons} '
        f"lesson{'' if lessons == 1 else 's'}.</p>\n"
        '  \n<dl class="figures">\n'
        "  <div><dt>Set by the deadline</dt>"
        f'<dd>{_share(f.on_time_share)} <span class="muted">({f.on_time})</span></dd></div>\n'
        "  <div><dt>Set late</dt>"
        f'<dd>{_share(f.late_share)} <span class="muted">({f.late})</span></dd></div>\n'
        "  <div><dt>From the programme</dt>"
        f'<dd>{_share(f.programme_share)} <span class="muted">({f.programme})</span></dd></div>\n'
        "  <div><dt>Nothing</dt>"
        f'<dd>{_share(f.nothing_share)} <span class="muted">({f.nothing})</span></dd></div>\n'
        "  <div><dt>Completed in the room</dt>"
        f"<dd>{_share(f.completion_rate)} "
        f'<span class="muted">(of {f.recorded} recorded)</span></dd></div>\n'
        "</dl>\n"
        f"{waiting}\n\n"
        "</section>\n"
    )


def _date(value, format: str) -> str:
    """As the template's `date` filter writes `value` (a moment in the school's time zone)."""
    return escape(date_filter(template_localtime(value), format))


def discussions_html(discussions: list[DiscussionRow]) -> SafeString:
    """The panel of the records of discussions the reader may read; nothing without any."""
    if not discussions:
        return mark_safe("")
    discussion_url = url_maker("discussion-detail")
    items = []
    for d in discussions:
        follow_up = f" · follow up {_date(d.follow_up_on, 'j M')}" if d.follow_up_on else ""
        items.append(
            f'<li><a href="{discussion_url(d.pk)}">{_date(d.recorded_at, "D j M Y")}: '
            f'{escape(d.by)}</a> <span class="muted">{escape(d.level_label)}{follow_up}</span></li>'
        )
    return mark_safe(
        '\n<section class="panel" aria-labelledby="discussions-heading">\n'
        '  <h2 id="discussions-heading">Records of discussions</h2>\n'
        f'  <ul class="plain">\n    {"".join(items)}\n  </ul>\n</section>\n'
    )


def meetings_html(
    student,
    meetings: list[MeetingRow] | None,
    interventions: list[InterventionRow] | None,
    *,
    may_arrange_meeting: bool,
    may_set_intervention: bool,
) -> SafeString:
    """The panels of their meetings with the family and their interventions, for the readers
    who see them (`meetings` None for the others: nothing)."""
    if meetings is None:
        return mark_safe("")
    meeting_url = url_maker("meeting-detail")
    meeting_items = "".join(
        f'<li><a href="{meeting_url(m.pk)}">{_date(m.starts_at, "D j M Y H:i")}</a> '
        f'<span class="muted">· {escape(str(m.mode_label).lower())} · '
        f"{escape(str(m.status_label).lower())}</span></li>\n    "
        for m in meetings
    )
    arrange = (
        f'<p><a class="button" href="{url_maker("meeting-new")(student.pk)}">'
        "Invite the family to a meeting</a></p>"
        if may_arrange_meeting
        else ""
    )
    intervention_url = url_maker("intervention-detail")
    intervention_items = []
    for i in interventions or []:
        review = f", review by {_date(i.review_on, 'j M')}" if i.status == "active" else ""
        n = len(i.reviews)
        reviews = f" · {n} review{'' if n == 1 else 's'}" if n else ""
        outcome = f" — outcome: {escape(truncatechars(i.outcome, 90))}" if i.outcome else ""
        intervention_items.append(
            f'<li><a href="{intervention_url(i.pk)}">{escape(i.kind)}</a> '
            f'<span class="muted">· from {_date(i.starts_on, "j M Y")} · '
            f"{escape(str(i.status_label).lower())}{review}{reviews}</span>\n"
            f'      <br><span class="muted">{escape(truncatechars(i.target, 90))}{outcome}'
            "</span></li>\n    "
        )
    set_one = (
        f'<p><a class="button" href="{url_maker("intervention-new")(student.pk)}">'
        "Set an intervention</a></p>"
        if may_set_intervention
        else ""
    )
    return mark_safe(
        '\n<section class="panel" aria-labelledby="meetings-heading">\n'
        '  <h2 id="meetings-heading">Meetings with the family</h2>\n'
        '  <ul class="plain">\n    '
        + (meeting_items or '<li class="muted">No meetings.</li>')
        + f"\n  </ul>\n  {arrange}\n</section>\n"
        '<section class="panel" aria-labelledby="interventions-heading">\n'
        '  <h2 id="interventions-heading">Interventions</h2>\n'
        '  <ul class="plain">\n    '
        + ("".join(intervention_items) or '<li class="muted">No interventions.</li>')
        + f"\n  </ul>\n  {set_one}\n</section>\n"
    )


def head_html(student, *, show_sensitive: bool) -> SafeString:
    """Who they are: photo, name, year, form and tutor, whether they have left, and their needs
    and context (school/_flags.html) for those who see them."""
    name = escape(student.name)
    photo = (
        f'<img class="photo" src="{escape(student.photo.url)}" alt="Photo of {name}" '
        'width="96" height="96">'
        if student.photo
        else ""
    )
    form = ""
    if student.form:
        tutor = student.form.tutor
        form = f" · form {escape(str(student.form))}" + (
            f" (tutor {escape(tutor.display_name)})" if tutor else ""
        )
    left = "" if student.on_roll else f" · <strong>left {_date(student.left_on, 'j M Y')}</strong>"
    flags = ""
    if show_sensitive:
        spans = "".join(
            f'<span class="{escape(css)}">{escape(label)}</span>' for css, label in student.flags
        )
        flags = f'<span class="flags">{spans}</span>\n'
    return mark_safe(
        '<div class="profile-head">\n'
        f"  {photo}\n"
        "  <div>\n"
        f"    <h1>{name}</h1>\n"
        f'    <p class="lede">{escape(str(student.year_group))}{form}\n'
        f"      {left}</p>\n"
        f"    {flags}\n"
        "  </div>\n"
        "</div>"
    )


def _yes_no(value) -> str:
    return "Yes" if value else "No"


def details_html(student, *, show_sensitive: bool) -> SafeString:
    """The Details panel: UPN, legal name (when they go by another), date of birth, gender,
    head of year, and their needs and context for those who see them."""
    legal = (
        f"<div><dt>Legal name</dt><dd>{escape(student.legal_first_name)} "
        f"{escape(student.legal_last_name)}</dd></div>"
        if student.preferred_first_name or student.preferred_last_name
        else ""
    )
    head = student.year_group.head_of_year
    head_of_year = (
        f"<div><dt>Head of year</dt><dd>{escape(head.display_name)}</dd></div>" if head else ""
    )
    sensitive = ""
    if show_sensitive:
        sensitive = (
            "\n"
            "    <div><dt>SEN status</dt>"
            f"<dd>{escape(student.get_sen_status_display())}</dd></div>\n"
            f"    <div><dt>Free school meals</dt><dd>{_yes_no(student.fsm)}</dd></div>\n"
            f"    <div><dt>Pupil premium</dt><dd>{_yes_no(student.pupil_premium)}</dd></div>\n"
            f"    <div><dt>EAL</dt><dd>{_yes_no(student.eal)}</dd></div>\n"
            "    <div><dt>Ethnicity</dt>"
            f"<dd>{escape(student.get_ethnicity_display() or 'Not recorded')}</dd></div>\n"
            f"    <div><dt>Looked after</dt><dd>{_yes_no(student.looked_after)}</dd></div>\n"
            "    "
        )
    return mark_safe(
        '<section class="panel" aria-labelledby="details-heading">\n'
        '  <h2 id="details-heading">Details</h2>\n'
        '  <dl class="details">\n'
        f"    <div><dt>UPN</dt><dd>{escape(student.upn)}</dd></div>\n"
        f"    {legal}\n"
        f"    <div><dt>Date of birth</dt><dd>{_date(student.date_of_birth, 'j F Y')}</dd></div>\n"
        f"    <div><dt>Gender</dt><dd>{escape(student.get_gender_display())}</dd></div>\n"
        f"    {head_of_year}\n"
        f"    {sensitive}\n"
        "  </dl>\n"
        "</section>"
    )
