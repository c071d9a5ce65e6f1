"""A live Daphne server in a process of its own, for the two-server tests and the on-call
benchmark. Imports nothing from Django: the benchmark sets its environment up first."""

import socket
import subprocess
import sys
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

    def __init__(self, env: dict[str, str]):
        self.port = free_port()
        self.process = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited: {self.process.stderr.read().decode()[-2000:]}"
                )
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not start in 30 s")

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
        self.process.stderr.close()


class UvicornServer(DaphneServer):
    """The production set-up of docs/deploy.md: uvicorn with several worker processes on one
    address. Ready when one worker answers; `wait_for_workers` waits for them all."""

    name = "uvicorn"
    workers = 2

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
