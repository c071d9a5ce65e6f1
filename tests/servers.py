"""A live server in processes of its own (Daphne, or uvicorn with several workers), for the
two-server tests and the benchmarks: the one way Conduct's tests and benchmarks start, wait for,
measure and stop a server. Imports nothing from Django: a benchmark sets its environment up
first."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DaphneServer:
    """`daphne conduct.asgi:application` in a process of its own, on a free port, with `env` as
    its whole environment; ready (its /healthz answers) when the constructor returns."""

    name = "daphne"

    def __init__(self, env: dict[str, str], *, start_timeout: float = 30):
        self.port = free_port()
        # A file, not a pipe: a long benchmark's warnings must never fill a pipe and stall it.
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop())
        self.process = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.stderr,
        )
        deadline = time.monotonic() + start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.errors()[-2000:]}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} did not start in {start_timeout:g} s")

    def pids(self) -> list[int]:
        """The server's processes: the one started and its children (uvicorn's workers)."""
        return [self.process.pid, *child_pids(self.process.pid)]

    def cpu_seconds(self) -> float:
        """User + system CPU time the server's processes have used so far (Linux /proc)."""
        ticks = 0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # ended while we looked
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def peak_memory_mb(self) -> float:
        """The sum of the server processes' peak resident memory (VmHWM), in MB."""
        total = 0
        for pid in self.pids():
            for line in _read_bytes(f"/proc/{pid}/status").decode().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        return total / 1024

    def command(self) -> list[str]:
        return [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port)] + [
            "conduct.asgi:application"
        ]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.stderr.close()

    def errors(self) -> str:
        """What the server wrote to its standard error so far."""
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")


class UvicornServer(DaphneServer):
    """The production set-up of docs/deploy.md: uvicorn with several worker processes on one
    address. Ready when one worker answers; `wait_for_workers` waits for them all."""

    name = "uvicorn"

    def __init__(self, env: dict[str, str], *, workers: int = 2, start_timeout: float = 30):
        self.workers = workers
        super().__init__(env, start_timeout=start_timeout)

    def wait_for_workers(self, timeout: float = 20) -> None:
        """Wait until every worker process is up (the first to answer made the server ready)."""
        deadline = time.monotonic() + timeout
        while len(self.worker_pids()) < self.workers and time.monotonic() < deadline:
            time.sleep(0.1)

    def command(self) -> list[str]:
        return [sys.executable, "-m", "uvicorn", "conduct.asgi:application"] + [
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ]

    def worker_pids(self) -> set[int]:
        """The worker processes: the children of uvicorn's supervisor."""
        return {
            pid
            for pid in child_pids(self.process.pid)
            # Not multiprocessing's resource tracker, the supervisor's other child.
            if b"resource_tracker" not in _read_bytes(f"/proc/{pid}/cmdline")
        }


def child_pids(parent: int) -> list[int]:
    """The processes whose parent is `parent`, read from /proc (Linux)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # ended while we looked
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(entry.name))
    return found


def _read_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError:
        return b""
