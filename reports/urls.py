from django.urls import path

from reports import views

urlpatterns = [
    path("reports/", views.dashboard, name="reports-dashboard"),
    path("reports/records/", views.records, name="reports-records"),
]
