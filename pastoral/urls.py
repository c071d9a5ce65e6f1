from django.urls import path

from pastoral.views import (
    concerns,
    discussions,
    family_contacts,
    interviews,
    reflection,
    restorative,
    reviews,
)
from pastoral.views import interventions as intervention_views
from pastoral.views import meetings as meeting_views

urlpatterns = [
    path("interviews/<int:interview_id>/", interviews.interview_detail, name="interview-detail"),
    path(
        "interviews/<int:interview_id>/level/", interviews.interview_level, name="interview-level"
    ),
    path(
        "interviews/<int:interview_id>/reflection-photo/",
        interviews.interview_reflection_scan,
        name="interview-reflection-scan",
    ),
    path(
        "placements/<int:placement_id>/exit-interview/",
        interviews.exit_interview,
        name="exit-interview",
    ),
    path(
        "students/<int:student_id>/restorative/new/",
        restorative.restorative_new,
        name="restorative-new",
    ),
    path(
        "restorative/<int:meeting_id>/", restorative.restorative_detail, name="restorative-detail"
    ),
    path(
        "students/<int:student_id>/discussions/new/",
        discussions.discussion_new,
        name="discussion-new",
    ),
    path(
        "discussions/<int:discussion_id>/", discussions.discussion_detail, name="discussion-detail"
    ),
    path(
        "discussions/<int:discussion_id>/level/",
        discussions.discussion_level,
        name="discussion-level",
    ),
    path(
        "interviews/<int:interview_id>/reflection/",
        reflection.reflection_lock,
        name="reflection-lock",
    ),
    path("reflection/", reflection.reflection, name="reflection"),
    path("reflection/unlock/", reflection.reflection_unlock, name="reflection-unlock"),
    path("students/<int:student_id>/concerns/new/", concerns.concern_new, name="concern-new"),
    path("concerns/", concerns.concern_list, name="concern-list"),
    path("concerns/<int:concern_id>/", concerns.concern_detail, name="concern-detail"),
    path("reviews/<int:task_id>/", reviews.review_task_detail, name="review-task-detail"),
    path(
        "placements/<int:placement_id>/call/",
        family_contacts.family_call_new,
        name="family-call-new",
    ),
    path(
        "placements/<int:placement_id>/good-day/",
        family_contacts.good_day_note,
        name="good-day-note",
    ),
    path(
        "students/<int:student_id>/meetings/new/",
        meeting_views.meeting_new,
        name="meeting-new",
    ),
    path("meetings/<int:meeting_id>/", meeting_views.meeting_detail, name="meeting-detail"),
    path(
        "students/<int:student_id>/interventions/new/",
        intervention_views.intervention_new,
        name="intervention-new",
    ),
    path(
        "interventions/<int:intervention_id>/",
        intervention_views.intervention_detail,
        name="intervention-detail",
    ),
]
