"""In-process CPU per request of the home page (every role), a student's page, messages, and the
lists (each room's busiest register, referrals, students, watch list, duty rota, audit log),
each against the bare view in the same process (issue 15): no server, so it isolates what the
app does per request; rounds are interleaved, so a busy machine slows both alike.

    SQLITE_PATH=/tmp/demo.sqlite3 .venv/bin/python manage.py migrate && ... manage.py load_demo
    SQLITE_PATH=/tmp/demo.sqlite3 .venv/bin/python bench/bench_inprocess.py [--rounds 40]
        [--only "home officer,messages"] [--profile "home officer"]

`--profile NAME` runs that page under cProfile instead and prints where the time goes."""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bench_settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("CONDUCT_REQUIRE_2FA", "0")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from sanctions.models import PlacementDay  # noqa: E402
from school.models import Student  # noqa: E402


def pages() -> list[tuple[str, str, str]]:
    student = Student.objects.annotate(n=Count("incidents")).order_by("-n").first()
    home = reverse("home")
    return [
        ("bare view", "conduct", "/bench/bare/"),
        ("home officer", "conduct", home),
        ("home SLT", "slt", home),
        ("home head of year", "pastoral", home),
        ("home teacher", "teacher", home),
        ("home DSL", "dsl", home),
        ("home SENCO", "senco", home),
        ("home attendance", "attendance", home),
        ("home curriculum", "curriculum", home),
        ("home admin", "admin", home),
        ("student page (SLT)", "slt", reverse("student-detail", args=[student.pk])),
        ("messages (officer)", "conduct", reverse("message-list")),
        *registers(),
        ("referrals", "conduct", reverse("referral-list")),
        ("students list", "slt", reverse("student-list")),
        ("watch list", "dsl", reverse("watch-list")),
        ("duty rota", "slt", reverse("rota")),
        ("audit log", "dsl", reverse("audit-log")),
        ("on-call queue", "conduct", reverse("on-call-queue")),
        ("patrol", "conduct", reverse("patrol-home")),
        ("patrol watch", "conduct", reverse("patrol-home") + "?tab=watch"),
    ]


def registers() -> list[tuple[str, str, str]]:
    """Each room's register on its busiest day of the demo ("register IE1")."""
    found: dict[str, tuple[str, str, str]] = {}
    for row in (
        PlacementDay.objects.values("room__code", "date").annotate(n=Count("id")).order_by("-n")
    ):
        code = row["room__code"]
        if code not in found:
            path = reverse("register", args=[code, row["date"].isoformat()])
            found[code] = (f"register {code}", "conduct", path)
    return list(found.values())


def daily_lists() -> list[tuple[str, str, str]]:
    """Pages staff open daily since issues 10-12 (the same names as in bench_pages.py)."""
    return [
        ("weekly dashboard", "slt", reverse("reports-dashboard")),
        ("interviews to do", "pastoral", reverse("to-do-interviews")),
        ("lessons without work", "conduct", reverse("to-do-work")),
        ("concerns (DSL)", "dsl", reverse("concern-list")),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--only", help="page names, comma-separated (the bare view always runs)")
    parser.add_argument("--profile", help="one page's name: profile it instead")
    args = parser.parse_args()
    clients: dict[str, Client] = {}

    def client(username: str) -> Client:
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(get_user_model().objects.get(username=username))
        return clients[username]

    chosen = pages() + daily_lists()
    if args.profile:
        [(_, username, path)] = [page for page in chosen if page[0] == args.profile]
        for _ in range(3):
            client(username).get(path)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.rounds):
            client(username).get(path)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(60)
        return
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")} | {"bare view"}
        chosen = [page for page in chosen if page[0] in wanted]
    for name, username, path in chosen:
        for _ in range(2):
            status = client(username).get(path).status_code
            assert status == 200, (name, status)
    times: dict[str, list[float]] = {name: [] for name, _, _ in chosen}
    for _ in range(args.rounds):
        for name, username, path in chosen:
            started = time.process_time()
            client(username).get(path)
            times[name].append((time.process_time() - started) * 1000)
    bare = statistics.median(times["bare view"])
    print("| page | CPU ms / request (median) | × bare view |")
    print("| --- | --- | --- |")
    for name, _, _ in chosen:
        median = statistics.median(times[name])
        print(f"| {name} | {median:.1f} | {median / bare:.1f} |")


if __name__ == "__main__":
    main()
