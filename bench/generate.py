"""Write a OneRoster 1.1 bundle of a generated school of about N students, S staff, C classes.

    python bench/generate.py --students 1500 --staff 120 --classes 1500 --out bench/out/roster.zip

The school comes from the demo generator (school/demo), so it has a full clash-free two-week
timetable and every student is in a class every lesson. Class counts are hit approximately:
the generator picks the set size and how finely subjects are split into classes that come
closest to --classes with the staff given.
"""

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conduct.settings")

from school.demo.curriculum import count_classes, plan_school, staffing_need  # noqa: E402
from school.demo.data import DemoSchool, Params  # noqa: E402
from school.demo.generator import generate_school  # noqa: E402
from school.demo.logins import LOGINS  # noqa: E402
from school.demo.oneroster import write_bundle  # noqa: E402

NON_TEACHING_LOGINS = sum(1 for *_, teaches in LOGINS if not teaches)


def fit_school(
    students: int, staff: int, classes: int, seed: int = 2026, today: dt.date | None = None
) -> DemoSchool:
    """The generated school closest to `classes` classes with exactly `staff` staff."""
    per_year = max(1, round(students / 5))
    best = None
    for split in (0, 5, 4, 3, 2):
        for set_size in range(20, 36):
            params = Params(
                students_per_year=per_year,
                set_size=set_size,
                split_lessons=split,
                seed=seed,
                today=today,
            )
            plan = plan_school(params)
            teachers = sum(staffing_need(plan)[0].values())
            if staff - teachers - NON_TEACHING_LOGINS < 1:
                continue
            gap = abs(count_classes(plan) - classes)
            if best is None or gap < best[0]:
                best = (gap, params, teachers)
    if best is None:
        raise SystemExit(f"no school of {students} students fits {staff} staff")
    _, params, teachers = best
    # The staff count is made exact with support staff (office, cover, teaching assistants).
    params.support_staff = staff - teachers - NON_TEACHING_LOGINS
    return generate_school(params)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=1500)
    parser.add_argument("--staff", type=int, default=120)
    parser.add_argument("--classes", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "roster.zip")
    args = parser.parse_args(argv)
    started = time.monotonic()
    demo = fit_school(args.students, args.staff, args.classes, seed=args.seed)
    counts = write_bundle(demo, args.out)
    print(
        f"{args.out}: {len(demo.students)} students, {len(demo.staff)} staff, "
        f"{len(demo.guardians)} guardians, {len(demo.classes)} classes, "
        f"{sum(len(c.slots) for c in demo.classes)} lessons a cycle "
        f"({time.monotonic() - started:.1f} s)"
    )
    print("rows: " + ", ".join(f"{name} {n}" for name, n in counts.items()))


if __name__ == "__main__":
    main()
