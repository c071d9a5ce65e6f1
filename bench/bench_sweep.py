"""Every kind of page, not only the busy ones: each demo login walks the links of the pages it
reaches from its home page (as tests/test_demo_walk.py does), and each kind of page (URL name)
it meets is timed, in-process, against the bare view (issue 15: "every page within 3x").

The page benchmark (bench_pages.py) serves the nineteen pages staff open most through a real
server; this sweep finds the pages nobody thought to list there: a department's work, the
records behind a figure, a form with long pickers. Each kind is timed on the examples the walk
met (up to `--each` of them, by whichever login met them first), and its slowest example
reported: CPU ms median of `--rounds` requests, × the bare view's, queries and bytes.

    .venv/bin/python bench/bench_sweep.py [--rounds 15] [--each 3] [--over 3]
        [--results bench/RESULTS.md]

loads the demo school into a fresh SQLite database of its own first (a minute or two); with
`SQLITE_PATH` (or `DATABASE_URL`) naming a database where the demo is loaded, it uses that.

Downloads (PDFs, CSV and spreadsheet exports) are left out: they are files, timed by their own
benchmarks. The clock is the machine's: run it on a school day with lessons on to meet the
live pages at their fullest."""

import argparse
import datetime as dt
import logging
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bench_settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("CONDUCT_REQUIRE_2FA", "0")

# Without a database named, a fresh one in a temporary directory, the demo loaded into it.
FRESH = "SQLITE_PATH" not in os.environ and "DATABASE_URL" not in os.environ
if FRESH:
    import tempfile

    os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp(prefix="bench-sweep-")) / "db.sqlite3")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402

from school.demo.logins import LOGIN_ROLES  # noqa: E402

LINK = re.compile(r'(?:href|hx-get)="(/[^"#]*)"')
SKIP = ("/static/", "/media/", "/admin/", "/logout/", "/bench/")
DOWNLOADS = ("pdf", "export", "csv", "xlsx")
HEADING = "## Every kind of page in-process against the bare view (bench_sweep.py)"


def walk(client: Client, each: int) -> dict[str, list[str]]:
    """The pages (paths) of each kind that `client`'s user reaches by following links from the
    home page, up to `each` of a kind."""
    found: dict[str, list[str]] = {}
    queue, seen = deque(["/"]), {"/"}
    while queue:
        path = queue.popleft()
        try:
            name = resolve(path.split("?")[0]).url_name or "?"
        except Resolver404:
            continue
        download = path.split("?")[0].endswith(DOWNLOADS) or any(w in name for w in DOWNLOADS)
        if download or len(found.get(name, [])) >= each:
            continue
        response = client.get(path)
        if response.status_code != 200:
            continue
        found.setdefault(name, []).append(path)
        if "html" not in response.get("Content-Type", ""):
            continue
        for link in LINK.findall(response.content.decode()):
            link = link.replace("&amp;", "&")
            if link not in seen and not link.startswith(SKIP):
                seen.add(link)
                queue.append(link)
    return found


def cpu_ms(client: Client, path: str, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.process_time()
        client.get(path)
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="requests timed per example")
    parser.add_argument("--each", type=int, default=3, help="examples of each kind of page")
    parser.add_argument("--over", type=float, default=3.0, help="mark kinds over this many ×")
    parser.add_argument("--results", type=Path, help="write the table into this RESULTS.md")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    if FRESH:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("load_demo", verbosity=0)

    clients: dict[str, Client] = {}
    examples: dict[str, list[tuple[str, str]]] = {}
    for username in LOGIN_ROLES:
        client = clients[username] = Client()
        client.force_login(get_user_model().objects.get(username=username))
        for name, paths in walk(client, args.each).items():
            mine = examples.setdefault(name, [])
            mine += [(username, path) for path in paths][: args.each - len(mine)]

    bare_client = clients[next(iter(LOGIN_ROLES))]
    bare_times = []
    rows = []
    for name, found in sorted(examples.items()):
        slowest = None
        for username, path in found:
            # The bare view is timed between examples, so a busy machine slows both alike.
            bare_times.append(cpu_ms(bare_client, "/bench/bare/", 5))
            ms = cpu_ms(clients[username], path, args.rounds)
            if slowest is None or ms > slowest[0]:
                slowest = (ms, username, path)
        assert slowest is not None
        ms, username, path = slowest
        with CaptureQueriesContext(connection) as queries:
            response = clients[username].get(path)
        rows.append((name, ms, len(queries), len(response.content), username, path))
    bare = statistics.median(bare_times)

    over = sum(1 for row in rows if row[1] / bare > args.over)
    lines = [
        HEADING,
        "",
        f"{len(rows)} kinds of page, {over} over {args.over:g}× the bare view "
        f"({bare:.1f} ms); each kind's slowest example of up to {args.each}.",
        "",
        f"{dt.date.today():%-d %B %Y}, commit {_commit()}, {platform.machine()} with "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, database "
        f"{connection.vendor}. Command: `.venv/bin/python bench/bench_sweep.py "
        f"--rounds {args.rounds} --each {args.each}`.",
        "",
        "| page (URL name) | CPU ms / request | × bare | queries | KB | as | example |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, ms, queries, size, username, path in sorted(rows, key=lambda row: -row[1]):
        mark = " **over**" if ms / bare > args.over else ""
        lines.append(
            f"| {name} | {ms:.1f} | {ms / bare:.1f}{mark} | {queries} | {size / 1024:.0f} "
            f"| {username} | `{path}` |"
        )
    lines.append(f"| bare view | {bare:.1f} | 1.0 | | | | `/bench/bare/` |")
    table = "\n".join(lines) + "\n"
    print(table)
    if args.results:
        _write(args.results, table)


def _commit() -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()


def _write(results: Path, table: str) -> None:
    """Replace this benchmark's section of `results` (or add it at the end)."""
    text = results.read_text() if results.exists() else ""
    start = text.find(HEADING)
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + table
    else:
        end = text.find("\n## ", start + len(HEADING))
        text = text[:start] + table + ("" if end < 0 else text[end:])
    results.write_text(text)


if __name__ == "__main__":
    main()
