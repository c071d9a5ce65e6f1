"""Load the demo into an empty database: Northfield Academy, a demo 11–16 school (school/demo),
then a term of behaviour history (sanctions/demo.py), of patrol (patrol/demo.py) and pastoral
records (pastoral/demo.py). It lives in
`conduct`, above the apps whose demos it runs, so `school` need not know the apps built on it."""

import datetime as dt
import os
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from conduct.lib import clock
from conduct.lib.errors import ActionRefused
from notify.demo import load_messages_demo
from pastoral.demo import load_pastoral_demo
from pastoral.demo_parents import load_parents_demo
from patrol.demo import load_patrol_demo
from privacy.demo import load_privacy_demo
from reports.demo import load_reviews_demo
from sanctions.demo import load_behaviour_history
from sanctions.models import PlacementDay, Provision
from sanctions.services import placements
from school.demo.data import Params
from school.demo.generator import generate_school
from school.demo.load import load_school
from school.demo.logins import DEMO_PASSWORD, LOGINS
from school.models import Staff
from school.selectors.calendar import school_days_from
from school.selectors.timetable import staff_timetable_on
from work.demo import DEMO_TEACHERS, load_work_demo


class Command(BaseCommand):
    help = (
        "Load a demo school (about 1,200 students, staff, families, classes and a two-week "
        "timetable for the current academic year) and one login per role. Does nothing if "
        "the database already has students."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--students-per-year",
            type=int,
            default=240,
            help="students in each of years 7–11 (default 240)",
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="the same seed gives the same school"
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        # One day for all three demos: the school's academic year is the one the history is in.
        today = clock.today()
        demo = generate_school(
            Params(
                students_per_year=options["students_per_year"], seed=options["seed"], today=today
            )
        )
        result = load_school(demo)
        if not result.loaded:
            self.stdout.write(self.style.WARNING(result.message))
            # A second `make demo` still says where to log in and as whom.
            self._print_logins([*_existing_demo_logins(), *_senco_login()])
            return
        self.stdout.write(
            self.style.SUCCESS(f"{result.message} ({time.monotonic() - started:.1f} s)")
        )
        started = time.monotonic()
        history = load_behaviour_history(today=today, seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                "Behaviour history this term: {incidents} incidents, {referrals} referrals, "
                "{placements} placements, {pending} referrals waiting for a decision".format(
                    **{
                        k: history.get(k, 0)
                        for k in ("incidents", "referrals", "placements", "pending")
                    }
                )
                + f" ({time.monotonic() - started:.1f} s)"
            )
        )
        told = load_messages_demo(today=today, seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                "Parent messages about those placements: {sent_same_day} sent the same day, "
                "{sent_next_day} the next morning, {failed} texts failed; the last school day's "
                "still to check".format(**told)
            )
        )
        started = time.monotonic()
        _book_a_student_of_each_demo_teacher(today)
        work = load_work_demo(today=today, seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                "Work for students out of lessons: {programmes} programmes of work, {requests} "
                "lessons missed, {answered} with work, {returned} returned from the room".format(
                    **work
                )
                + f" ({time.monotonic() - started:.1f} s)"
            )
        )
        started = time.monotonic()
        patrol = load_patrol_demo(today=today, seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                "Patrol: {on_call_requests} on-call requests this term, {duties} duties this week "
                "({gaps} coverage gap), {watched} students watched with {drop_ins} drop-ins, "
                "{sent_out} sent out and {found_out_of_lessons} found out of lessons today".format(
                    **{
                        k: patrol.get(k, 0)
                        for k in (
                            "on_call_requests",
                            "duties",
                            "gaps",
                            "watched",
                            "drop_ins",
                            "sent_out",
                            "found_out_of_lessons",
                        )
                    }
                )
                + f" ({time.monotonic() - started:.1f} s)"
            )
        )
        started = time.monotonic()
        pastoral = load_pastoral_demo(today=today, seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                "Pastoral: {entry_interviews} entry and {exit_interviews} exit interviews, "
                "{discussions} records of discussions, {concerns} safeguarding concerns, "
                "{restorative_meetings} restorative meetings, {levelled_notes} room log notes "
                "and drop-ins above the staff level".format(
                    **{
                        k: pastoral.get(k, 0)
                        for k in (
                            "entry_interviews",
                            "exit_interviews",
                            "discussions",
                            "concerns",
                            "restorative_meetings",
                            "levelled_notes",
                        )
                    }
                )
                + f" ({time.monotonic() - started:.1f} s)"
            )
        )
        parents = load_parents_demo(today=today)
        self.stdout.write(
            self.style.SUCCESS(
                "Parents: {calls} calls logged today, {meetings} meetings, {interventions} "
                "interventions ({reviews} reviewed), {open_reviews} reviews open".format(
                    **{
                        k: parents.get(k, 0)
                        for k in ("calls", "meetings", "interventions", "reviews", "open_reviews")
                    }
                )
            )
        )
        started = time.monotonic()
        reviewed = load_reviews_demo(today=today, seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                "Reviews the rules opened this term: {opened}, {closed} closed with a decision "
                "({removed_again} more reflection-room visits for a few students)".format(
                    **reviewed
                )
                + f" ({time.monotonic() - started:.1f} s)"
            )
        )
        privacy = load_privacy_demo(today=today)
        self.stdout.write(
            self.style.SUCCESS(
                "Data protection: a retention schedule of {retention_rules} kinds of record, "
                "{former_students} student who left long ago (see apply_retention), "
                "corrected records: {corrections}".format(**privacy)
            )
        )
        self._print_logins([*result.logins, *_senco_login()])

    def _print_logins(self, logins: list[tuple[str, str, str]]) -> None:
        if not logins:
            return
        port = os.getenv("PORT", "8000")
        self.stdout.write("")
        self.stdout.write(
            f"Log in at http://127.0.0.1:{port}/login/ with password "
            f"{DEMO_PASSWORD!r} for every demo account:"
        )
        self.stdout.write("")
        width = max(len(u) for u, _, _ in logins) if logins else 8
        roles_width = max(len(r) for _, r, _ in logins) if logins else 5
        self.stdout.write(f"  {'username':<{width}}  {'roles':<{roles_width}}  who")
        for username, roles, who in logins:
            self.stdout.write(f"  {username:<{width}}  {roles:<{roles_width}}  {who}")


def _existing_demo_logins() -> list[tuple[str, str, str]]:
    """The demo's logins that are in the database: username, roles, who they are."""
    existing = set(
        get_user_model()
        .objects.filter(username__in=[row[0] for row in LOGINS])
        .values_list("username", flat=True)
    )
    return [
        (username, ", ".join(roles), f"{title} {first} {last}, {job}")
        for username, roles, title, first, last, job, *_ in LOGINS
        if username in existing
    ]


def _senco_login() -> list[tuple[str, str, str]]:
    """The SENCO's login, which the pastoral demo adds to a member of staff of the generated
    school (so it is not in the school demo's LOGINS)."""
    staff = Staff.objects.filter(user__username="senco").first()
    if staff is None:
        return []
    return [("senco", "senco", f"{staff.title} {staff.first_name} {staff.last_name}, SENCO")]


def _book_a_student_of_each_demo_teacher(today) -> None:
    """So the demo teachers have work to set when they sign in: a student from one of their
    classes booked into internal exclusion on the next school day (when a place is free)."""
    days = school_days_from(today + dt.timedelta(days=1), 1)
    officer = get_user_model().objects.filter(username="conduct").first()
    provision = Provision.objects.get(kind=Provision.Kind.INTERNAL_EXCLUSION)
    if not days or officer is None:
        return
    for staff in Staff.objects.filter(user__username__in=DEMO_TEACHERS):
        booked = set(
            PlacementDay.objects.filter(date=days[0], is_active=True).values_list(
                "placement__student", flat=True
            )
        )
        for slot in staff_timetable_on(staff, days[0]):
            student = slot.teaching_class.students.exclude(pk__in=booked).order_by("pk").first()
            if student is None:
                continue
            try:
                placements.placement_book(
                    student=student, provision=provision, days=1, by=officer, start_on=days[0]
                )
            except ActionRefused:
                continue
            break
