from django.urls import path

from reports import views

urlpatterns = [
    path("reports/", views.dashboard, name="reports-dashboard"),
    path("reports/records/", views.records, name="reports-records"),
    path("reports/half-term/", views.half_term_report, name="reports-half-term-current"),
    path("reports/half-term/<int:half_term_id>/", views.half_term_report, name="reports-half-term"),
    path(
        "reports/half-term/<int:half_term_id>/<str:fmt>/",
        views.half_term_export,
        name="reports-half-term-export",
    ),
]
