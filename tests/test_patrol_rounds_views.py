"""Patrol rounds pages without JavaScript: the patrol phone page and its tabs, logging a student
sent out from the lesson now, sweeps, the attendance list, the watch list and drop-ins, and the
rota. Every POST-only action is walked here for every role (tests/test_permissions.py lists them
as NOT_WALKED). List pages have their query counts pinned."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.urls import reverse

from conduct.roles import Role, roles_of
from patrol.models import DropIn, Duty, SentOut, StaffAbsence, Sweep, SweepFinding, WatchListEntry
from patrol.services import sent_out, sweeps, watch_list
from tests.base import (
    TEN_FIFTEEN,
    WEDNESDAY,
    SchoolDayTestCase,
    make_student,
    people_by_role,
)


class RoundsPagesTest(SchoolDayTestCase):
    def sent_out(self, **extra):
        return sent_out.sent_out_log(
            by=self.alice,
            student=self.student,
            reason="Throwing paper",
            sent_to="corridor",
            teaching_class=self.maths_class,
            from_room=self.room,
            **extra,
        )

    def watch(self, student=None):
        return watch_list.watch_list_add(
            by=self.charlie,
            student=student or self.student,
            reason="Attendance dipping",
            review_on=WEDNESDAY + dt.timedelta(days=7),
            requested_by=self.charlie.staff,
        )

    # ---- the matrix of POST actions -----------------------------------------------------------

    def test_it_allows_each_action_only_to_the_right_roles(self):
        patrol = {Role.CONDUCT, Role.SLT}
        actions = {
            # name: (allowed roles, make the url and the data, fresh for each person)
            "sent-out-visit": (
                patrol,
                lambda: (
                    reverse("sent-out-visit", args=[self.sent_out().pk]),
                    {"outcome": "returned"},
                ),
            ),
            "sweep-start": (patrol, lambda: (reverse("sweep-start"), {})),
            "found-out-of-lessons-dealt-with": (
                {Role.ATTENDANCE, Role.SLT},
                lambda: (reverse("found-out-of-lessons-dealt-with", args=[self.finding().pk]), {}),
            ),
            "watch-list-end": (
                {Role.PASTORAL, Role.SLT, Role.DSL},
                lambda: (reverse("watch-list-end", args=[self.watch().pk]), {}),
            ),
            "watch-list-review": (
                {Role.PASTORAL, Role.SLT, Role.DSL},
                lambda: (
                    reverse("watch-list-review", args=[self.watch().pk]),
                    {"review_on": "2026-12-10"},
                ),
            ),
            "duty-add": (
                {Role.CONDUCT, Role.SLT},
                lambda: (
                    reverse("duty-add"),
                    {
                        "date": "2026-11-25",
                        "period": self.periods["P3"].pk,
                        "staff": self.hugo.staff.pk,
                        "kind": "on_call",
                    },
                ),
            ),
            "duty-remove": (
                {Role.CONDUCT, Role.SLT},
                lambda: (reverse("duty-remove", args=[self.duty().pk]), {}),
            ),
            "absence-add": (
                {Role.CONDUCT, Role.SLT},
                lambda: (
                    reverse("absence-add"),
                    {
                        "staff": self.hugo.staff.pk,
                        "starts_on": "2026-11-25",
                        "ends_on": "2026-11-25",
                    },
                ),
            ),
            "absence-remove": (
                {Role.CONDUCT, Role.SLT},
                lambda: (
                    reverse("absence-remove", args=[self.absence().pk]),
                    {},
                ),
            ),
        }
        for name, (allowed, make) in actions.items():
            for role, person in people_by_role(self).items():
                with self.subTest(action=name, role=role):
                    self.reset()
                    url, data = make()
                    self.client.force_login(person)
                    response = self.client.post(url, data)
                    if (roles_of(person) | {role}) & allowed:
                        self.assertEqual(response.status_code, 302, response.content[:500])
                    else:
                        self.assertEqual(response.status_code, 403)

    def test_it_lets_only_the_walker_add_to_or_finish_a_sweep(self):
        sweep = sweeps.sweep_start(by=self.bob)
        for person, status in [(self.alice, 403), (self.gita, 403), (self.evan, 400)]:
            self.client.force_login(person)
            find = self.client.post(
                reverse("sweep-find", args=[sweep.pk]),
                {"student": self.student.pk, "found_where": "Hall"},
            )
            finish = self.client.post(reverse("sweep-finish", args=[sweep.pk]), {"areas": "Hall"})
            self.assertEqual((find.status_code, finish.status_code), (status, status))
        self.assertFalse(SweepFinding.objects.exists())
        self.login(self.bob)
        find = self.client.post(
            reverse("sweep-find", args=[sweep.pk]),
            {"student": self.student.pk, "found_where": "Hall"},
        )
        self.assertEqual(find.status_code, 302)
        finish = self.client.post(reverse("sweep-finish", args=[sweep.pk]), {"areas": "Hall"})
        self.assertEqual(finish.status_code, 302)

    def reset(self):
        for model in (SentOut, SweepFinding, Sweep, DropIn, WatchListEntry, Duty, StaffAbsence):
            model.objects.all().delete()

    def finding(self):
        sweep = sweeps.sweep_start(by=self.bob)
        return sweeps.sweep_record_finding(
            sweep_id=sweep.pk, by=self.bob, student=self.student, found_where="Toilets"
        )

    def duty(self):
        return Duty.objects.create(
            date=WEDNESDAY, period=self.periods["P2"], staff=self.hugo.staff, kind="on_call"
        )

    def absence(self):
        return StaffAbsence.objects.create(
            staff=self.hugo.staff, starts_on=WEDNESDAY, ends_on=WEDNESDAY
        )

    # ---- sent out -----------------------------------------------------------------------------

    def test_it_fills_the_sent_out_page_from_the_lesson_now(self):
        self.login(self.alice)
        response = self.client.get(reverse("sent-out-new"))
        self.assertContains(response, "Now: Period 2 · 9X/Ma1 in M4")
        self.assertContains(response, f'<option value="{self.maths_class.pk}" selected>')
        self.assertContains(response, f'<option value="{self.room.pk}" selected>')
        self.assertContains(response, f'name="student" value="{self.student.pk}"')

    def test_it_logs_a_student_sent_out_and_the_patrol_sees_the_visit(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("sent-out-new"),
            {
                "student": self.student.pk,
                "teaching_class": self.maths_class.pk,
                "from_room": self.room.pk,
                "sent_to": "corridor",
                "reason": "Swearing at a classmate",
                "sent_time": "10:12",
            },
        )
        self.assertRedirects(response, reverse("sent-out-new"))
        sent = SentOut.objects.get()
        self.assertEqual(
            (sent.period, sent.sent_at, sent.logged_by),
            (self.periods["P2"], TEN_FIFTEEN.replace(minute=12), self.alice),
        )
        self.login(self.bob)
        page = self.client.get(reverse("patrol-home"))
        self.assertContains(page, "Jayden Walsh")
        self.assertContains(page, "Corridor outside M4")
        self.assertContains(page, "Swearing at a classmate")
        self.assertContains(page, "Spoken to and returned to the lesson")

    def test_it_shows_every_problem_when_logging_goes_wrong(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("sent-out-new"),
            {
                "student": self.student.pk,
                "teaching_class": self.maths_class.pk,
                "sent_to": "elsewhere",
                "reason": "Refused to work",
            },
        )
        self.assertContains(response, "Say where the student was sent.", status_code=400)
        self.assertFalse(SentOut.objects.exists())

    def test_it_records_the_visit_from_the_patrol_page(self):
        sent = self.sent_out(sent_at=TEN_FIFTEEN.replace(minute=10))
        self.login(self.bob)
        response = self.client.post(
            reverse("sent-out-visit", args=[sent.pk]),
            {"outcome": "elsewhere", "taken_to": "Head of year's office", "visited_time": "10:14"},
        )
        self.assertRedirects(response, reverse("patrol-home") + "?tab=visits")
        sent.refresh_from_db()
        self.assertEqual((sent.outcome, sent.taken_to), ("elsewhere", "Head of year's office"))
        page = self.client.get(reverse("patrol-home"))
        self.assertContains(page, "seen 10:14 by Mr B Patel · Taken elsewhere")

    def test_it_polls_just_the_list_of_visits(self):
        self.sent_out()
        self.login(self.bob)
        response = self.client.get(reverse("patrol-home"), {"tab": "visits", "part": "list"})
        self.assertContains(response, 'id="visits-list"')
        self.assertNotContains(response, "<html")

    # ---- sweeps and attendance ----------------------------------------------------------------

    def test_it_runs_a_sweep_from_the_phone(self):
        self.login(self.bob)
        self.client.post(reverse("sweep-start"))
        sweep = Sweep.objects.get()
        page = self.client.get(reverse("patrol-home"), {"tab": "sweep", "q": "walsh"})
        self.assertContains(page, "Sweep running since 10:15")
        self.assertContains(page, f'name="student" value="{self.student.pk}" checked')
        missing = self.client.post(
            reverse("sweep-find", args=[sweep.pk]), {"student": self.student.pk}
        )
        self.assertContains(missing, "Say where the student was found.", status_code=400)
        self.client.post(
            reverse("sweep-find", args=[sweep.pk]),
            {"student": self.student.pk, "found_where": "Toilets by the hall"},
        )
        page = self.client.get(reverse("patrol-home"), {"tab": "sweep"})
        self.assertContains(page, "should be in 9X/Ma1 (M4)")
        self.client.post(
            reverse("sweep-finish", args=[sweep.pk]),
            {"rooms": [self.room.pk], "areas": "Maths corridor"},
        )
        page = self.client.get(reverse("patrol-home"), {"tab": "sweep"})
        self.assertContains(page, "Start a sweep now")
        self.assertContains(page, "M4, Maths corridor · 1 found")

    def test_it_lists_students_found_for_attendance_in_few_queries(self):
        for i in range(3):
            student = make_student(upn=f"F{i:012d}", first=f"Kid{i}", form=self.form)
            sweep = sweeps.sweep_start(by=self.bob)
            sweeps.sweep_record_finding(
                sweep_id=sweep.pk, by=self.bob, student=student, found_where="Field"
            )
            sweeps.sweep_finish(sweep_id=sweep.pk, by=self.bob, areas="Field")
        done = SweepFinding.objects.first()
        sweeps.finding_mark_dealt_with(finding_id=done.pk, by=self.gita)
        self.login(self.gita)
        # (one of them writes the audit event of this read)
        with self.assertNumQueries(8):
            response = self.client.get(reverse("found-out-of-lessons"))
        self.assertContains(response, "To deal with (2)")
        self.assertContains(response, "Dealt with<span")
        response = self.client.post(
            reverse("found-out-of-lessons-dealt-with", args=[done.pk]), follow=True
        )
        self.assertContains(response, "Ms G Shah already marked this dealt with")

    # ---- the watch list and drop-ins ----------------------------------------------------------

    def test_it_adds_to_the_watch_list_after_finding_the_student(self):
        self.login(self.charlie)
        found = self.client.get(reverse("watch-list"), {"q": "Jay"})
        self.assertContains(found, f'name="student" value="{self.student.pk}" checked')
        response = self.client.post(
            reverse("watch-list"),
            {
                "student": self.student.pk,
                "reason": "Friendship fallout; check he is settled",
                "review_on": "2026-12-09",
                "requested_by": self.charlie.staff.pk,
            },
        )
        self.assertRedirects(response, reverse("watch-list"))
        again = self.client.post(
            reverse("watch-list"),
            {
                "student": self.student.pk,
                "reason": "Again",
                "review_on": "2026-12-09",
                "requested_by": self.charlie.staff.pk,
            },
        )
        self.assertContains(again, "already on the watch list", status_code=400)
        self.assertEqual(WatchListEntry.objects.count(), 1)

    def test_it_does_not_let_the_conduct_team_add_to_the_watch_list(self):
        self.login(self.bob)
        page = self.client.get(reverse("watch-list"))
        self.assertNotContains(page, "Add a student")
        response = self.client.post(reverse("watch-list"), {"student": self.student.pk})
        self.assertEqual(response.status_code, 403)

    def test_it_shows_the_patrol_where_watched_students_are_in_few_queries(self):
        self.watch()
        for i in range(4):
            self.watch(make_student(upn=f"G{i:012d}", first=f"Kid{i}", form=self.form))
        self.login(self.bob)
        # (one of them writes the audit event of this read)
        with self.assertNumQueries(13):
            page = self.client.get(reverse("patrol-home"), {"tab": "watch"})
        self.assertContains(page, "Period 2 · 9X/Ma1 in M4 · Ms A Teague")
        self.assertContains(page, "No lesson on the timetable", count=4)

    def test_it_records_a_drop_in_the_requester_then_reads(self):
        entry = self.watch()
        self.login(self.bob)
        form = self.client.get(reverse("drop-in-new", args=[entry.pk]))
        self.assertContains(form, "Period 2 · 9X/Ma1 in M4")
        self.assertContains(form, "Attendance dipping")
        empty = self.client.post(reverse("drop-in-new", args=[entry.pk]), {"note": "x"})
        self.assertContains(empty, "Choose how engaged the student was", status_code=400)
        response = self.client.post(
            reverse("drop-in-new", args=[entry.pk]),
            {"engagement": "2", "note": "Head on desk, not writing"},
        )
        self.assertRedirects(response, reverse("patrol-home") + "?tab=watch")
        self.login(self.charlie)
        # Two more than before year scope: the year groups Charlie's pastoral role reaches, and
        # the audit event of this read.
        with self.assertNumQueries(10):
            page = self.client.get(reverse("watch-list"), {"mine": "1"})
        self.assertContains(page, "2 – Mostly off task")
        self.assertContains(page, "Head on desk, not writing")
        self.assertContains(page, "Mr B Patel")

    def test_it_lists_the_latest_drop_ins_each_reader_may_read(self):
        entry = self.watch()
        helper = get_user_model().objects.create_user("helper", first_name="Sam", last_name="Cole")
        at = TEN_FIFTEEN - dt.timedelta(days=1)
        for n, (level, by, note) in enumerate(
            [
                ("child_protection", self.evan, "Disclosed something"),
                ("staff", helper, "Came in late"),
                *[("staff", self.bob, f"Look {k}") for k in range(5)],
            ]
        ):
            DropIn.objects.create(
                entry=entry,
                at=at - dt.timedelta(hours=n),
                by=by,
                engagement=3,
                note=note,
                level=level,
                teaching_class=self.maths_class if n == 1 else None,
                room=self.room if n == 1 else None,
            )
        self.login(self.charlie)  # head of year: not the child-protection drop-in
        page = self.client.get(reverse("watch-list"))
        self.assertNotContains(page, "Disclosed something")
        self.assertContains(
            page,
            '<li><span class="rating rating-3">3 – On and off task</span> · Tue 24 Nov 09:15 · '
            f"{self.maths_class.code} in {self.room.code} · Sam Cole<br>“Came in late”",
        )
        self.assertContains(page, "· Mr B Patel<br>“Look 2”")
        self.assertNotContains(page, "Look 3")  # the five latest, before any is left out
        self.login(self.dana)
        page = self.client.get(reverse("watch-list"))
        self.assertContains(page, "· Mr E Price<br>“Disclosed something”")
        self.assertNotContains(page, "Look 3")

    def test_it_shows_a_passed_review_date_as_due(self):
        entry = self.watch()
        WatchListEntry.objects.filter(pk=entry.pk).update(review_on=WEDNESDAY)
        self.login(self.charlie)
        page = self.client.get(reverse("watch-list"))
        self.assertContains(page, "1 due for review")
        self.login(self.bob)
        page = self.client.get(reverse("patrol-home"), {"tab": "watch"})
        self.assertContains(page, "Due for review (25 Nov)")

    # ---- the rota ----------------------------------------------------------------------------

    def test_it_shows_the_week_grid_with_the_gaps(self):
        Duty.objects.create(
            date=WEDNESDAY, period=self.periods["P2"], staff=self.hugo.staff, kind="on_call"
        )
        self.login(self.alice)
        with self.assertNumQueries(14):
            page = self.client.get(reverse("rota"), {"week": "2026-11-25"})
        self.assertContains(page, "Duty rota: week of 23 November 2026")
        self.assertContains(page, "Mr H Reid")
        self.assertContains(page, "Wed 25 Nov, Period 1: Nobody on patrol")
        self.assertNotContains(page, "Wed 25 Nov, Period 2: Nobody on patrol")
        self.assertNotContains(page, "Add a duty")  # a teacher reads the rota, no more

    def test_it_shows_each_duty_in_its_cell_with_cover_and_remove_for_a_manager(self):
        duty = Duty.objects.create(
            date=WEDNESDAY, period=self.periods["P2"], staff=self.hugo.staff, kind="on_call"
        )
        self.hugo.staff.last_name = "Reid & <Sons>"  # escaped, as the template escaped it
        self.hugo.staff.save()
        self.absence()
        self.login(self.bob)
        page = self.client.get(reverse("rota"), {"week": "2026-11-25"})
        remove = reverse("duty-remove", args=[duty.pk])
        self.assertContains(
            page,
            '<li class="duty duty-on_call away">\n<span>Mr H Reid &amp; &lt;Sons&gt;</span> '
            '<span class="muted">Patrol / on-call</span> <strong>away: needs cover</strong>\n'
            f'<button type="submit" form="remove-duty" formaction="{remove}" '
            'class="link-button remove">Remove<span class="visually-hidden"> Mr H Reid &amp; '
            "&lt;Sons&gt;, Patrol / on-call, Wed 25 Nov Period 2</span></button>\n</li>",
            html=True,
        )
        # Away, Hugo covers nothing: the cell says so too.
        self.assertContains(page, '<p class="gap"><strong>Gap:</strong> Nobody on patrol</p>')
        # The forms list everyone active, each as the rest of Conduct names them.
        self.assertContains(
            page, f'<option value="{self.hugo.staff.pk}">Mr H Reid &amp; &lt;Sons&gt;</option>', 2
        )
        self.assertContains(page, f'<option value="{self.room.pk}">{self.room}</option>', 1)
        self.assertContains(
            page, f'<option value="{self.periods["P2"].pk}">{self.periods["P2"]}</option>', 1
        )
        self.login(self.alice)
        page = self.client.get(reverse("rota"), {"week": "2026-11-25"})
        self.assertContains(page, "Mr H Reid &amp; &lt;Sons&gt;</span>")
        self.assertNotContains(page, "Remove")  # a teacher reads the rota, no more

    def test_it_adds_a_duty_or_says_why_not(self):
        self.login(self.bob)
        data = {
            "week": "2026-11-23",
            "date": "2026-11-25",
            "period": self.periods["P2"].pk,
            "staff": self.hugo.staff.pk,
            "kind": "on_call",
        }
        response = self.client.post(reverse("duty-add"), data)
        self.assertRedirects(response, reverse("rota") + "?week=2026-11-23")
        again = self.client.post(reverse("duty-add"), data | {"kind": Duty.Kind.INTERNAL_EXCLUSION})
        self.assertContains(again, "Mr H Reid already has a duty then", status_code=400)
        self.assertEqual(Duty.objects.count(), 1)
