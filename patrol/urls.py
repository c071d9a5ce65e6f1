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
]
