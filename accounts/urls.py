from django.urls import path

from accounts import views

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/locked/", views.locked_accounts, name="locked-accounts"),
    path("account/unlock/", views.account_unlock, name="account-unlock"),
    path("account/password/", views.PasswordChange.as_view(), name="password-change"),
    # Under /login/: open to visitors who are not signed in (conduct/middleware.py).
    path("login/forgot/", views.PasswordReset.as_view(), name="password-reset"),
    path("login/forgot/sent/", views.PasswordResetSent.as_view(), name="password-reset-sent"),
    path(
        "login/reset/<uidb64>/<token>/",
        views.PasswordResetConfirm.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "login/reset/done/",
        views.PasswordResetComplete.as_view(),
        name="password-reset-complete",
    ),
]
