"""Benchmark the live on-call queue: time from a teacher's request to its arrival on every patrol
client, with 40 patrol clients connected to a real Daphne server process.

    .venv/bin/python bench/bench_on_call.py                      # in-memory channel layer
    .venv/bin/python bench/bench_on_call.py --redis redis://127.0.0.1:6379/6

What it does:
1. Migrates a fresh SQLite file (WAL) in this process and makes a teacher and 40 patrol officers
   (role conduct), each with a signed-in session.
2. Starts `daphne conduct.asgi:application` in its own process on that database (with Redis as
   the channel layer when `--redis` is given).
3. Opens 40 WebSockets to /ws/on-call/ (raw RFC 6455 over asyncio streams: no client library is
   installed and none is needed), one per officer, and waits for each snapshot.
4. Latency: `--requests` calls for help, one at a time, each an HTTP POST of the raise form by the
   teacher (the same path a phone takes). The clock starts just before the POST is sent and stops
   when a client receives the "raised" event whose card carries that request's marker.
5. Burst: `--burst` calls spread evenly over `--burst-seconds`, sent without waiting for the
   previous one. Every client must receive every call: anything missing is "lost".

The figures are printed, and written as this channel layer's section of bench/RESULTS.md
(`--results`), in place of the section an earlier run wrote.
"""

import argparse
import asyncio
import base64
import datetime as dt
import json
import os
import platform
import re
import statistics
import struct
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages, for tests.servers
from tests.servers import DaphneServer  # noqa: E402

SECRET_KEY = "bench-on-call-not-secret-" + "x" * 40
CSRF = "benchcsrfbenchcsrfbenchcsrf12345"  # a 32-character CSRF secret, as the cookie holds
MARKER = re.compile(r"bench-(\d+)-")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


# ---- set-up in this process -------------------------------------------------------------------


def prepare_database(env: dict[str, str], clients: int) -> dict:
    """Migrate, make the people, and return their session keys and the form values."""
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

    from conduct.roles import Role, grant_roles
    from patrol.models import OnCallReason
    from patrol.services import on_call
    from school.models import Room

    call_command("migrate", verbosity=0)
    on_call.on_call_reasons_ensure_defaults()
    User = get_user_model()

    def session_for(user) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    teacher = User.objects.create_user("teacher", password="x")
    grant_roles(teacher, Role.TEACHER)
    officers = []
    for n in range(clients):
        user = User.objects.create_user(f"patrol{n:02d}", password="x")
        grant_roles(user, Role.CONDUCT)
        officers.append(session_for(user))
    room = Room.objects.create(code="M4", name="Maths 4")
    return {
        "teacher": session_for(teacher),
        "officers": officers,
        "reason": OnCallReason.objects.order_by("position").first().pk,
        "room": room.pk,
    }


# ---- the clients ------------------------------------------------------------------------------


class PatrolClient:
    """A patrol phone: a WebSocket that records when each marked request arrives."""

    def __init__(self, port: int, session: str, arrivals: dict[int, dict[int, float]], n: int):
        self.port, self.session, self.arrivals, self.n = port, session, arrivals, n
        self.snapshot = asyncio.get_event_loop().create_future()
        self.closed = False

    async def connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            "GET /ws/on-call/ HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{self.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: http://127.0.0.1:{self.port}\r\n"
            f"Cookie: sessionid={self.session}\r\n\r\n"
        )
        self.writer.write(request.encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError(f"websocket refused: {head[:200]!r}")
        self.task = asyncio.create_task(self.read_forever())

    async def read_frame(self) -> tuple[int, bytes]:
        first, second = await self.reader.readexactly(2)
        length = second & 0x7F
        if length == 126:
            length = struct.unpack("!H", await self.reader.readexactly(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", await self.reader.readexactly(8))[0]
        return first, await self.reader.readexactly(length)

    async def read_forever(self) -> None:
        message = b""
        try:
            while True:
                first, payload = await self.read_frame()
                opcode = first & 0x0F
                if opcode == 0x8:
                    self.closed = True
                    return
                if opcode == 0x9:  # Daphne pings every 20 s and drops a client that never pongs
                    self.send_frame(0xA, payload)
                    continue
                if opcode not in (0x0, 0x1):
                    continue
                message += payload
                if not first & 0x80:
                    continue
                received = time.perf_counter()
                data, message = json.loads(message), b""
                if data.get("type") == "snapshot" and not self.snapshot.done():
                    self.snapshot.set_result(True)
                elif data.get("type") == "event" and data.get("kind") == "raised":
                    found = MARKER.search(data.get("html", ""))
                    if found:
                        self.arrivals.setdefault(int(found.group(1)), {})[self.n] = received
        except (asyncio.IncompleteReadError, ConnectionError):
            self.closed = True

    def send_frame(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        header = bytes([0x80 | opcode, 0x80 | len(payload)])  # control frames are < 126 bytes
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.writer.write(header + mask + masked)

    def close(self) -> None:
        self.task.cancel()
        self.writer.close()


def raise_one(port: int, prepared: dict, number: int) -> tuple[int, float]:
    """The teacher's tap: POST the raise form. Returns (status, when the request was sent)."""
    body = urllib.parse.urlencode(
        {
            "reason": prepared["reason"],
            "urgency": "routine",
            "room": prepared["room"],
            "note": f"bench-{number}-",
        }
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/on-call/raise/",
        data=body,
        headers={
            "Cookie": f"sessionid={prepared['teacher']}; csrftoken={CSRF}",
            "X-CSRFToken": CSRF,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    sent = time.perf_counter()
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, sent
    except urllib.error.HTTPError as error:  # the 302 to the request's page lands here
        return error.code, sent


async def run(port: int, prepared: dict, args) -> dict:
    arrivals: dict[int, dict[int, float]] = {}
    clients = [PatrolClient(port, s, arrivals, n) for n, s in enumerate(prepared["officers"])]
    started = time.perf_counter()
    await asyncio.gather(*(c.connect() for c in clients))
    await asyncio.wait_for(asyncio.gather(*(c.snapshot for c in clients)), 30)
    connect_seconds = time.perf_counter() - started
    loop = asyncio.get_running_loop()
    sent: dict[int, float] = {}
    statuses: list[int] = []

    async def one(number: int) -> None:
        status, when = await loop.run_in_executor(None, raise_one, port, prepared, number)
        sent[number] = when
        statuses.append(status)

    # Latency: one call at a time, a short pause between.
    for number in range(args.requests):
        await one(number)
        deadline = time.perf_counter() + 5
        while len(arrivals.get(number, {})) < len(clients) and time.perf_counter() < deadline:
            await asyncio.sleep(0.002)
        await asyncio.sleep(args.pause)

    # Burst: evenly spread over the window, not waiting for each other.
    first = args.requests
    burst_started = time.perf_counter()
    tasks = []
    for k in range(args.burst):
        target = burst_started + k * args.burst_seconds / args.burst
        await asyncio.sleep(max(0, target - time.perf_counter()))
        tasks.append(asyncio.create_task(one(first + k)))
    await asyncio.gather(*tasks)
    burst_sent_seconds = time.perf_counter() - burst_started
    deadline = time.perf_counter() + 10
    wanted = range(first, first + args.burst)
    while time.perf_counter() < deadline and any(
        len(arrivals.get(n, {})) < len(clients) for n in wanted
    ):
        await asyncio.sleep(0.05)
    dropped = sum(1 for c in clients if c.closed)
    for c in clients:
        c.close()

    def latencies(numbers) -> tuple[list[float], list[float], int]:
        each, every, lost = [], [], 0
        for n in numbers:
            got = arrivals.get(n, {})
            lost += len(clients) - len(got)
            each += [(t - sent[n]) * 1000 for t in got.values()]
            if len(got) == len(clients):
                every.append((max(got.values()) - sent[n]) * 1000)
        return each, every, lost

    return {
        "connect_seconds": connect_seconds,
        "latency": latencies(range(args.requests)),
        "burst": latencies(wanted),
        "burst_sent_seconds": burst_sent_seconds,
        "statuses": sorted(set(statuses)),
        "dropped": dropped,
    }


def figures(values: list[float]) -> str:
    if not values:
        return "n/a"
    return (
        f"median {statistics.median(values):.1f} ms · p95 {percentile(values, 95):.1f} ms · "
        f"p99 {percentile(values, 99):.1f} ms · max {max(values):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--requests", type=int, default=100, help="latency phase, one at a time")
    parser.add_argument("--pause", type=float, default=0.2, help="seconds between them")
    parser.add_argument("--burst", type=int, default=300)
    parser.add_argument("--burst-seconds", type=float, default=60)
    parser.add_argument("--redis", default="", help="Redis URL for the channel layer")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="conduct-bench-on-call-") as folder:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env |= {
            "DJANGO_SETTINGS_MODULE": "conduct.settings",
            "SQLITE_PATH": str(Path(folder) / "conduct.sqlite3"),
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "ERROR",
            "CONDUCT_REQUIRE_2FA": "0",  # sessions made here carry no second factor
        }
        if args.redis:
            env["REDIS_URL"] = args.redis
        prepared = prepare_database(env, args.clients)
        server = DaphneServer(env)
        try:
            result = asyncio.run(run(server.port, prepared, args))
        finally:
            server.stop()

    each, every, lost = result["latency"]
    b_each, b_every, b_lost = result["burst"]
    import django

    layer = f"Redis ({args.redis})" if args.redis else "in-memory"
    ok_latency = each and statistics.median(each) < 100 and percentile(each, 99) < 300
    ok_burst = b_lost == 0 and b_each and percentile(b_each, 99) < 1000
    command = "python bench/bench_on_call.py" + (f" --redis {args.redis}" if args.redis else "")
    lines = [
        "",
        f"## On-call push latency ({layer} channel layer)",
        "",
        f"Run {dt.datetime.now():%Y-%m-%d %H:%M} with `{command}`.",
        "",
        f"- Machine: {platform.system()} {platform.release()}, {os.cpu_count()} CPUs; "
        f"Python {platform.python_version()}, Django {django.get_version()}; "
        "one Daphne process, SQLite (WAL) file database",
        f"- {args.clients} patrol clients on /ws/on-call/ (all connected, snapshots read, in "
        f"{result['connect_seconds']:.2f} s); the teacher's request is an HTTP POST of the "
        "raise form to the same server",
        "- Clock: from just before the POST is sent to the moment each client has read the "
        '"raised" event',
        f"- HTTP statuses of the raise POSTs: {result['statuses']} (302 = saved); "
        f"sockets the server closed during the run: {result['dropped']}",
        "",
        "| phase | calls | arrivals | lost | per client arrival | until every client had it |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| one at a time | {args.requests} | {len(each)} | {lost} | {figures(each)} "
        f"| {figures(every)} |",
        f"| burst: {args.burst} in {args.burst_seconds:.0f} s "
        f"(sent in {result['burst_sent_seconds']:.1f} s) | {args.burst} | {len(b_each)} "
        f"| {b_lost} | {figures(b_each)} | {figures(b_every)} |",
        "",
        "- Targets: median under 100 ms and p99 under 300 ms: "
        f"{'met' if ok_latency else 'NOT met'}; the burst loses nothing and keeps p99 under "
        f"1 s: {'met' if ok_burst else 'NOT met'}",
    ]
    write_section(args.results, lines)
    print("\n".join(lines))


def write_section(results: Path, lines: list[str]) -> None:
    """Put this run's section into the results file in place of an earlier run's on the same
    channel layer (up to the next heading); a first run's goes at the end."""
    section = "\n".join(lines).strip("\n") + "\n"
    text = results.read_text() if results.exists() else ""
    if not text.startswith("# On-call push benchmark") and "\n# On-call push benchmark" not in text:
        text = text.rstrip("\n") + ("\n\n" if text else "") + "# On-call push benchmark (patrol)\n"
    heading = f"\n{lines[1]}\n"
    start = text.find(heading)
    if start == -1:
        results.write_text(text.rstrip("\n") + "\n\n" + section)
        return
    later = [i for i in (text.find("\n## ", start + 1), text.find("\n# ", start + 1)) if i != -1]
    rest = text[min(later) :] if later else ""
    results.write_text(text[:start].rstrip("\n") + "\n\n" + section + rest)


if __name__ == "__main__":
    main()
