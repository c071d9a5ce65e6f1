from django.urls import path

from pastoral.views import family_contacts

urlpatterns = [
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
