"""Time the weekly dashboard, the half-termly report and its PDF on five years of history.

    python bench/bench_reports.py                     # SQLite in a temporary file
    python bench/bench_reports.py --postgres postgresql://u:p@host/bench_reports

A school of 1,500 students with five academic years of history, written with bulk_create:
about 25,000 reflection-room visits, 3,000 internal exclusions (with their referrals, incidents,
entry and exit interviews and family messages) and 30,000 on-call calls. Then each page is asked
for through Django's test client as the conduct team (so the time includes the queries and the
template), several times; the median is reported. Targets (issue 12): dashboard < 300 ms,
half-termly report < 1 s, its PDF < 3 s, peak memory < 300 MB. The figures go into
bench/RESULTS.md under "Reports benchmark", one section per database.
"""

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STUDENTS = 1500
RR_VISITS = 25_000
IE_PLACEMENTS = 3_000
ON_CALL_CALLS = 30_000
YEARS = 5


def academic_calendar(first_year: int, years: int) -> list[tuple[int, str, int, dt.date, dt.date]]:
    """(year, term kind, half number, start, end) for `years` academic years from `first_year`."""
    d = dt.date
    halves = []
    for y in range(first_year, first_year + years):
        halves += [
            (y, "autumn", 1, d(y, 9, 3), d(y, 10, 23)),
            (y, "autumn", 2, d(y, 11, 2), d(y, 12, 18)),
            (y, "spring", 1, d(y + 1, 1, 5), d(y + 1, 2, 13)),
            (y, "spring", 2, d(y + 1, 2, 23), d(y + 1, 3, 27)),
            (y, "summer", 1, d(y + 1, 4, 13), d(y + 1, 5, 22)),
            (y, "summer", 2, d(y + 1, 6, 1), d(y + 1, 7, 21)),
        ]
    return halves


def generate(today: dt.date, seed: int = 12) -> dict:
    """Write the school and its five years of history; return what the timing needs."""
    rng = random.Random(seed)
    world = make_school(today, rng)
    write_history(world, today, rng)
    current = [h for h in world["half_terms"] if h.starts_on <= today]
    return {
        "user": world["conduct"],
        "half_term": current[-1] if current else world["half_terms"][-1],
    }


def make_calendar(today: dt.date) -> tuple[list[dt.date], list]:
    """The five academic years up to `today` (kept where they exist, e.g. the demo's current
    year): their school days up to today and their half-terms."""
    from school.models import AcademicYear, HalfTerm, Term

    first_year = (today.year if today.month >= 9 else today.year - 1) - (YEARS - 1)
    school_days: list[dt.date] = []
    half_terms = []
    for year, kind, number, start, end in academic_calendar(first_year, YEARS):
        academic, _ = AcademicYear.objects.get_or_create(
            name=f"{year}/{str(year + 1)[2:]}",
            defaults={"starts_on": dt.date(year, 9, 1), "ends_on": dt.date(year + 1, 8, 31)},
        )
        term, _ = Term.objects.get_or_create(
            academic_year=academic,
            kind=kind,
            defaults={"starts_on": start, "ends_on": end},
        )
        if term.ends_on < end:
            term.ends_on = end
            term.save()
        half_terms.append(
            HalfTerm.objects.get_or_create(
                term=term, number=number, defaults={"starts_on": start, "ends_on": end}
            )[0]
        )
        day = start
        while day <= min(end, today):
            if day.weekday() < 5:
                school_days.append(day)
            day += dt.timedelta(days=1)
    return school_days, half_terms


def make_school(today: dt.date, rng: random.Random) -> dict:
    """A school of its own (bench_reports' Bench Academy): its calendar, timetable, staff and
    students; returns what `write_history` writes into."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from conduct.roles import Role, ensure_role_groups
    from sanctions.models import Provision, ReasonCategory
    from school.models import (
        Department,
        Form,
        Period,
        Room,
        School,
        Staff,
        Student,
        Subject,
        TeachingClass,
        TimetableSlot,
        YearGroup,
    )

    School.objects.create(name="Bench Academy", timetable_weeks=1)
    school_days, half_terms = make_calendar(today)
    periods = [
        Period.objects.create(
            code=f"P{i}",
            name=f"Period {i}",
            starts_at=dt.time(8 + i, 0),
            ends_at=dt.time(8 + i, 55),
        )
        for i in range(1, 6)
    ]
    years = [YearGroup.objects.create(number=n) for n in range(7, 12)]
    forms = [
        Form.objects.create(code=f"{y.number}{letter}", year_group=y)
        for y in years
        for letter in "ABCDEF"
    ]
    User = get_user_model()
    ensure_role_groups()
    users = User.objects.bulk_create(
        [User(username=f"staff{i}", first_name=f"Staff{i}", last_name="Bench") for i in range(80)]
    )
    users = list(User.objects.filter(username__startswith="staff").order_by("pk"))
    conduct = users[0]
    conduct.groups.add(Group.objects.get(name=Role.CONDUCT))
    departments = [
        Department.objects.create(code=f"D{i}", name=f"Department {i}") for i in range(8)
    ]
    subjects = [
        Subject.objects.create(code=f"S{i}", name=f"Subject {i}", department=departments[i % 8])
        for i in range(12)
    ]
    Staff.objects.bulk_create(
        [
            Staff(
                staff_code=f"ST{i}",
                first_name=u.first_name,
                last_name="Bench",
                user=u,
                department=departments[i % 8],
            )
            for i, u in enumerate(users)
        ]
    )
    staff = list(Staff.objects.order_by("pk"))
    classes = TeachingClass.objects.bulk_create(
        [
            TeachingClass(code=f"C{i}", subject=subjects[i % 12], year_group=years[i % 5])
            for i in range(120)
        ]
    )
    classes = list(TeachingClass.objects.order_by("pk"))
    TimetableSlot.objects.bulk_create(
        [
            TimetableSlot(teaching_class=c, cycle_day=day, period=p)
            for c in classes
            for day in range(1, 6)
            for p in periods[(c.pk + day) % 5 : (c.pk + day) % 5 + 1]
        ]
    )
    slots = list(TimetableSlot.objects.order_by("pk"))
    ethnicities = [c for c, _ in Student.Ethnicity.choices]
    Student.objects.bulk_create(
        [
            Student(
                upn=f"B{i:012}",
                legal_first_name=f"First{i}",
                legal_last_name=f"Last{i}",
                date_of_birth=dt.date(2012, 1, 1),
                gender=rng.choice("FM"),
                year_group=(form := rng.choice(forms)).year_group,
                form=form,
                sen_status=rng.choices("NKE", weights=[82, 14, 4])[0],
                fsm=rng.random() < 0.25,
                pupil_premium=rng.random() < 0.3,
                eal=rng.random() < 0.15,
                ethnicity=rng.choices(ethnicities, weights=[60] + [2] * (len(ethnicities) - 1))[0],
                looked_after=rng.random() < 0.01,
            )
            for i in range(STUDENTS)
        ]
    )
    students = list(Student.objects.values_list("pk", flat=True))
    rr = Provision.objects.get(kind=Provision.Kind.REFLECTION_ROOM)
    ie = Provision.objects.get(kind=Provision.Kind.INTERNAL_EXCLUSION)
    rr_room, ie_room = Room.objects.create(code="RR1"), Room.objects.create(code="IE1")
    return {
        "school_days": school_days,
        "half_terms": half_terms,
        "periods": periods,
        "users": users,
        "conduct": conduct,
        "staff": staff,
        "classes": classes,
        "slots": slots,
        "students": students,
        "rr": rr,
        "ie": ie,
        "rr_room": rr_room,
        "ie_room": ie_room,
        "reasons": list(ReasonCategory.objects.all()),
    }


def write_history(world: dict, today: dt.date, rng: random.Random) -> None:
    """Five years of history (see the module's docstring) into `world`'s school days, students,
    staff, timetable and rooms: those of `make_school`, or of an existing school (the page
    benchmark's `--history` writes it into the demo school)."""
    from django.contrib.contenttypes.models import ContentType

    from notify.models import Message
    from pastoral.models import Interview
    from patrol.models import OnCallReason, OnCallRequest
    from sanctions.models import Incident, Placement, PlacementDay, Referral

    tz = dt.UTC
    school_days, periods, users, staff = (
        world["school_days"],
        world["periods"],
        world["users"],
        world["staff"],
    )
    classes, slots, students, reasons = (
        world["classes"],
        world["slots"],
        world["students"],
        world["reasons"],
    )
    rr, ie, rr_room, ie_room = world["rr"], world["ie"], world["rr_room"], world["ie_room"]
    conduct = world["conduct"]
    # Only this history's rows are read back (a school may have placements of its own).
    last_placement = Placement.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def moment(day: dt.date, hour: int = 10) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, rng.randrange(60)), tzinfo=tz)

    # Reflection room visits: one day each, from a lesson.
    rr_days = [rng.choice(school_days) for _ in range(RR_VISITS)]
    placements = [
        Placement(
            student_id=rng.choice(students),
            provision=rr,
            status="completed",
            planned_days=1,
            starts_on=day,
            ends_on=day,
            booked_by=rng.choice(users),
            booked_at=moment(day),
            removed_from=rng.choice(slots),
        )
        for day in rr_days
    ]
    # Internal exclusions: an incident, a referral, one to three days.
    incidents = Incident.objects.bulk_create(
        [
            Incident(
                occurred_at=moment(day := rng.choice(school_days)),
                reason=rng.choice(reasons),
                period=rng.choice(periods),
                description="Bench",
                reported_by=rng.choice(staff),
                recorded_by=rng.choice(users),
            )
            for _ in range(IE_PLACEMENTS)
        ]
    )
    referrals = Referral.objects.bulk_create(
        [
            Referral(
                student_id=rng.choice(students),
                incident=incident,
                provision=ie,
                days=2,
                requested_by=rng.choice(users),
                requested_at=incident.occurred_at,
                status="approved",
            )
            for incident in incidents
        ]
    )
    ie_spans = []
    for referral in referrals:
        start = referral.requested_at.date()
        i = school_days.index(start) if start in school_days else 0
        days = school_days[i + 1 : i + 1 + rng.randint(1, 3)] or [start]
        ie_spans.append(days)
        placements.append(
            Placement(
                student_id=referral.student_id,
                provision=ie,
                referral=referral,
                status=rng.choice(["completed"] * 9 + ["failed"]),
                planned_days=len(days),
                starts_on=days[0],
                ends_on=days[-1],
                booked_by=referral.requested_by,
                booked_at=referral.requested_at,
            )
        )
    Placement.objects.bulk_create(placements, batch_size=2000)
    placements = list(Placement.objects.filter(pk__gt=last_placement).order_by("pk"))
    last_day = PlacementDay.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    day_rows = []
    ie_index = 0
    for placement in placements:
        if placement.provision_id == rr.pk:
            day_rows.append(
                PlacementDay(placement=placement, date=placement.starts_on, room=rr_room)
            )
        else:
            day_rows += [
                PlacementDay(placement=placement, date=d, room=ie_room) for d in ie_spans[ie_index]
            ]
            ie_index += 1
    PlacementDay.objects.bulk_create(day_rows, batch_size=2000)
    ie_placements = [p for p in placements if p.provision_id == ie.pk]
    Interview.objects.bulk_create(
        [
            Interview(
                placement=p,
                kind=kind,
                due_on=p.starts_on if kind == "entry" else p.ends_on,
                status="done",
                conducted_by=p.booked_by,
                conducted_at=moment(p.starts_on if kind == "entry" else p.ends_on, 14)
                + dt.timedelta(days=rng.choice([0, 0, 0, 1])),
            )
            for p in ie_placements
            for kind in ("entry", "exit")
        ],
        batch_size=2000,
    )
    placement_type = ContentType.objects.get_for_model(Placement)
    Message.objects.bulk_create(
        [
            Message(
                channel="email",
                status="sent",
                address="family@example.org",
                subject="Placement",
                body="",
                student_id=p.student_id,
                related_type=placement_type,
                related_id=p.pk,
                sent_at=p.booked_at + dt.timedelta(hours=rng.choice([1, 2, 30])),
            )
            for p in ie_placements
        ],
        batch_size=2000,
    )
    reason = OnCallReason.objects.get_or_create(label="Disruption")[0]
    calls = []
    for _ in range(ON_CALL_CALLS):
        raised = moment(rng.choice(school_days), rng.randint(9, 14))
        claimed = raised + dt.timedelta(seconds=rng.randint(20, 600))
        arrived = claimed + dt.timedelta(seconds=rng.randint(30, 400))
        calls.append(
            OnCallRequest(
                raised_by=rng.choice(users),
                reason=reason,
                location="Bench",
                raised_at=raised,
                status="resolved",
                claimed_by=conduct,
                claimed_at=claimed,
                arrived_at=arrived,
                resolved_at=arrived + dt.timedelta(minutes=5),
                resolved_by=conduct,
                outcome="settled",
                escalated_at=arrived if rng.random() < 0.05 else None,
            )
        )
    OnCallRequest.objects.bulk_create(calls, batch_size=2000)
    # Work for the lessons missed in internal exclusion: five lessons a day, mostly set by the
    # deadline, some late, some fallen back to the programme, a few with nothing.
    from pastoral.models import ReviewRule, ReviewTask
    from work.models import WorkRequest, WorkSet

    sets = {
        kind: WorkSet.objects.create(kind=kind, set_by=conduct)
        for kind in ("lesson", "programme", "fallback")
    }
    requests = []
    ie_days = PlacementDay.objects.filter(placement__provision=ie, pk__gt=last_day)
    for day in ie_days.order_by("pk").iterator():
        for period in periods:
            pick = rng.random()
            kind = "lesson" if pick < 0.7 else "fallback" if pick < 0.9 else None
            requests.append(
                WorkRequest(
                    placement_day=day,
                    date=day.date,
                    period=period,
                    teaching_class=rng.choice(classes),
                    teacher=rng.choice(staff),
                    status="set" if kind else "returned",
                    work_set=sets[kind] if kind else None,
                    answered_late=kind == "lesson" and rng.random() < 0.1,
                    deadline=moment(day.date, 8),
                    fell_back_at=moment(day.date, 8) if kind == "fallback" else None,
                    outcome=rng.choice(["completed", "completed", "partly", "not_done"]),
                )
            )
    WorkRequest.objects.bulk_create(requests, batch_size=2000)
    # A review for most students the removals rule would pick out: one for every fifth IE.
    removals = ReviewRule.objects.filter(subject="student", kind="removals").first()
    if removals is not None:
        ReviewTask.objects.bulk_create(
            [
                ReviewTask(
                    rule=removals,
                    for_whom="head_of_year",
                    student_id=p.student_id,
                    reason="removals",
                    placement=p,
                    opened_at=p.booked_at,
                    status="closed",
                    decision=rng.choice(["no_action", "intervention", "adjustments"]),
                    closed_by=conduct,
                    closed_at=p.booked_at + dt.timedelta(days=3),
                )
                for p in ie_placements[::5]
            ],
            batch_size=2000,
        )


def timed(get, path: str, runs: int) -> tuple[float, float, int]:
    """The best and the median milliseconds of `runs` GETs (after one to warm up), and the
    status. On a busy machine the best is the page's own cost; the median shows the load."""
    status = get(path).status_code
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = get(path)
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    return min(times), statistics.median(times), status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", help="a PostgreSQL URL to a database named bench_*")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "conduct.settings",
            "SECRET_KEY": "bench-reports-" + "x" * 40,
            "DEBUG": "0",
            "CONDUCT_REQUIRE_2FA": "0",
            "ALLOWED_HOSTS": "testserver,localhost",
            "SQLITE_PATH": str(workdir / "bench.sqlite3"),
            "EMAIL_URL": "console:",
        }
    )
    os.environ.pop("REDIS_URL", None)
    if args.postgres:
        from bench.bench_pages import reset_postgres

        reset_postgres(args.postgres)
        os.environ["DATABASE_URL"] = args.postgres
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from conduct.lib import clock

    call_command("migrate", verbosity=0)
    today = clock.today()
    started = time.monotonic()
    made = generate(today)
    generated = time.monotonic() - started
    from pastoral.models import ReviewTask
    from patrol.models import OnCallRequest
    from sanctions.models import Placement
    from work.models import WorkRequest

    counts = {
        "RR": Placement.objects.filter(provision__kind="RR").count(),
        "IE": Placement.objects.filter(provision__kind="IE").count(),
        "calls": OnCallRequest.objects.count(),
        "work requests": WorkRequest.objects.count(),
        "reviews": ReviewTask.objects.count(),
    }
    print(f"generated in {generated:.0f} s: {counts}")
    client = Client()
    client.force_login(made["user"])
    half_term = made["half_term"]
    pages = [
        ("Weekly dashboard", reverse("reports-dashboard"), 300),
        ("Half-termly report", reverse("reports-half-term", args=[half_term.pk]), 1000),
        (
            "Half-termly report PDF",
            reverse("reports-half-term-export", args=[half_term.pk, "pdf"]),
            3000,
        ),
        (
            "Half-termly report XLSX",
            reverse("reports-half-term-export", args=[half_term.pk, "xlsx"]),
            None,
        ),
        ("Meeting pack", reverse("reports-meeting-pack", args=[half_term.pk]), 1000),
        ("Meeting pack PDF", reverse("reports-meeting-pack-pdf", args=[half_term.pk]), 3000),
    ]
    rows = []
    load_before = os.getloadavg()[0]
    for when in ("fresh", "after ANALYZE"):
        if when != "fresh":
            # The planner's statistics: PostgreSQL's autovacuum keeps them on a live database;
            # SQLite has them only after ANALYZE (or PRAGMA optimize).
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        for name, path, target in pages:
            best, median, status = timed(client.get, path, args.runs)
            verdict = "" if target is None else ("met" if median < target else "MISSED")
            if target is not None and best < target <= median:
                verdict = "met at best, MISSED at median"
            rows.append((f"{name} ({when})", best, median, status, target, verdict))
            print(
                f"{name} ({when}): best {best:.0f} ms, median {median:.0f} ms "
                f"(HTTP {status}) {verdict}"
            )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    database = "PostgreSQL" if args.postgres else "SQLite"
    import platform
    import subprocess

    command = (
        "python bench/bench_reports.py"
        + (f" --postgres {args.postgres}" if args.postgres else "")
        + (f" --runs {args.runs}" if args.runs != 5 else "")
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    machine = (
        f"{platform.machine()} with {os.cpu_count()} CPUs, Linux {platform.release()}, "
        f"Python {platform.python_version()}"
    )
    lines = [
        "",
        f"## Reports on {database}",
        "",
        f"`{command}` on {dt.datetime.now(dt.UTC):%d %B %Y %H:%M} UTC, commit {commit}, "
        f"{machine}. A school of {STUDENTS:,} students with "
        f"{YEARS} years of history ({counts['RR']:,} reflection-room visits, {counts['IE']:,} "
        f"internal exclusions with their interviews and family messages, {counts['calls']:,} "
        f"on-call calls, {counts['work requests']:,} work requests, {counts['reviews']:,} "
        f"reviews), generated in {generated:.0f} s. Each page through Django's test client "
        f"as the conduct team (queries and template), best and median of {args.runs} after one "
        f"warm-up, half-term {half_term}. Load average on its {os.cpu_count()} cores: "
        f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end (above 1 per "
        f"core, other work shared the machine: read the best of the runs).",
        "",
        "| page | best ms | median ms | target ms | |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    lines += [
        f"| {name} | {best:.0f} | {median:.0f} | {target or '—'} | {verdict} |"
        for name, best, median, _, target, verdict in rows
    ]
    lines += [
        "",
        f"Peak memory of the process (generation included, ru_maxrss): {peak_mb:.0f} MB "
        f"(target 300 MB).",
    ]
    write_section(args.results, lines)
    print(f"written to {args.results}")


def write_section(results: Path, lines: list[str]) -> None:
    """This database's section in place of an earlier run's, under "# Reports benchmark"."""
    from bench.bench_on_call import write_section as write_on_call_section

    text = results.read_text() if results.exists() else ""
    if "\n# Reports benchmark" not in text:
        results.write_text(text.rstrip("\n") + "\n\n# Reports benchmark (issue 12)\n")
    write_on_call_section(results, lines)


if __name__ == "__main__":
    main()
