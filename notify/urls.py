from django.urls import path

from notify import views

urlpatterns = [
    path("messages/", views.message_list, name="message-list"),
    path("messages/approve/", views.message_bulk_approve, name="message-bulk-approve"),
    path("messages/<int:message_id>/", views.message_detail, name="message-detail"),
    path(
        "messages/<int:message_id>/letter.pdf", views.message_letter_pdf, name="message-letter-pdf"
    ),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:notice_id>/open/", views.inbox_open, name="inbox-open"),
]
