"""Benchmark the roster import against a zip bomb: a 36 MB zip holding 250 MB of CSV.

    .venv/bin/python bench/bench_zipbomb.py --before /work/main   # writes bench/RESULTS.md

Generates the zip (one students.csv of random but well-formed rows, deflated), then in a fresh
subprocess per case runs `school.services.roster_import(path=...)` on a fresh migrated SQLite
database and reads the child's peak resident memory (ru_maxrss) and wall time. Cases: this
checkout with its default limits; this checkout with the zip's declared sizes ignored (as if
its headers lied, so only the bytes counted while reading stop it); and, with `--before DIR`,
the same bomb through the code in DIR (an older checkout) under an address-space cap
(`--cap-gb`, default 4) so the machine is not taken down, plus a tenth-size bomb without a cap.
Target (issue 13): refused, peak RSS under 300 MB, within 30 s.
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MB = 300
TARGET_SECONDS = 30
HEADER = (
    "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Gender,Year,Reg Group,SEN Status,"
    "FSM,PP,EAL,Ethnicity,In Care,Admission Date\n"
)
SURNAMES = ["Walsh", "Okafor", "Patel", "Nowak", "Hughes", "Ahmed", "Jones", "Smith", "Kaur"]
FORENAMES = ["Jayden", "Amara", "Priya", "Oliver", "Zofia", "Yusuf", "Ella", "Noah", "Maya"]


def generate(path: Path, csv_mb: int, seed: int = 13) -> None:
    rng = random.Random(seed)
    target = csv_mb * 1024 * 1024
    written = 0
    upn = 800_000_000_000
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("students.csv", "w", force_zip64=True) as member,
    ):
        member.write(HEADER.encode())
        while written < target:
            rows = []
            for _ in range(5000):
                year = rng.randint(7, 13)
                upn += 1
                rows.append(
                    f"H{upn:012d},{rng.choice(SURNAMES)},"
                    f"{rng.choice(FORENAMES)},,{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/"
                    f"{2019 - year},{rng.choice('MF')},{year},{year}{rng.choice('ABCDEF')},N,"
                    f"{rng.choice('NY')},{rng.choice('NY')},N,WBRI,N,01/09/2023\n"
                )
            chunk = "".join(rows).encode()
            member.write(chunk)
            written += len(chunk)


def _child(bomb: Path, lying: bool) -> None:
    """Runs in the subprocess, in the checkout under test: one import, figures as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conduct.settings")
    import django

    django.setup()
    from school.services import roster_import

    if lying:
        from school.importers import files

        files._Reader.check_declared = lambda self, source, declared: None
    started = time.perf_counter()
    try:
        result = roster_import(path=bomb)
        outcome = {"status": str(result.status), "first_problem": (result.problems or [""])[0]}
    except MemoryError:
        outcome = {"status": "MemoryError", "first_problem": ""}
    outcome["seconds"] = time.perf_counter() - started
    outcome["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(outcome))


def _run(code: Path, bomb: Path, tmp: Path, *, lying=False, cap_gb: float | None = None) -> dict:
    env = {**os.environ, "SQLITE_PATH": str(tmp / f"{code.name}-{time.time_ns()}.sqlite3")}
    env.pop("DATABASE_URL", None)
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "-v0"], cwd=code, env=env, check=True, timeout=600
    )

    def limit():
        if cap_gb:
            cap = int(cap_gb * 1024**3)
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    args = [python, str(Path(__file__).resolve()), "--child", str(bomb)]
    if lying:
        args.append("--lying")
    started = time.perf_counter()
    done = subprocess.run(
        args,
        cwd=code,
        env={**env, "PYTHONPATH": str(code)},
        capture_output=True,
        text=True,
        preexec_fn=limit,
        timeout=1800,
    )
    seconds = time.perf_counter() - started
    lines = done.stdout.strip().splitlines()
    if done.returncode == 0 and lines:
        return json.loads(lines[-1])
    tail = (done.stderr.strip().splitlines() or ["?"])[-1]
    return {
        "status": f"crashed: {tail[:80]}",
        "first_problem": "",
        "seconds": seconds,
        "maxrss_mb": float("nan"),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--lying", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--csv-mb", type=int, default=250)
    parser.add_argument("--before", type=Path, help="an older checkout to measure too")
    parser.add_argument("--cap-gb", type=float, default=4.0)
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.lying)
        return

    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    bomb = out / f"bomb-{args.csv_mb}.zip"
    small = out / f"bomb-{args.csv_mb // 10}.zip"
    if not bomb.exists():
        generate(bomb, args.csv_mb)
    if not small.exists():
        generate(small, args.csv_mb // 10)
    with zipfile.ZipFile(bomb) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    cases = []
    with tempfile.TemporaryDirectory(prefix="conduct-bomb-") as folder:
        tmp = Path(folder)
        if args.before:
            cases.append(
                (
                    f"before ({args.before}), under a {args.cap_gb:g} GB address-space cap",
                    args.before,
                    bomb,
                    False,
                    args.cap_gb,
                )
            )
            cases.append(
                (
                    f"before, the tenth-size bomb ({args.csv_mb // 10} MB of CSV)",
                    args.before,
                    small,
                    False,
                    None,
                )
            )
        cases.append(("after, default limits", ROOT, bomb, False, None))
        cases.append(("after, declared sizes ignored (lying headers)", ROOT, bomb, True, None))
        cases.append(
            (
                f"after, the tenth-size bomb ({args.csv_mb // 10} MB of CSV)",
                ROOT,
                small,
                False,
                None,
            )
        )
        results = []
        for label, code, path, lying, cap in cases:
            figures = _run(code, path, tmp, lying=lying, cap_gb=cap)
            print(label, figures, flush=True)
            results.append((label, figures))

    lines = [
        "# Roster import zip bomb (issue 13)",
        "",
        f"Run {dt.datetime.now():%Y-%m-%d %H:%M} with `python bench/bench_zipbomb.py"
        f"{' --before ' + str(args.before) if args.before else ''}`.",
        "",
        f"- Machine: {platform.system()} {platform.release()}, {os.cpu_count()} CPUs; Python "
        f"{platform.python_version()}",
        f"- Bomb: one students.csv of random well-formed rows, {unpacked / 2**20:.0f} MB "
        f"unzipped in a {bomb.stat().st_size / 2**20:.0f} MB zip (and a tenth-size one, "
        f"{small.stat().st_size / 2**20:.1f} MB)",
        "- Each case in a fresh process on a fresh migrated SQLite database, through "
        "`school.services.roster_import`",
        f"- Target: refused with a recorded run, peak RSS under {TARGET_MB} MB, under "
        f"{TARGET_SECONDS} s",
        "- Before is run under a cap so the shared machine survives it: without one, issue 13 saw "
        "the same kind of bomb take the server to 11 GB for almost 3 minutes",
        "",
        "| case | outcome | wall time | peak RSS of the process |",
        "| --- | --- | --- | --- |",
    ]
    for label, f in results:
        problem = f" — {f['first_problem']}" if f["first_problem"] else ""
        lines.append(
            f"| {label} | {f['status']}{problem} | {f['seconds']:.1f} s | {f['maxrss_mb']:.0f} MB |"
        )
    others = ""
    if args.results.exists():
        old = args.results.read_text()
        start = old.find("# Roster import zip bomb")
        if start != -1:
            later = old.find("\n# ", start + 1)
            old = old[:start] + (old[later + 1 :] if later != -1 else "")
        others = old
    args.results.write_text(others.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
