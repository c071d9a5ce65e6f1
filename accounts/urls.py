from django.urls import path

from accounts import views

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/locked/", views.locked_accounts, name="locked-accounts"),
    path("account/unlock/", views.account_unlock, name="account-unlock"),
]
