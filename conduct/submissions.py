"""One record per form, however often it is sent.

A form that creates a record carries a one-time token (`{% submission_token %}`). The view
claims the token in the same transaction as the write:

    try:
        with transaction.atomic():
            submission = submissions.claim(request)
            referral = referrals.referral_create(...)
            submission.done(reverse("referral-detail", args=[referral.pk]))
    except submissions.AlreadySubmitted as first:
        return redirect(first.url)

A second send of the same token waits for the first transaction (the token is unique in the
database) and is then told where the first one's record is; if the first failed, nothing was
kept, and the second goes ahead.
"""

import re
import uuid

from django.db import IntegrityError, transaction

from conduct.lib import clock
from conduct.models import FormSubmission

FIELD = "submission"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


class AlreadySubmitted(Exception):
    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


class Submission:
    def __init__(self, row: FormSubmission | None):
        self._row = row

    def done(self, url: str) -> None:
        """Say where the record this form made can be seen (a second send goes there)."""
        if self._row is not None:
            self._row.result_url = url[:300]
            self._row.save(update_fields=["result_url"])


def new_token() -> str:
    return uuid.uuid4().hex


def token_of(request) -> str:
    """The form's token as sent, or "" (a client that sends none is not deduplicated)."""
    token = request.POST.get(FIELD, "") if request.method == "POST" else ""
    return token if _TOKEN.match(token) else ""


def claim(request) -> Submission:
    """Claim the request's token inside the caller's transaction, or raise AlreadySubmitted
    with the first send's result. Call it inside `transaction.atomic()`, before the write."""
    token = token_of(request)
    if not token:
        return Submission(None)
    user = request.user if request.user.is_authenticated else None
    try:
        with transaction.atomic():
            row = FormSubmission.objects.create(token=token, user=user, at=clock.now())
    except IntegrityError:
        first = FormSubmission.objects.filter(token=token).first()
        raise AlreadySubmitted(first.result_url if first and first.result_url else "") from None
    return Submission(row)
