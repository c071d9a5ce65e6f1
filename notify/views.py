"""Messages to parents: the list of what is not yet done, one message, and a letter's PDF."""

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from audit.models import AuditEvent
from audit.services import audit_record
from conduct import submissions
from conduct.lib import clock
from notify import channels, policies, selectors, services
from notify.models import Message, Notice
from notify.rendering import inbox_html, message_rows_html, not_told_html

STATUS_FILTERS = [("not_done", "Not yet done"), ("", "All")] + list(Message.Status.choices)


def _message_or_404(request, message_id: int) -> Message:
    """The message, when `request.user` may read it (pastoral staff: their years' only)."""
    try:
        message = selectors.message_get(message_id)
    except Message.DoesNotExist:
        raise Http404("No message with that id") from None
    if not policies.can_view_message(request.user, message):
        raise Http404("No message with that id")
    return message


def message_list(request):
    if not policies.can_view_messages(request.user):
        raise PermissionDenied
    # What needs doing first: the drafts to check ("All" is asked for as status=).
    status = request.GET.get("status", Message.Status.DRAFT)
    if status not in dict(STATUS_FILTERS):
        status = ""
    audience = request.GET.get("audience", Message.Audience.PARENT)
    if audience not in Message.Audience.values:
        audience = Message.Audience.PARENT
    found = selectors.message_list(status=status or None, audience=audience, viewer=request.user)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        object_type="notify.message",
        detail={
            "page": "message list",
            "status": status,
            "audience": audience,
            "page_number": page.number,
            "messages": len(page.object_list),
        },
    )
    rows = selectors.message_rows(page.object_list)
    not_told = (
        selectors.families_not_told(clock.today(), viewer=request.user)
        if audience == Message.Audience.PARENT
        else []
    )
    can_approve = policies.can_approve_messages(request.user)
    return render(
        request,
        "notify/message_list.html",
        {
            "page": page,
            "rows": rows,
            "rows_html": message_rows_html(rows, can_approve=can_approve),
            "status": status,
            "audience": audience,
            "status_filters": STATUS_FILTERS,
            "audiences": Message.Audience.choices,
            "not_told": not_told,
            "not_told_html": not_told_html(not_told),
            "can_approve": can_approve,
        },
    )


def _names(messages: list[Message]) -> str:
    return ", ".join(m.student.name if m.student else m.recipient_name for m in messages)


@require_http_methods(["POST"])
def message_bulk_approve(request):
    """Approve and send the drafts ticked on the list: each is approved whole or left as it
    was, and the summary says which and why."""
    if not policies.can_approve_messages(request.user):
        raise PermissionDenied
    back = reverse("message-list")
    ids = [int(value) for value in request.POST.getlist("message") if value.isdigit()]
    if not ids:
        flash.error(request, "Tick the drafts to approve and send first.")
        return redirect(back)
    try:
        with transaction.atomic():
            submission = submissions.claim(request)
            report = services.messages_approve(message_ids=ids, by=request.user)
            for message in report.sent + report.to_post:
                audit_record(
                    request=request,
                    action=AuditEvent.Action.CHANGE,
                    target=message,
                    detail={"action": "approve", "bulk": True},
                )
            submission.done(back)
    except submissions.AlreadySubmitted as first:
        return redirect(first.url or back)
    if report.sent:
        flash.success(
            request,
            f"Queued to send {len(report.sent)} email{'s' if len(report.sent) != 1 else ''} or text"
            f"{'s' if len(report.sent) != 1 else ''}: {_names(report.sent)}.",
        )
    if report.to_post:
        flash.success(
            request,
            f"Approved {len(report.to_post)} letter{'s' if len(report.to_post) != 1 else ''} "
            f"for posting: {_names(report.to_post)}. Print and post them, then mark each "
            "posted.",
        )
    for message, reason in report.refused:
        who = message.student.name if message.student else message.recipient_name
        flash.error(request, f"Not approved, left as it was: {who} ({message.subject}). {reason}")
    missing = len(set(ids)) - len(report.sent) - len(report.to_post) - len(report.refused)
    if missing:
        flash.error(request, f"{missing} of the ticked messages no longer exist.")
    return redirect(back)


# What each button on a message's page does: (service, policy, past tense for the flash message).
_ACTIONS = {
    "approve": (services.message_approve, policies.can_approve_message, "Approved"),
    "cancel": (services.message_cancel, policies.can_edit_message, "Cancelled"),
    "mark_sent": (services.message_mark_sent, policies.can_edit_message, "Marked as posted"),
    "retry": (services.message_retry, policies.can_edit_message, "Queued to try again"),
}


@require_http_methods(["GET", "POST"])
def message_detail(request, message_id: int):
    if not policies.can_view_messages(request.user):
        raise PermissionDenied
    message = _message_or_404(request, message_id)
    errors: list[str] = []
    form = {"subject": message.subject, "body": message.body}
    if request.method == "POST":
        action = request.POST.get("action", "")
        here = reverse("message-detail", args=[message.pk])
        try:
            with transaction.atomic():
                # Sent twice (a double click on "Approve and send"), the second send does
                # nothing and shows what the first did.
                submission = submissions.claim(request)
                if action == "save":
                    if not policies.can_edit_message(request.user, message):
                        raise PermissionDenied
                    form = {
                        "subject": request.POST.get("subject", ""),
                        "body": request.POST.get("body", ""),
                    }
                    services.message_update(message=message, by=request.user, **form)
                    done = "Saved"
                elif action in _ACTIONS:
                    service, allowed, done = _ACTIONS[action]
                    if not allowed(request.user, message):
                        raise PermissionDenied
                    service(message=message, by=request.user)
                else:
                    raise ValidationError("Unknown action.")
                submission.done(here)
        except submissions.AlreadySubmitted as first:
            return redirect(first.url or here)
        except ValidationError as exc:
            errors = exc.messages
        else:
            audit_record(
                request=request,
                action=AuditEvent.Action.CHANGE,
                target=message,
                detail={"action": action},
            )
            flash.success(request, f"{done}: {message.subject}")
            return redirect(here)
        message = _message_or_404(request, message_id)
    else:
        audit_record(
            request=request,
            action=AuditEvent.Action.VIEW,
            target=message,
            detail={"page": "message", "student": message.student_id},
        )
    return render(
        request,
        "notify/message_detail.html",
        {
            "message": message,
            "form": form,
            "errors": errors,
            "can_edit": policies.can_edit_message(request.user, message),
            "can_approve": policies.can_approve_message(request.user, message),
            "related": message.related if message.related_type_id else None,
        },
        status=400 if errors else 200,
    )


def message_letter_pdf(request, message_id: int):
    if not policies.can_view_messages(request.user):
        raise PermissionDenied
    message = _message_or_404(request, message_id)
    if not message.is_letter:
        raise Http404("Only a letter has a PDF")
    pdf = channels.letter_pdf(message)
    audit_record(
        request=request,
        action=AuditEvent.Action.EXPORT,
        target=message,
        detail={"format": "pdf", "student": message.student_id},
    )
    name = slugify(f"letter {message.pk} {message.recipient_name}") or f"letter-{message.pk}"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


# ---- the in-app inbox -------------------------------------------------------------------------


def inbox(request):
    """The signed-in person's notices, newest first, unread marked."""
    if not policies.can_view_inbox(request.user):
        raise PermissionDenied
    notices = selectors.inbox_rows(request.user)
    return render(
        request,
        "notify/inbox.html",
        {
            "notices": notices,
            "unread": sum(1 for n in notices if n.read_at is None),
            "rows": inbox_html(notices, get_token(request)),
        },
    )


@require_http_methods(["POST"])
def inbox_open(request, notice_id: int):
    """Open a notice: it is marked read and its record opens (which applies its own rule)."""
    if not policies.can_view_inbox(request.user):
        raise PermissionDenied
    notice = Notice.objects.filter(pk=notice_id, recipient=request.user).first()
    if notice is None:
        raise Http404("No notice with that id")
    services.notices_read(user=request.user, notice_id=notice.pk)
    # Only a path on this site: a notice never sends anyone elsewhere.
    if notice.link.startswith("/") and not notice.link.startswith("//"):
        return redirect(notice.link)
    return redirect("inbox")
