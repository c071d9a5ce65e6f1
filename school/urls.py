from django.urls import path

from school import import_views, views

urlpatterns = [
    path("students/", views.student_list, name="student-list"),
    path("import/", import_views.roster_import_page, name="roster-import"),
]
