from django.urls import path

from school import import_views, views

urlpatterns = [
    path("students/", views.student_list, name="student-list"),
    path("students/<int:student_id>/", views.student_detail, name="student-detail"),
    path("import/", import_views.roster_import_page, name="roster-import"),
]
