from django.urls import path

from reports import views

urlpatterns = [
    path("reports/", views.dashboard, name="reports-dashboard"),
    path("reports/records/", views.records, name="reports-records"),
    path("reports/records/calls/", views.records_calls, name="reports-records-calls"),
    path("reports/records/work/", views.records_work, name="reports-records-work"),
    path("reports/records/reviews/", views.records_reviews, name="reports-records-reviews"),
    path("reports/half-term/", views.half_term_report, name="reports-half-term-current"),
    path("reports/half-term/<int:half_term_id>/", views.half_term_report, name="reports-half-term"),
    path(
        "reports/half-term/<int:half_term_id>/pack/",
        views.meeting_pack,
        name="reports-meeting-pack",
    ),
    path(
        "reports/half-term/<int:half_term_id>/pack/pdf/",
        views.meeting_pack_pdf,
        name="reports-meeting-pack-pdf",
    ),
    path(
        "reports/half-term/<int:half_term_id>/<str:fmt>/",
        views.half_term_export,
        name="reports-half-term-export",
    ),
]
