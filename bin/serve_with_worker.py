"""Serve Conduct and run its worker beside it: one command, and Ctrl-C stops both.

    python bin/serve_with_worker.py [--host 127.0.0.1] [--port 8000]

The web server (Daphne) serves pages and the live on-call queue; the worker
(`manage.py run_worker`) sends the morning register digest and queued messages. When either
stops, the other is stopped too, so the demo never runs half-working. Production runs the two
as separate services (docs/deploy.md).
"""

import argparse
import signal
import subprocess
import sys
import time

# How long each process has to finish what it is doing once asked to stop.
GRACE_SECONDS = 10


def run_together(commands: dict[str, list[str]]) -> int:
    """Start each command, wait until one ends or we are asked to stop (Ctrl-C, SIGTERM), then
    stop the rest; returns the exit code of the first to end (0 when asked to stop)."""
    processes = {name: subprocess.Popen(command) for name, command in commands.items()}
    stopping = False

    def ask_to_stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, ask_to_stop)
    signal.signal(signal.SIGTERM, ask_to_stop)
    code = 0
    try:
        while not stopping:
            ended = [(name, p.returncode) for name, p in processes.items() if p.poll() is not None]
            if ended:
                name, code = ended[0]
                print(f"serve_with_worker: the {name} stopped (exit {code}); stopping the rest")
                break
            time.sleep(0.2)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    args = parser.parse_args()
    python = sys.executable
    server = [python, "-m", "daphne", "-b", args.host, "-p", str(args.port)]
    return run_together(
        {
            "web server": [*server, "conduct.asgi:application"],
            "worker": [python, "manage.py", "run_worker"],
        }
    )


if __name__ == "__main__":
    sys.exit(main())
