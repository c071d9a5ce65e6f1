"""Server CPU per request of the slow pages, in this process through Django's test client, against
the bare view of bench/bench_urls.py (same middleware, session and a small template): the
figures of issue 15 without a server, the network or the other processes of a shared machine.

    SQLITE_PATH=/tmp/demo.sqlite3 .venv/bin/python manage.py migrate -v0
    SQLITE_PATH=/tmp/demo.sqlite3 .venv/bin/python manage.py load_demo
    SQLITE_PATH=/tmp/demo.sqlite3 .venv/bin/python bench/bench_inprocess.py [--runs 60]
    SQLITE_PATH=/tmp/demo.sqlite3 .venv/bin/python bench/bench_inprocess.py --profile rota

Each round loads every page once (interleaved, so a busy machine slows them all alike); the
figure is the median of `--runs` rounds of process CPU time (time.process_time) per request.
`--profile NAME` runs cProfile over the first page whose name contains NAME instead.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bench_settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("CONDUCT_REQUIRE_2FA", "0")  # force_login carries no second factor
os.environ.pop("DATABASE_URL", None)


def pages() -> list[tuple[str, str, str]]:
    """(name, username, path): the bare view, each room's busiest register, and the lists."""
    from django.db.models import Count
    from django.urls import reverse

    from sanctions.models import PlacementDay

    found = [("bare view", "slt", "/bench/bare/")]
    seen = set()
    for row in (
        PlacementDay.objects.values("room__code", "date").annotate(n=Count("id")).order_by("-n")
    ):
        if row["room__code"] not in seen:
            seen.add(row["room__code"])
            path = reverse("register", args=[row["room__code"], row["date"].isoformat()])
            found.append((f"register {row['room__code']} ({row['n']} students)", "conduct", path))
    return found + [
        ("referrals", "conduct", reverse("referral-list")),
        ("students list", "slt", reverse("student-list")),
        ("watch list", "dsl", reverse("watch-list")),
        ("duty rota", "slt", reverse("rota")),
        ("audit log", "dsl", reverse("audit-log")),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--profile", help="cProfile the page whose name contains this")
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    clients: dict[str, Client] = {}

    def get(username: str, path: str) -> float:
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(get_user_model().objects.get(username=username))
        started = time.process_time()
        response = clients[username].get(path)
        spent = time.process_time() - started
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        return spent

    todo = pages()
    for _name, username, path in todo:  # warm: sessions, templates, the first queries
        for _ in range(3):
            get(username, path)
    if args.profile:
        _name, username, path = next(p for p in todo if args.profile in p[0])
        profile = cProfile.Profile()
        profile.runcall(lambda: [get(username, path) for _ in range(args.runs)])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(60)
        return
    spent: dict[str, list[float]] = {name: [] for name, _, _ in todo}
    for _ in range(args.runs):
        for name, username, path in todo:
            spent[name].append(get(username, path))
    bare = statistics.median(spent["bare view"])
    print("| page | CPU ms / request | × bare view |")
    print("| --- | ---: | ---: |")
    for name, _, _ in todo:
        median = statistics.median(spent[name])
        print(f"| {name} | {1000 * median:.1f} | {median / bare:.1f} |")


if __name__ == "__main__":
    main()
