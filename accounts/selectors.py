"""Reading whose signing in is paused."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, Sum

from accounts.lockout import lockout_time, recent_attempts


@dataclass(frozen=True)
class Lock:
    kind: str  # "account" or "address"
    key: str  # the username or the address
    name: str  # the account's full name, when the username is one
    failures: int
    until: object  # when the pause lifts by itself


def locks() -> list[Lock]:
    """Usernames and addresses whose signing in is paused now, usernames first (two queries,
    three when a paused username names an account)."""
    attempts = recent_attempts()
    found: list[Lock] = []
    by_username = (
        attempts.exclude(username=None)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.LOGIN_FAILURES_PER_ACCOUNT)
        .order_by("username")
    )
    rows = list(by_username)
    names = {}
    if rows:
        users = get_user_model().objects.filter(username__in=[r["username"] for r in rows])
        names = {u.username: u.get_full_name() for u in users}
    for row in rows:
        found.append(
            Lock(
                "account",
                row["username"],
                names.get(row["username"], ""),
                row["failures"],
                row["last"] + lockout_time(),
            )
        )
    by_address = (
        attempts.exclude(ip_address=None)
        .values("ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.LOGIN_FAILURES_PER_ADDRESS)
        .order_by("ip_address")
    )
    for row in by_address:
        found.append(
            Lock("address", row["ip_address"], "", row["failures"], row["last"] + lockout_time())
        )
    return found
