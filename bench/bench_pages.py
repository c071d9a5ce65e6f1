"""Benchmark Conduct's pages against a bare Django view, on a real server, the way issue 15
measured them.

    .venv/bin/python bench/bench_pages.py                         # SQLite, one Daphne process
    .venv/bin/python bench/bench_pages.py --postgres postgres://postgres@127.0.0.1:5432/bench_pages
    .venv/bin/python bench/bench_pages.py --server uvicorn --workers 2 --redis redis://127.0.0.1:6379/7
    .venv/bin/python bench/bench_pages.py --history                # + five years of history

What it does:
1. Migrates a fresh database and loads the demo school (`manage.py load_demo`) in this process,
   with `--history` then five academic years of history written into the demo school's
   students, staff, timetable and rooms (bench/bench_reports.py's generator), and signs in each
   demo login (a session per role).
2. Starts the server in processes of its own: `daphne` (as `make demo` serves), or
   `uvicorn --workers N` (the multi-process set-up of docs/deploy.md), with bench/bench_settings.py
   (Conduct's settings plus `/bench/bare/`: same middleware, session and signed-in user, a small
   template).
3. Closed loop: for every page, at 10 and at 50 connections, `--seconds` of the bare view, then of
   the page, then of the bare view again (interleaved, so a noisy machine affects both). Server CPU
   per request is read from /proc (user + system time of the server's processes).
4. Morning peak: 100 staff each opening a page every 10 s — an open-loop arrival rate of 10 pages
   a second (Poisson), each a page of the person's role, for `--peak-seconds`; p95 per page.
5. Peak memory (VmHWM) of the server processes; on PostgreSQL, the most connections the server
   held at once (pg_stat_activity, read every 0.2 s through the run), against its bound
   (processes × DB_POOL_MAX).

The figures are printed and written as this set-up's section of bench/RESULTS.md (one section
per server, database and data: the history run's title says so).
"""

import argparse
import datetime as dt
import http.client
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.bench_on_call import percentile  # noqa: E402
from tests.servers import DaphneServer, UvicornServer  # noqa: E402

SECRET_KEY = "bench-pages-not-secret-" + "x" * 40


# ---- set-up in this process -------------------------------------------------------------------


def prepare(env: dict[str, str], history: bool = False) -> dict:
    """Migrate, load the demo (and with `history` five years of it), and return a session per
    demo login and the pages to load."""
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db.models import Count
    from django.urls import reverse

    from sanctions.models import PlacementDay
    from school.models import Student

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    call_command("load_demo", verbosity=0)
    print(f"demo loaded in {time.monotonic() - started:.0f} s")
    history_note = ""
    if history:
        started = time.monotonic()
        counts = load_history()
        seconds = time.monotonic() - started
        history_note = (
            f" plus five academic years of history in its students, staff, timetable and rooms "
            f"(bench/bench_reports.py's generator, {seconds:.0f} s): "
            + ", ".join(f"{n:,} {what}" for what, n in counts.items())
        )
        print(f"history written in {seconds:.0f} s: {counts}")

    sessions = {}
    for user in get_user_model().objects.filter(username__in=LOGINS):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions[user.username] = store.session_key

    # The student with the longest history, and the busiest room-day of the data.
    student = (
        Student.objects.annotate(
            n=Count("incidents", distinct=True) + Count("placements", distinct=True)
        )
        .order_by("-n", "pk")
        .first()
    )
    busiest = (
        PlacementDay.objects.values("room__code", "date")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    register = reverse("register", args=[busiest["room__code"], busiest["date"].isoformat()])
    pages = [
        ("home (officer)", "conduct", reverse("home")),
        ("home (teacher)", "teacher", reverse("home")),
        ("home (SLT)", "slt", reverse("home")),
        ("home (head of year)", "pastoral", reverse("home")),
        ("home (DSL)", "dsl", reverse("home")),
        ("students list", "slt", reverse("student-list")),
        ("a student's page", "slt", reverse("student-detail", args=[student.pk])),
        ("referrals", "conduct", reverse("referral-list")),
        (f"register ({busiest['n']} students)", "conduct", register),
        ("messages", "conduct", reverse("message-list")),
        ("on-call queue", "conduct", reverse("on-call-queue")),
        ("patrol", "conduct", reverse("patrol-home")),
        ("watch list", "dsl", reverse("watch-list")),
        ("duty rota", "slt", reverse("rota")),
        ("audit log", "dsl", reverse("audit-log")),
        # Opened daily since issues 10-12: the weekly dashboard, the to-do lists behind the
        # home page's first few, the DSL's concerns.
        ("weekly dashboard", "slt", reverse("reports-dashboard")),
        ("interviews to do", "pastoral", reverse("to-do-interviews")),
        ("lessons without work", "conduct", reverse("to-do-work")),
        ("concerns (DSL)", "dsl", reverse("concern-list")),
    ]
    return {"sessions": sessions, "pages": pages, "history_note": history_note}


LOGINS = ["conduct", "teacher", "pastoral", "slt", "dsl", "attendance", "admin"]


def load_history() -> dict[str, int]:
    """Five academic years of history (bench_reports' generator: reflection-room visits,
    internal exclusions with their referrals, incidents, interviews and family messages, on-call
    calls, work requests, reviews) written into the demo school: its students, staff and their
    users, periods, timetable, and the first room of each of its reflection room and internal
    exclusion. Then ANALYZE, as a live database's statistics would be."""
    import random

    from django.contrib.auth import get_user_model
    from django.db import connection

    from bench.bench_reports import make_calendar, write_history
    from conduct.lib import clock
    from notify.models import Message
    from pastoral.models import Interview
    from patrol.models import OnCallRequest
    from sanctions.models import Incident, Placement, Provision, ReasonCategory
    from school.models import Period, Staff, Student, TeachingClass, TimetableSlot
    from work.models import WorkRequest

    counted = {
        "placements": Placement,
        "incidents": Incident,
        "interviews": Interview,
        "on-call calls": OnCallRequest,
        "work requests": WorkRequest,
        "family messages": Message,
    }
    before = {what: model.objects.count() for what, model in counted.items()}
    today = clock.today()
    school_days, half_terms = make_calendar(today)
    rr = Provision.objects.get(kind=Provision.Kind.REFLECTION_ROOM)
    ie = Provision.objects.get(kind=Provision.Kind.INTERNAL_EXCLUSION)
    write_history(
        {
            "school_days": school_days,
            "half_terms": half_terms,
            "periods": list(Period.objects.filter(kind=Period.Kind.LESSON).order_by("pk")),
            "users": list(get_user_model().objects.filter(staff__isnull=False).order_by("pk")),
            "conduct": get_user_model().objects.get(username="conduct"),
            "staff": list(Staff.objects.order_by("pk")),
            "classes": list(TeachingClass.objects.order_by("pk")),
            "slots": list(TimetableSlot.objects.order_by("pk")),
            "students": list(Student.objects.order_by("pk").values_list("pk", flat=True)),
            "rr": rr,
            "ie": ie,
            "rr_room": rr.rooms.select_related("room").first().room,
            "ie_room": ie.rooms.select_related("room").first().room,
            "reasons": list(ReasonCategory.objects.all()),
        },
        today,
        random.Random(12),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {what: model.objects.count() - before[what] for what, model in counted.items()}


# ---- the server -------------------------------------------------------------------------------


def start_server(kind: str, workers: int, env: dict[str, str]) -> DaphneServer:
    """The server of tests/servers.py, every process up (a cold start imports Django)."""
    if kind == "daphne":
        return DaphneServer(env, start_timeout=60)
    server = UvicornServer(env, workers=workers, start_timeout=60)
    server.wait_for_workers(timeout=60)
    return server


# ---- the load ---------------------------------------------------------------------------------


def fetch(connection: http.client.HTTPConnection, path: str, session: str) -> float:
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": f"sessionid={session}"})
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}")
    return time.perf_counter() - started


def closed_loop(
    server: DaphneServer, path: str, session: str, connections: int, seconds: float
) -> dict:
    """`connections` clients, each asking again as soon as it has its answer."""
    stop = time.perf_counter() + seconds
    latencies: list[float] = []
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        mine = []
        while time.perf_counter() < stop:
            mine.append(fetch(connection, path, session))
        connection.close()
        with lock:
            latencies.extend(mine)

    cpu_before, started = server.cpu_seconds(), time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed, cpu = time.perf_counter() - started, server.cpu_seconds() - cpu_before
    return {
        "n": len(latencies),
        "rps": len(latencies) / elapsed,
        "cpu_ms": 1000 * cpu / max(1, len(latencies)),
        "p50": 1000 * statistics.median(latencies),
        "p95": 1000 * percentile(latencies, 95),
    }


def morning_peak(server: DaphneServer, prepared: dict, rate: float, seconds: float) -> dict:
    """Open loop: page requests arrive at `rate` a second whatever the server's speed."""
    rng = random.Random(2026)
    pages = prepared["pages"]
    latencies: dict[str, list[float]] = {name: [] for name, _, _ in pages}
    local = threading.local()

    def one(name: str, role: str, path: str) -> None:
        if not hasattr(local, "connection"):
            local.connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        latencies[name].append(fetch(local.connection, path, prepared["sessions"][role]))

    with ThreadPoolExecutor(max_workers=100) as pool:
        futures = []
        started = time.perf_counter()
        at = 0.0
        while at < seconds:
            at += rng.expovariate(rate)
            time.sleep(max(0.0, started + at - time.perf_counter()))
            futures.append(pool.submit(one, *rng.choice(pages)))
        for future in futures:
            future.result()
    everything = [x for values in latencies.values() for x in values]
    return {
        "all": (len(everything), 1000 * percentile(everything, 95)),
        **{
            name: (len(values), 1000 * percentile(values, 95))
            for name, values in latencies.items()
            if values
        },
    }


# ---- the run ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", help="a PostgreSQL URL to a database the run may empty")
    parser.add_argument("--redis", help="Redis for the channel layer (several processes)")
    parser.add_argument("--server", choices=["daphne", "uvicorn"], default="daphne")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn's processes")
    parser.add_argument("--seconds", type=float, default=4, help="each closed-loop measurement")
    parser.add_argument("--connections", default="10,50")
    parser.add_argument("--peak-rate", type=float, default=10, help="pages a second at the peak")
    parser.add_argument("--peak-seconds", type=float, default=60)
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument(
        "--pages", help="only the pages whose names start with one of these (comma-separated)"
    )
    parser.add_argument(
        "--history",
        action="store_true",
        help="write five academic years of history into the demo school first",
    )
    parser.add_argument(
        "--pool-max",
        type=int,
        default=int(os.environ.get("DB_POOL_MAX", "8")),
        help="PostgreSQL: DB_POOL_MAX, each server process's most connections (default 8)",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(workdir)),
        "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
        "SECRET_KEY": SECRET_KEY,
        "DEBUG": "0",
        "CONDUCT_REQUIRE_2FA": "0",  # sessions made here carry no second factor
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SQLITE_PATH": str(workdir / "bench.sqlite3"),
        "EMAIL_URL": "console:",
    }
    if "REQUEST_THREADS" in os.environ:  # to compare settings; the default is the product's
        env["REQUEST_THREADS"] = os.environ["REQUEST_THREADS"]
    if args.postgres:
        env["DATABASE_URL"] = args.postgres
        env["DB_POOL_MAX"] = str(args.pool_max)
        reset_postgres(args.postgres)
    if args.redis:
        env["REDIS_URL"] = args.redis
    prepared = prepare(env, history=args.history)
    if args.pages:
        wanted = tuple(name.strip() for name in args.pages.split(","))
        prepared["pages"] = [page for page in prepared["pages"] if page[0].startswith(wanted)]
    server_env = dict(env)
    if args.postgres:
        # The server's connections are told apart from this process's by their name.
        joiner = "&" if "?" in args.postgres else "?"
        server_env["DATABASE_URL"] = f"{args.postgres}{joiner}application_name={SERVER_NAME}"
    processes = args.workers if args.server == "uvicorn" else 1
    server = start_server(args.server, args.workers, server_env)
    watch = ConnectionWatch(args.postgres) if args.postgres else None
    setup = f"{args.server}" + (f" × {args.workers} processes" if args.server == "uvicorn" else "")
    setup += " with Redis" if args.redis else ""
    database = "PostgreSQL" if args.postgres else "SQLite"
    data = ", five-year history" if args.history else ""
    rows = []
    load_before = os.getloadavg()[0]
    try:
        bare_path = "/bench/bare/"
        for connections in [int(c) for c in args.connections.split(",")]:
            for name, role, path in prepared["pages"]:
                session = prepared["sessions"][role]
                closed_loop(server, path, session, 2, 0.5)  # warm
                bare1 = closed_loop(server, bare_path, session, connections, args.seconds / 2)
                page = closed_loop(server, path, session, connections, args.seconds)
                bare2 = closed_loop(server, bare_path, session, connections, args.seconds / 2)
                bare = {k: (bare1[k] + bare2[k]) / 2 for k in ("rps", "cpu_ms", "p50", "p95")}
                row = (connections, name, page, bare)
                rows.append(row)
                print(
                    f"{connections:>3} {name:<28} {page['cpu_ms']:6.1f} ms cpu "
                    f"({page['cpu_ms'] / bare['cpu_ms']:4.1f}× bare {bare['cpu_ms']:.1f}) "
                    f"{page['rps']:6.1f}/s ({100 * page['rps'] / bare['rps']:3.0f}% of bare) "
                    f"p50 {page['p50']:6.0f} p95 {page['p95']:6.0f} ms",
                    flush=True,
                )
        peak = morning_peak(server, prepared, args.peak_rate, args.peak_seconds)
        memory = server.peak_memory_mb()
    finally:
        if watch is not None:
            watch.stop()
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)  # the SQLite database (tens of MB)
    for name, (n, p95) in peak.items():
        print(f"peak {name:<28} {n:5d} requests, p95 {p95:6.0f} ms")
    print(f"peak memory of the server: {memory:.0f} MB")
    connections_line = ""
    if watch is not None:
        bound = processes * args.pool_max
        verdict = "within" if watch.most <= bound else "OVER"
        connections_line = (
            f"PostgreSQL connections: a pool of at most {args.pool_max} per server process "
            f"(`DB_POOL_MAX`), {processes} process{'es' if processes > 1 else ''}, so at most "
            f"{bound}; the most the server held at once during the run: {watch.most} "
            f"({verdict} the bound; pg_stat_activity every 0.2 s, {watch.samples} readings), "
            f"{watch.last} at the end of the run."
        )
        print(connections_line)

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    lines = [
        "",
        f"## Pages against the bare view ({setup}, {database}{data})",
        "",
        f"{dt.date.today():%d %B %Y}, commit {commit}, {platform.machine()} with "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, load average "
        f"{load_before:.1f} at the start and {os.getloadavg()[0]:.1f} at the end. Demo school "
        f"(`load_demo`){prepared['history_note']}. Each process runs its requests on "
        f"{os.environ.get('REQUEST_THREADS', '2')} threads (`REQUEST_THREADS`). "
        f"Command: `{' '.join(['.venv/bin/python', *sys.argv])}`.",
        "",
        "| connections | page | CPU ms / request | × bare | requests/s | % of bare | p50 ms"
        " | p95 ms |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for connections, name, page, bare in rows:
        lines.append(
            f"| {connections} | {name} | {page['cpu_ms']:.1f} | "
            f"{page['cpu_ms'] / bare['cpu_ms']:.1f} | {page['rps']:.0f} | "
            f"{100 * page['rps'] / bare['rps']:.0f}% | {page['p50']:.0f} | {page['p95']:.0f} |"
        )
    bare_rows = [bare for _, _, _, bare in rows]
    lines += [
        f"| | bare view (mean of its runs) | {statistics.mean(b['cpu_ms'] for b in bare_rows):.1f}"
        f" | 1.0 | {statistics.mean(b['rps'] for b in bare_rows):.0f} | 100% | | |",
        "",
        f"Morning peak: {args.peak_rate:g} pages a second (100 staff, a page every 10 s each), "
        f"open loop for {args.peak_seconds:g} s:",
        "",
        "| page | requests | p95 ms |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {name} | {n} | {p95:.0f} |" for name, (n, p95) in peak.items()]
    lines += ["", f"Peak memory of the server processes (VmHWM): {memory:.0f} MB."]
    if connections_line:
        lines += ["", connections_line]
    write_pages_section(args.results, lines)
    print(f"written to {args.results}")


SERVER_NAME = "conduct-bench-server"


class ConnectionWatch:
    """The most PostgreSQL connections the server held at once: its sessions in
    pg_stat_activity (by their application name, on the benchmark's database), read every
    0.2 s in a thread of its own until `stop`."""

    def __init__(self, url: str):
        self.url, self.most, self.last, self.samples = url, 0, 0, 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            while not self._stopping.is_set():
                self.last = connection.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND application_name = %s",
                    [SERVER_NAME],
                ).fetchone()[0]
                self.most, self.samples = max(self.most, self.last), self.samples + 1
                self._stopping.wait(0.2)

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join()


def reset_postgres(url: str) -> None:
    """Drop and create the benchmark's own database (never the suite's or the school's)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    if not name.startswith("bench"):
        raise SystemExit("--postgres must name a database whose name starts with 'bench'")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def write_pages_section(results: Path, lines: list[str]) -> None:
    """This set-up's section (`lines[1]` its heading) in place of an earlier run's; a first
    run's goes at the end of the "# Page benchmark" part, which is made at the end of the file
    when missing."""
    section = "\n".join(lines).strip("\n") + "\n"
    text = results.read_text() if results.exists() else ""
    part = "# Page benchmark"
    if not text.startswith(part) and f"\n{part}" not in text:
        text = text.rstrip("\n") + ("\n\n" if text else "") + f"{part} (issue 15)\n"
    start = text.find(f"\n{lines[1]}\n")
    if start == -1:
        part_start = 0 if text.startswith(part) else text.find(f"\n{part}")
        start = stop = next_heading(text, part_start, "\n# ")
    else:
        stop = min(next_heading(text, start, "\n## "), next_heading(text, start, "\n# "))
    rest = text[stop:].lstrip("\n")
    results.write_text(text[:start].rstrip("\n") + "\n\n" + section + ("\n" + rest if rest else ""))


def next_heading(text: str, after: int, heading: str) -> int:
    """Where the next `heading` after `after` starts (the end of `text` if none)."""
    found = text.find(heading, after + 1)
    return len(text) if found == -1 else found


if __name__ == "__main__":
    main()
