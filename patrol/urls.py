from django.urls import path

from patrol.views import home, on_call, rota, sent_out, sweeps, watch_list

urlpatterns = [
    path("on-call/", on_call.on_call_queue, name="on-call-queue"),
    path("on-call/queue.json", on_call.on_call_queue_json, name="on-call-queue-json"),
    path("on-call/raise/", on_call.on_call_raise, name="on-call-raise"),
    path("on-call/<int:request_id>/", on_call.on_call_detail, name="on-call-detail"),
    path("on-call/<int:request_id>/claim/", on_call.on_call_claim, name="on-call-claim"),
    path("on-call/<int:request_id>/arrived/", on_call.on_call_arrived, name="on-call-arrived"),
    path("on-call/<int:request_id>/resolve/", on_call.on_call_resolve, name="on-call-resolve"),
    path(
        "on-call/<int:request_id>/note-level/",
        on_call.on_call_note_level,
        name="on-call-note-level",
    ),
    path(
        "patrol/drop-ins/<int:drop_in_id>/level/",
        watch_list.drop_in_level,
        name="drop-in-level",
    ),
    # The patrol's phone page and what it does.
    path("patrol/", home.patrol_home, name="patrol-home"),
    path("patrol/sent-out/new/", sent_out.sent_out_new, name="sent-out-new"),
    path(
        "patrol/sent-out/<int:sent_out_id>/visit/",
        sent_out.sent_out_visit,
        name="sent-out-visit",
    ),
    path("patrol/sweeps/start/", sweeps.sweep_start, name="sweep-start"),
    path("patrol/sweeps/<int:sweep_id>/find/", sweeps.sweep_find, name="sweep-find"),
    path("patrol/sweeps/<int:sweep_id>/finish/", sweeps.sweep_finish, name="sweep-finish"),
    path(
        "patrol/found-out-of-lessons/",
        sweeps.found_out_of_lessons,
        name="found-out-of-lessons",
    ),
    path(
        "patrol/found-out-of-lessons/<int:finding_id>/dealt-with/",
        sweeps.found_out_of_lessons_dealt_with,
        name="found-out-of-lessons-dealt-with",
    ),
    path("patrol/watch-list/", watch_list.watch_list, name="watch-list"),
    path(
        "patrol/watch-list/<int:entry_id>/review/",
        watch_list.watch_list_review,
        name="watch-list-review",
    ),
    path(
        "patrol/watch-list/<int:entry_id>/end/",
        watch_list.watch_list_end,
        name="watch-list-end",
    ),
    path(
        "patrol/watch-list/<int:entry_id>/drop-in/",
        watch_list.drop_in_new,
        name="drop-in-new",
    ),
    path("patrol/rota/", rota.rota, name="rota"),
    path("patrol/rota/duties/add/", rota.duty_add, name="duty-add"),
    path("patrol/rota/duties/<int:duty_id>/remove/", rota.duty_remove, name="duty-remove"),
    path("patrol/rota/absences/add/", rota.absence_add, name="absence-add"),
    path(
        "patrol/rota/absences/<int:absence_id>/remove/",
        rota.absence_remove,
        name="absence-remove",
    ),
]
