from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from audit import views as audit_views
from conduct.views import home, students

admin.site.site_header = "Conduct administration"
admin.site.site_title = "Conduct"

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", home.healthz, name="healthz"),
    path("today/interviews/", home.interviews_to_do_list, name="to-do-interviews"),
    path("today/lessons-without-work/", home.lessons_without_work_list, name="to-do-work"),
    path("students/<int:student_id>/", students.student_detail, name="student-detail"),
    path("students/<int:student_id>/looked-at/", students.student_reads, name="student-reads"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("accounts.urls")),
    path("", include("school.urls")),
    path("", include("sanctions.urls")),
    path("audit/", audit_views.audit_log, name="audit-log"),
    path("", include("notify.urls")),
    path("", include("pastoral.urls")),
    path("", include("patrol.urls")),
    path("", include("work.urls")),
    path("", include("reports.urls")),
    path("", include("privacy.urls")),
    path("", include("pastoral.urls")),
    # Before the admin site's own: its sign-in page goes to the one protected sign-in page.
    path("admin/login/", account_views.admin_login),
    path("admin/", admin.site.urls),
]
