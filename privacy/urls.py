from django.urls import path

from privacy import views

urlpatterns = [
    path(
        "students/<int:student_id>/subject-access/",
        views.subject_access_request,
        name="subject-access",
    ),
    path(
        "corrections/<slug:kind>/<int:record_id>/",
        views.record_correct,
        name="record-correct",
    ),
]
