from django.urls import path

from pastoral.views import family_contacts, reviews

urlpatterns = [
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
]
