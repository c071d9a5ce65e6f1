"""Students sent out of lessons: the teacher logs one, the patrol records the visit."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from conduct import submissions
from conduct.lib import clock
from conduct.lib.errors import ActionRefused, message_of
from conduct.lib.forms import errors_into
from patrol import policies
from patrol.forms import SentOutForm, VisitForm
from patrol.models import SentOut
from patrol.selectors import lesson_now
from patrol.selectors import sent_out as sent_out_selectors
from patrol.services import sent_out as sent_out_services
from patrol.views import home, inputs
from school.selectors import people as school_people


def sent_out_new(request):
    """Log a student sent out: the lesson now from the timetable, the class list to choose from;
    the patrol, with no lesson, finds the student by name."""
    if not policies.can_log_sent_out(request.user):
        raise PermissionDenied
    staff = school_people.staff_for_user(request.user)
    now = clock.now()
    form = SentOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                submission = submissions.claim(request)
                sent_out_services.sent_out_log(
                    by=request.user,
                    student=data["student"],
                    reason=data["reason"],
                    sent_to=data["sent_to"],
                    sent_to_room=data["sent_to_room"],
                    sent_to_place=data["sent_to_place"],
                    teaching_class=data["teaching_class"],
                    from_room=data["from_room"],
                    period=lesson_now.school_period_now(now),
                    sent_at=inputs.at_today(data["sent_time"], now),
                    now=now,
                )
                submission.done(reverse("sent-out-new"))
        except submissions.AlreadySubmitted as first:
            return redirect(first.url or "sent-out-new")
        except ValidationError as error:
            errors_into(form, error)
        else:
            student = data["student"]
            messages.success(request, f"Logged: {student.name} sent out. The patrol will visit.")
            booked = sent_out_selectors.booked_today([student.pk], now.date()).get(student.pk)
            if booked:
                messages.warning(
                    request,
                    f"{student.name} is booked in {booked}: they should be there, not in a lesson.",
                )
            return redirect("sent-out-new")
    source = request.POST if request.method == "POST" else request.GET
    choice = inputs.lesson_choice(request, staff, room_field="from_room", now=now)
    query = source.get("q", "")
    matches = [s for s in inputs.student_matches(query) if s not in choice.class_list]
    context = {
        "form": form,
        "lesson": choice.lesson,
        "classes": choice.classes,
        "teaching_class": choice.teaching_class,
        "room_options": choice.room_options,
        "room": choice.room,
        "students": choice.class_list,
        "matches": matches,
        "query": query,
        "chosen_student": source.get("student", ""),
        "destinations": SentOut.Destination.choices,
        "sent_to": source.get("sent_to") or SentOut.Destination.CORRIDOR,
        "mine": sent_out_selectors.logged_today(request.user, now=now),
        "can_patrol": policies.can_patrol(request.user),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "patrol/sent_out_new.html", context, status=status)


@require_POST
def sent_out_visit(request, sent_out_id: int):
    if not policies.can_record_visit(request.user):
        raise PermissionDenied
    sent_out = SentOut.objects.filter(pk=sent_out_id).first()
    if sent_out is None:
        raise Http404("No such student sent out")
    form = VisitForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what happened.")
        return redirect(f"{reverse('patrol-home')}?tab=visits")
    now = clock.now()
    visits = f"{reverse('patrol-home')}?tab=visits"
    try:
        with transaction.atomic():
            submission = submissions.claim(request)
            sent_out_services.sent_out_record_visit(
                sent_out_id=sent_out.pk,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                visited_at=inputs.at_today(form.cleaned_data["visited_time"], now),
                taken_to=form.cleaned_data["taken_to"],
                note=form.cleaned_data["note"],
                now=now,
            )
            submission.done(visits)
    except submissions.AlreadySubmitted as first:
        return redirect(first.url or visits)
    except ActionRefused as error:
        messages.error(request, message_of(error))
    except ValidationError as error:
        return home.patrol_home(
            request,
            tab="visits",
            forms={"visit_errors": {sent_out.pk: message_of(error)}},
            status=400,
        )
    else:
        messages.success(request, f"Visit recorded: {sent_out.student.name}.")
    return redirect(visits)
