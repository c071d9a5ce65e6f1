"""A student's page: who they are, where they should be now, and their whole history."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import CharField
from django.db.models.functions import Cast
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe

from audit import policies as audit_policies
from audit import selectors as audit_selectors
from audit.models import AuditEvent
from audit.services import audit_record
from conduct import student_rendering, timeline
from conduct.lib import clock
from conduct.lib.compiled import CompiledList, compiled_query
from notify.models import Message
from pastoral import policies as pastoral_policies
from pastoral.models import Concern, Discussion, Interview, RestorativeMeeting
from pastoral.selectors import discussions as pastoral_discussions
from pastoral.selectors import interventions as pastoral_interventions
from pastoral.selectors import meetings as pastoral_meetings
from pastoral.selectors import timeline as pastoral_timeline
from patrol.models import OnCallRequest, WatchListEntry
from privacy import policies as privacy_policies
from sanctions import policies as sanctions_policies
from sanctions.models import Placement, Referral
from school import policies
from school.models import Student
from school.selectors import calendar as school_calendar
from school.selectors import people as school_people
from school.selectors import timetable as school_timetable
from work.selectors import figures as work_figures


def student_detail(request, student_id: int):
    if not policies.can_view_students(request.user):
        raise PermissionDenied
    # Which kinds of pastoral and patrol record the student has are read with them for the
    # readers who may see their history (and so read those records); with none the others.
    kinds = None
    try:
        if policies.can_view_student_sensitive(request.user):
            student, kinds = timeline.student_with_kinds(student_id)
        else:
            student = school_people.student_profile(student_id)
    except Student.DoesNotExist:
        raise Http404("No student with that id") from None
    if not policies.can_view_student(request.user, student):
        raise Http404("No student with that id")
    show_sensitive = policies.can_view_student_sensitive(request.user, student)
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=student,
        detail={"page": "student profile", "sensitive": show_sensitive},
    )
    now = clock.now()
    # The calendar read once for where they are now and their lessons today.
    cycle_day = school_calendar.cycle_day_on(now.date())
    school_day = cycle_day is not None and school_calendar.is_school_day(now.date())
    # Meetings with the family and interventions: pastoral records, for the pastoral team.
    sees_meetings = pastoral_policies.can_see_meetings_of(request.user, student)
    # Which kinds of pastoral record they have, for the readers of their history: most have
    # none, and those are not read.
    records = None
    if show_sensitive or sees_meetings:
        records = kinds.pastoral if kinds is not None else pastoral_timeline.records_of(student)
    discussions = (
        pastoral_discussions.discussions_for_student(student, viewer=request.user)
        if records is None or records.discussions
        else []
    )
    meetings = interventions = None
    if records is not None and sees_meetings:
        meetings = pastoral_meetings.meetings_for_student(student) if records.meetings else []
        interventions = (
            pastoral_interventions.interventions_for_student(student)
            if records.interventions
            else []
        )
    # The timeline shows the same records: read once.
    pastoral_read: dict = {"discussions": discussions, "records": records}
    if sees_meetings:
        pastoral_read |= {"meetings": meetings, "interventions": interventions}
    day = school_timetable.student_day(student, now, cycle_day=cycle_day, school_day=school_day)
    correct_url = (
        reverse("record-correct", args=["student", student.pk])
        if privacy_policies.can_correct_record_of(request.user, student)
        else ""
    )
    # The corrections of their details and (for the timeline) their records' decisions and
    # closes: one read.
    history = timeline.student_history(student) if show_sensitive else None
    corrections = history.corrections if history is not None else []
    return render(
        request,
        "conduct/student_detail.html",
        {
            "student": student,
            "show_sensitive": show_sensitive,
            "head_html": student_rendering.head_html(student, show_sensitive=show_sensitive),
            "details_html": student_rendering.details_html(student, show_sensitive=show_sensitive),
            # Shown to these readers only: read for them alone.
            "guardians_html": (
                student_rendering.guardians_html(
                    school_people.guardian_contacts(student), may_correct=bool(correct_url)
                )
                if show_sensitive
                else ""
            ),
            "whereabouts": day.whereabouts,
            "lesson_now": day.now,
            "lessons_html": student_rendering.lessons_html(day.lessons),
            "corrections": corrections,
            "correct_url": correct_url,
            # The panel drawn only when it has something to say (its include cost as much as the
            # rest of the page's template).
            "corrections_panel": show_sensitive and bool(corrections or correct_url),
            "discussions_html": student_rendering.discussions_html(discussions),
            # The buttons, written in Python (their template tags were a tenth of the page).
            "actions_html": student_rendering.actions_html(
                student,
                may_refer=sanctions_policies.can_refer(request.user),
                may_view_reads=audit_policies.can_view_student_reads(request.user),
                may_request_access=privacy_policies.can_request_subject_access(request.user),
            ),
            "record_links_html": student_rendering.record_links_html(
                student,
                may_record=pastoral_policies.can_record_discussions(request.user),
                may_raise=pastoral_policies.can_raise_concerns(request.user),
                may_hold_interviews=pastoral_policies.can_hold_interviews(request.user),
                hide_discussion_link=not pastoral_policies.can_record_discussion_with(
                    request.user, student
                ),
            ),
            "timeline_html": (
                student_rendering.timeline_html(
                    timeline.student_timeline(
                        student,
                        viewer=request.user,
                        pastoral_read=pastoral_read,
                        patrol_read={"has": kinds.patrol} if kinds is not None else None,
                        sanctions_read={"ends": history.ends} if history is not None else None,
                    ),
                    csrf_token=get_token(request),
                    back_to=request.path,
                )
                if show_sensitive
                else None
            ),
            # The work for the lessons they missed in a room, the last twelve months.
            "work_figures_html": (
                student_rendering.work_figures_html(
                    work_figures.student_work_figures(
                        now.date() - dt.timedelta(days=365), now.date(), student=student
                    )
                )
                if show_sensitive
                else ""
            ),
            "meetings_html": student_rendering.meetings_html(
                student,
                meetings,
                interventions,
                may_arrange_meeting=sees_meetings
                and student.on_roll
                and pastoral_policies.can_arrange_meeting_for(request.user, student),
                may_set_intervention=sees_meetings
                and student.on_roll
                and pastoral_policies.can_set_intervention_for(request.user, student),
            ),
        },
    )


def _ids_as_text(queryset):
    """A subquery of the records' ids as the audit log stores them (text)."""
    return queryset.annotate(id_text=Cast("pk", CharField())).values("id_text")


def _reads_about(student_id: int, *, concerns: bool):
    """The reads and exports of one student's records (`reads_about_student`), with reads of
    their safeguarding concerns if `concerns` (for the DSL's eyes only)."""
    related = {
        "sanctions.referral": _ids_as_text(Referral.objects.filter(student_id=student_id)),
        "sanctions.placement": _ids_as_text(Placement.objects.filter(student_id=student_id)),
        "notify.message": _ids_as_text(Message.objects.filter(student_id=student_id)),
        "patrol.oncallrequest": _ids_as_text(OnCallRequest.objects.filter(students=student_id)),
        "patrol.watchlistentry": _ids_as_text(WatchListEntry.objects.filter(student_id=student_id)),
        # Records of discussions, interviews (the exit interview's page is the placement's) and
        # restorative meetings.
        "pastoral.discussion": _ids_as_text(Discussion.objects.filter(student_id=student_id)),
        "pastoral.interview": _ids_as_text(
            Interview.objects.filter(placement__student_id=student_id)
        ),
        "pastoral.restorativemeeting": _ids_as_text(
            RestorativeMeeting.objects.filter(student_id=student_id)
        ),
    }
    if concerns:
        related["pastoral.concern"] = _ids_as_text(Concern.objects.filter(student_id=student_id))
    return audit_selectors.reads_about_student(student_id, related)


def _compiled_reads(concerns: bool) -> tuple:
    """The rows of "who has looked" a page at a time and their count, the SQL built once."""
    return (
        compiled_query(
            lambda student_id: audit_selectors.student_read_values(
                _reads_about(student_id, concerns=concerns)
            ),
            paged=True,
        ),
        compiled_query(
            lambda student_id: audit_selectors.counted(_reads_about(student_id, concerns=concerns))
        ),
    )


# With and without reads of the student's safeguarding concerns.
_STUDENT_READS = {concerns: _compiled_reads(concerns) for concerns in (False, True)}


def student_reads(request, student_id: int):
    """Who has looked at this child: every read and export of their records, newest first."""
    if not audit_policies.can_view_student_reads(request.user):
        raise PermissionDenied
    student = Student.objects.filter(pk=student_id).select_related("year_group", "form").first()
    if student is None:
        raise Http404("No student with that id")
    rows, counts = _STUDENT_READS[pastoral_policies.can_act_on_concerns(request.user)]
    reads = CompiledList(rows, counts, (student.pk,))
    page = Paginator(reads, 50).get_page(request.GET.get("page"))
    # Read before this read is logged.
    page.object_list = audit_selectors.student_read_rows(page.object_list)
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=student,
        detail={"page": "who has looked", "page_number": page.number},
    )
    rows_html = mark_safe("".join(f"\n  {row.html}\n  " for row in page.object_list))
    return render(
        request,
        "conduct/student_reads.html",
        {"student": student, "page": page, "rows_html": rows_html},
    )
