from django.urls import path

from sanctions import views

urlpatterns = [
    path("students/<int:student_id>/refer/", views.referral_new, name="referral-new"),
    path("referrals/", views.referral_list, name="referral-list"),
    path("referrals/<int:referral_id>/", views.referral_detail, name="referral-detail"),
    path("placements/<int:placement_id>/cancel/", views.placement_cancel, name="placement-cancel"),
    path("placements/<int:placement_id>/move/", views.placement_move, name="placement-move"),
    path("register/marks.csv", views.marks_export, name="marks-export"),
    path("register/line/<int:line_id>/mark/", views.register_mark, name="register-mark"),
    path("register/line/<int:line_id>/log/", views.register_log, name="register-log"),
    path("register/line/<int:line_id>/fail/", views.register_fail, name="register-fail"),
    path(
        "register/<str:room_code>/<str:day>/register.pdf", views.register_pdf, name="register-pdf"
    ),
    path(
        "register/<str:room_code>/<str:day>/close/", views.register_close_day, name="register-close"
    ),
    path("register/<str:room_code>/", views.register, name="register-today"),
    path("register/<str:room_code>/<str:day>/", views.register, name="register"),
]
