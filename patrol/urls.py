from django.urls import path

from patrol import views

urlpatterns = [
    path("on-call/", views.on_call_queue, name="on-call-queue"),
    path("on-call/queue.json", views.on_call_queue_json, name="on-call-queue-json"),
    path("on-call/raise/", views.on_call_raise, name="on-call-raise"),
    path("on-call/<int:request_id>/", views.on_call_detail, name="on-call-detail"),
    path("on-call/<int:request_id>/claim/", views.on_call_claim, name="on-call-claim"),
    path("on-call/<int:request_id>/arrived/", views.on_call_arrived, name="on-call-arrived"),
    path("on-call/<int:request_id>/resolve/", views.on_call_resolve, name="on-call-resolve"),
    # The patrol's phone page and what it does.
    path("patrol/", views.patrol_home, name="patrol-home"),
    path("patrol/sent-out/new/", views.sent_out_new, name="sent-out-new"),
    path("patrol/sent-out/<int:sent_out_id>/visit/", views.sent_out_visit, name="sent-out-visit"),
    path("patrol/sweeps/start/", views.sweep_start, name="sweep-start"),
    path("patrol/sweeps/<int:sweep_id>/find/", views.sweep_find, name="sweep-find"),
    path("patrol/sweeps/<int:sweep_id>/finish/", views.sweep_finish, name="sweep-finish"),
    path("patrol/out-of-lessons/", views.out_of_lessons, name="out-of-lessons"),
    path(
        "patrol/out-of-lessons/<int:finding_id>/dealt-with/",
        views.out_of_lesson_dealt_with,
        name="out-of-lesson-dealt-with",
    ),
    path("patrol/watch-list/", views.watch_list, name="watch-list"),
    path(
        "patrol/watch-list/<int:entry_id>/review/",
        views.watch_list_review,
        name="watch-list-review",
    ),
    path("patrol/watch-list/<int:entry_id>/end/", views.watch_list_end, name="watch-list-end"),
    path("patrol/watch-list/<int:entry_id>/drop-in/", views.drop_in_new, name="drop-in-new"),
    path("patrol/rota/", views.rota, name="rota"),
    path("patrol/rota/duties/add/", views.duty_add, name="duty-add"),
    path("patrol/rota/duties/<int:duty_id>/remove/", views.duty_remove, name="duty-remove"),
    path("patrol/rota/absences/add/", views.absence_add, name="absence-add"),
    path(
        "patrol/rota/absences/<int:absence_id>/remove/",
        views.absence_remove,
        name="absence-remove",
    ),
]
