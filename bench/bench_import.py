"""Benchmark the roster import: a 1,500-student OneRoster bundle into a fresh SQLite database.

    .venv/bin/python bench/bench_import.py            # writes bench/RESULTS.md

Generates the bundle (bench/generate.py), migrates a fresh SQLite database in a subprocess,
then in another fresh subprocess runs `school.services.roster_import(path=...)` twice (first
import, then the same bundle again, which must change nothing), timing each and reading the
child's peak resident memory (ru_maxrss). A third subprocess repeats the first import under
tracemalloc for the peak of Python allocations (slower, so not timed).
Targets: first import under 10 s and under 300 MB peak.
"""

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 10
TARGET_MB = 300


def _child(bundle: Path, trace: bool) -> None:
    """Runs in the subprocess: import twice, print figures as JSON."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conduct.settings")
    import django

    django.setup()
    import tracemalloc

    from school.services import roster_import

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    runs = []
    for label in ("first import", "re-import (no change)"):
        started = time.perf_counter()
        result = roster_import(path=bundle)
        seconds = time.perf_counter() - started
        runs.append(
            {
                "label": label,
                "seconds": round(seconds, 2),
                "status": str(result.status),
                "problems": len(result.problems),
                "first_problems": [str(p) for p in result.problems[:5]],
                "counts": result.counts,
                "maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        )
        if trace:
            runs[-1]["tracemalloc_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
            tracemalloc.reset_peak()
            break  # under tracemalloc only the first import is of interest
    print(json.dumps({"rss_before_mb": round(rss_before / 1024, 1), "runs": runs}))


def _run_child(bundle: Path, env: dict, trace: bool) -> dict:
    cmd = [sys.executable, __file__, "--child", str(bundle)] + (["--trace"] if trace else [])
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"import subprocess failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _fresh_db(env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True)


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 2**20:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    import sqlite3

    import django

    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs{mem}; "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--students", type=int, default=1500)
    parser.add_argument("--staff", type=int, default=120)
    parser.add_argument("--classes", type=int, default=1500)
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.trace)
        return

    sys.path.insert(0, str(ROOT))
    from bench.generate import main as generate

    bundle = ROOT / "bench" / "out" / "roster.zip"
    generate(
        [
            "--students",
            str(args.students),
            "--staff",
            str(args.staff),
            "--classes",
            str(args.classes),
            "--out",
            str(bundle),
        ]
    )
    with tempfile.TemporaryDirectory(prefix="conduct-bench-") as tmp:
        env = {**os.environ, "SQLITE_PATH": str(Path(tmp) / "bench.sqlite3")}
        env.pop("DATABASE_URL", None)
        _fresh_db(env)
        timed = _run_child(bundle, env, trace=False)
        env["SQLITE_PATH"] = str(Path(tmp) / "trace.sqlite3")
        _fresh_db(env)
        traced = _run_child(bundle, env, trace=True)

    first, again = timed["runs"]
    ok_time = first["seconds"] < TARGET_SECONDS
    ok_mem = first["maxrss_mb"] < TARGET_MB
    lines = [
        "# Roster import benchmark",
        "",
        f"Run {dt.datetime.now():%Y-%m-%d %H:%M} with `python bench/bench_import.py`.",
        "",
        f"- Machine: {_machine()}",
        f"- Bundle: OneRoster 1.1 zip from `bench/generate.py --students {args.students} "
        f"--staff {args.staff} --classes {args.classes}` ({bundle.stat().st_size / 2**20:.1f} MB)",
        "- Database: fresh SQLite file (WAL), migrated in a separate process",
        f"- Targets: first import under {TARGET_SECONDS} s and under {TARGET_MB} MB peak memory",
        "",
        "| run | status | problems | wall time | peak RSS of the process |",
        "| --- | --- | --- | --- | --- |",
    ]
    for run in (first, again):
        lines.append(
            f"| {run['label']} | {run['status']} | {run['problems']} | "
            f"{run['seconds']:.2f} s | {run['maxrss_mb']:.0f} MB |"
        )
    lines += [
        "",
        f"- Process RSS after Django start-up, before importing: {timed['rss_before_mb']:.0f} MB",
        f"- Peak of Python allocations during the first import (tracemalloc, separate run): "
        f"{traced['runs'][0]['tracemalloc_peak_mb']:.0f} MB",
        f"- Time target: {'met' if ok_time else 'NOT met'}; memory target: "
        f"{'met' if ok_mem else 'NOT met'}",
        "",
        "First import counts:",
        "",
        "```",
        json.dumps(first["counts"], indent=1, sort_keys=True),
        "```",
        "",
        "Re-import counts (everything should be unchanged):",
        "",
        "```",
        json.dumps(again["counts"], indent=1, sort_keys=True),
        "```",
    ]
    for run in (first, again):
        if run["first_problems"]:
            lines += [
                "",
                f"First problems ({run['label']}):",
                "",
                "```",
                *run["first_problems"],
                "```",
            ]
    # Replace only this benchmark's section: other benchmarks keep theirs (each is a "# " heading).
    others = ""
    if args.results.exists():
        old = args.results.read_text()
        later = old.find("\n# ", 1)
        others = old[later:] if later != -1 else ""
    args.results.write_text("\n".join(lines) + "\n" + others)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
