"""`make demo` runs the worker beside the web server: one command, and Ctrl-C stops both."""

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import TestCase

ROOT = Path(__file__).resolve().parent.parent
SUPERVISOR = f"""
import sys
sys.path.insert(0, {str(ROOT / "bin")!r})
import serve_with_worker
sys.exit(serve_with_worker.run_together({{
    "web server": [sys.executable, "-c", {{server}}],
    "worker": [sys.executable, "-c", {{worker}}],
}}))
"""


def child(pid_file: str, seconds: float = 60, code: int = 0) -> str:
    """A stand-in process that writes its pid, then sleeps or exits with `code`."""
    return (
        f"import os, time; open({pid_file!r}, 'w').write(str(os.getpid())); "
        f"time.sleep({seconds}); raise SystemExit({code})"
    )


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A finished child not yet reaped by anyone is a zombie: count it as ended.
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split()[2] == "Z")


class ServeWithWorkerTest(TestCase):
    def start(self, server: str, worker: str) -> subprocess.Popen:
        script = SUPERVISOR.replace("{server}", repr(server)).replace("{worker}", repr(worker))
        return subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)

    def wait_for(self, *paths: Path) -> list[int]:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if all(p.exists() and p.read_text() for p in paths):
                return [int(p.read_text()) for p in paths]
            time.sleep(0.05)
        self.fail("the processes did not start")

    def test_ctrl_c_stops_the_web_server_and_the_worker(self):
        with tempfile.TemporaryDirectory() as tmp:
            server, worker = Path(tmp, "server"), Path(tmp, "worker")
            supervisor = self.start(child(str(server)), child(str(worker)))
            pids = self.wait_for(server, worker)
            supervisor.send_signal(signal.SIGINT)
            self.assertEqual(supervisor.wait(timeout=15), 0)
            supervisor.stdout.close()
            time.sleep(0.2)
            self.assertEqual([pid for pid in pids if alive(pid)], [])

    def test_when_one_stops_the_other_is_stopped_too(self):
        with tempfile.TemporaryDirectory() as tmp:
            server, worker = Path(tmp, "server"), Path(tmp, "worker")
            # The web server fails at once (say the port is taken); the worker must not linger.
            supervisor = self.start(child(str(server), seconds=0.5, code=3), child(str(worker)))
            [worker_pid] = self.wait_for(worker)
            self.assertEqual(supervisor.wait(timeout=15), 3)
            self.assertIn("the web server stopped (exit 3)", supervisor.stdout.read())
            supervisor.stdout.close()
            time.sleep(0.2)
            self.assertFalse(alive(worker_pid))

    def test_make_demo_serves_with_the_worker_and_says_where_to_log_in(self):
        makefile = (ROOT / "Makefile").read_text()
        demo = re.search(r"^demo:.*?(?=^\S)", makefile, re.S | re.M).group(0)
        self.assertIn("manage.py load_demo", demo)  # prints the logins, first run or not
        self.assertIn("bin/serve_with_worker.py --host $(HOST) --port $(PORT)", demo)
        self.assertIn('"manage.py", "run_worker"', (ROOT / "bin/serve_with_worker.py").read_text())
