from django.urls import path

from sanctions import views

urlpatterns = [
    path("students/<int:student_id>/refer/", views.referral_new, name="referral-new"),
    path("referrals/", views.referral_list, name="referral-list"),
    path("referrals/<int:referral_id>/", views.referral_detail, name="referral-detail"),
    path("register/<str:room_code>/", views.register, name="register-today"),
    path("register/<str:room_code>/<str:day>/", views.register, name="register"),
]
