from django.urls import path

from accounts import views

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/locked/", views.locked_accounts, name="locked-accounts"),
    path("account/unlock/", views.account_unlock, name="account-unlock"),
    path("account/two-factor/", views.two_factor_page, name="two-factor"),
    path("account/two-factor/set-up/", views.two_factor_setup, name="two-factor-setup"),
    path("account/two-factor/code/", views.two_factor_verify, name="two-factor-verify"),
    path("account/two-factor/new-codes/", views.recovery_codes_new, name="recovery-codes-new"),
    path("account/two-factor/off/", views.two_factor_off, name="two-factor-off"),
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
