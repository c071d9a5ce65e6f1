from django.urls import path

from sanctions.views import placements, referrals, register

urlpatterns = [
    path("students/<int:student_id>/refer/", referrals.referral_new, name="referral-new"),
    path("referrals/", referrals.referral_list, name="referral-list"),
    path("referrals/<int:referral_id>/", referrals.referral_detail, name="referral-detail"),
    path(
        "placements/<int:placement_id>/cancel/",
        placements.placement_cancel,
        name="placement-cancel",
    ),
    path("placements/<int:placement_id>/move/", placements.placement_move, name="placement-move"),
    path("register/marks.csv", register.marks_export, name="marks-export"),
    path("register/digest/", register.register_digest, name="register-digest"),
    path("out-of-my-lessons/", register.my_students_out, name="my-students-out"),
    path(
        "register/placement-day/<int:placement_day_id>/mark/",
        register.register_mark,
        name="register-mark",
    ),
    path(
        "register/placement-day/<int:placement_day_id>/log/",
        register.register_log,
        name="register-log",
    ),
    path(
        "register/log/<int:entry_id>/level/",
        register.room_log_level,
        name="room-log-level",
    ),
    path(
        "register/placement-day/<int:placement_day_id>/fail/",
        register.register_fail,
        name="register-fail",
    ),
    path(
        "register/<str:room_code>/<str:day>/register.pdf",
        register.register_pdf,
        name="register-pdf",
    ),
    path(
        "register/<str:room_code>/<str:day>/close/",
        register.register_close_day,
        name="register-close",
    ),
    path("register/<str:room_code>/", register.register, name="register-today"),
    path("register/<str:room_code>/<str:day>/", register.register, name="register"),
]
