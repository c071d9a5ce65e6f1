"""Subject access requests and corrections of records (docs/security.md)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from audit import selectors as audit_selectors
from audit.models import AuditEvent
from audit.services import audit_record
from conduct.lib import clock
from conduct.lib.forms import errors_into
from pastoral.models import Level
from privacy import exports, forms, policies
from privacy.selectors import subject_access as selectors
from privacy.services import corrections
from school.models import Student


def _student(student_id: int) -> Student:
    student = Student.objects.select_related("year_group", "form").filter(pk=student_id).first()
    if student is None:
        raise Http404("No student with that id")
    return student


def subject_access_request(request, student_id: int):
    """Confirm, then download everything held about the student (zip: PDF and JSON)."""
    if not policies.can_request_subject_access(request.user):
        raise PermissionDenied
    student = _student(student_id)
    levels = policies.releasable_levels(request.user)
    form = forms.SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        bundle = selectors.subject_access(student, levels=levels)
        archive = exports.subject_access_zip(bundle, requester=request.user)
        audit_record(
            request=request,
            action=AuditEvent.Action.EXPORT,
            target=student,
            detail={
                "page": "subject access request",
                "reference": form.cleaned_data["reference"],
                "identity": form.cleaned_data["identity"],
                "levels": list(levels),
                "records": bundle.record_count,
                "marked_for_redaction": len(bundle.third_parties),
            },
        )
        response = HttpResponse(archive, content_type="application/zip")
        name = f"subject-access-{student.upn}-{clock.today():%Y-%m-%d}.zip"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request,
        "privacy/subject_access.html",
        {
            "student": student,
            "form": form,
            "level_names": [Level(level).label for level in levels],
            "releases_child_protection": Level.CHILD_PROTECTION in levels,
        },
    )


def record_correct(request, kind: str, record_id: int):
    """Correct a record's text or a student's details, with the reason kept in its history."""
    if kind not in corrections.CORRECTABLE:
        raise Http404("No such kind of record")
    if not policies.can_correct_records(request.user):
        raise PermissionDenied
    record = corrections.correctable_record(kind, record_id)
    if record is None:
        raise Http404("No such record")
    student, level = corrections.student_and_level(kind, record)
    if not policies.can_correct_record_of(request.user, student, level):
        raise Http404("No such record")
    spec = corrections.CORRECTABLE[kind]
    initial_field = request.GET.get("field") if request.GET.get("field") in spec.fields else None
    form = forms.CorrectionForm(
        request.POST or None,
        fields=spec.fields,
        initial={
            "field": initial_field,
            "value": getattr(record, initial_field) if initial_field else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            corrections.record_correct(
                kind=kind,
                record=record,
                field=form.cleaned_data["field"],
                value=form.cleaned_data["value"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            return redirect("record-correct", kind=kind, record_id=record.pk)
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=record,
        detail={"page": "correct a record"},
    )
    return render(
        request,
        "privacy/record_correct.html",
        {
            "kind": kind,
            "spec": spec,
            "record": record,
            "student": student,
            "current": [(label, getattr(record, name)) for name, label in spec.fields.items()],
            "form": form,
            "corrections": audit_selectors.corrections_of(record),
        },
    )
