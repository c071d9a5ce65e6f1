"""A read compiled once (conduct.lib.compiled) gives what the queryset gives, for any ids, row
for row and converted alike, and refuses a read whose SQL would not fit every call."""

import datetime as dt

from django.db.models import BooleanField, Case, Count, ExpressionWrapper, Max, Q, Value, When
from django.db.models.functions import Coalesce
from django.test import override_settings

from conduct.lib.compiled import compiled_query
from pastoral.models import Concern, Discussion, DiscussionShare, Level
from school.models import Student
from tests.base import TEN_FIFTEEN, ConductTestCase, make_student


def _discussions(student_id, user_id):
    return Discussion.objects.filter(
        Q(recorded_by_id=user_id) | Q(level=Level.PASTORAL), student_id=student_id
    ).values_list("pk", "recorded_at", "level", "follow_up_on")


def _concerns(student_id):
    """A DateTimeField, a nullable one, a BooleanField and a nullable id."""
    return (
        Concern.objects.filter(student_id=student_id)
        .order_by("pk")
        .values_list("pk", "raised_at", "closed_at", "urgent", "closed_by_id")
    )


def _discussions_counted(student_id):
    """`.values()` with a nullable DateField, a JSONField (a converter of the field's own, read as
    Django reads it) and aggregates: a Count, a Max of a nullable moment, a Coalesce of moments
    and booleans made by expressions (SQLite gives them as 1 and 0)."""
    return (
        Discussion.objects.filter(student_id=student_id)
        .values("pk", "recorded_at", "follow_up_on", "shared_groups")
        .annotate(
            shared_with=Count("shares"),
            last_read=Max("shares__read_at"),
            seen=Coalesce(Max("shares__read_at"), "recorded_at"),
            pastoral=Case(
                When(level=Level.PASTORAL, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            undated=ExpressionWrapper(Q(follow_up_on__isnull=True), output_field=BooleanField()),
        )
        .order_by("pk")
    )


def _reads_at(discussion_id):
    """`flat=True` of a nullable DateTimeField."""
    return (
        DiscussionShare.objects.filter(discussion_id=discussion_id)
        .order_by("pk")
        .values_list("read_at", flat=True)
    )


def _follow_ups(student_id):
    """`flat=True` of a nullable DateField."""
    return (
        Discussion.objects.filter(student_id=student_id)
        .order_by("pk")
        .values_list("follow_up_on", flat=True)
    )


def _as_given(rows: list) -> list:
    """Each value with its type, and a moment's zone and fold: equal rows can differ in these (a
    naive moment is not equal to an aware one, but a row of them is compared as a whole)."""

    def given(value):
        return (type(value), value, getattr(value, "tzinfo", None), getattr(value, "fold", None))

    return [
        {name: given(value) for name, value in row.items()}
        if isinstance(row, dict)
        else tuple(given(value) for value in row)
        if isinstance(row, tuple)
        else given(row)
        for row in rows
    ]


class CompiledQueryTest(ConductTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.jayden = cls.student
        cls.amy = make_student(upn="B123456789012", first="Amy", last="Shah")
        for student, by, level, days in [
            (cls.jayden, cls.charlie, Level.PASTORAL, 1),
            (cls.jayden, cls.dana, Level.CHILD_PROTECTION, 2),
            (cls.amy, cls.charlie, Level.PASTORAL, 3),
        ]:
            Discussion.objects.create(
                student=student,
                recorded_by=by,
                recorded_at=TEN_FIFTEEN - dt.timedelta(days=days),
                level=level,
                said="Talked it through",
                follow_up_on=dt.date(2026, 12, days),
            )

    def test_it_gives_what_the_queryset_gives_for_each_call(self):
        read = compiled_query(_discussions)
        for student in (self.jayden, self.amy):
            for user in (self.charlie, self.dana, self.alice):
                with self.subTest(student=student, user=user):
                    rows = read(student.pk, user.pk)
                    self.assertEqual(rows, list(_discussions(student.pk, user.pk)))
        self.assertIsInstance(read(self.jayden.pk, self.dana.pk)[0][1], dt.datetime)

    def test_it_converts_each_value_as_the_queryset_does(self):
        closed = TEN_FIFTEEN + dt.timedelta(hours=2, microseconds=250)
        Concern.objects.create(
            student=self.jayden, raised_by=self.alice, raised_at=TEN_FIFTEEN, what="x", urgent=True
        )
        Concern.objects.create(
            student=self.jayden,
            raised_by=self.dana,
            raised_at=TEN_FIFTEEN - dt.timedelta(days=9),
            what="y",
            closed_by=self.dana,
            closed_at=closed,
        )
        first, second = Discussion.objects.filter(student=self.jayden).order_by("pk")
        second.follow_up_on, second.shared_groups = None, ["year9"]
        second.save()
        DiscussionShare.objects.create(discussion=first, user=self.alice, read_at=closed)
        DiscussionShare.objects.create(discussion=first, user=self.dana, read_at=None)
        DiscussionShare.objects.create(discussion=second, user=self.alice, read_at=None)
        for build, args in [
            (_concerns, [self.jayden.pk, self.amy.pk]),
            (_discussions_counted, [self.jayden.pk, self.amy.pk]),
            (_reads_at, [first.pk, second.pk]),
            (_follow_ups, [self.jayden.pk, self.amy.pk]),
        ]:
            read = compiled_query(build)
            for arg in args:
                with self.subTest(read=build.__name__, arg=arg):
                    self.assertEqual(_as_given(read(arg)), _as_given(list(build(arg))))
        open_one, closed_one = compiled_query(_concerns)(self.jayden.pk)
        self.assertEqual(open_one[1:], (TEN_FIFTEEN, None, True, None))
        self.assertEqual(closed_one[2:], (closed, False, self.dana.pk))
        self.assertEqual(open_one[1].utcoffset(), dt.timedelta(0))  # aware, in UTC
        self.assertEqual(compiled_query(_reads_at)(first.pk), [closed, None])
        counted = compiled_query(_discussions_counted)(self.jayden.pk)
        self.assertEqual(
            [
                (row["shared_with"], row["last_read"], row["pastoral"], row["undated"])
                for row in counted
            ],
            [(2, closed, True, False), (1, None, False, True)],
        )

    def test_it_converts_as_django_does_in_a_time_zone_changed_after_compiling(self):
        read = compiled_query(_concerns)
        Concern.objects.create(
            student=self.amy, raised_by=self.alice, raised_at=TEN_FIFTEEN, what="x"
        )
        self.assertEqual(_as_given(read(self.amy.pk)), _as_given(list(_concerns(self.amy.pk))))
        with override_settings(USE_TZ=False):
            self.assertEqual(_as_given(read(self.amy.pk)), _as_given(list(_concerns(self.amy.pk))))

    def test_it_gives_dicts_and_flat_values_as_the_queryset_does(self):
        as_dicts = compiled_query(
            lambda student_id: Student.objects.filter(pk=student_id).values("upn", "year_group")
        )
        flat = compiled_query(
            lambda student_id: Discussion.objects.filter(student_id=student_id).values_list(
                "recorded_at", flat=True
            )
        )
        self.assertEqual(
            as_dicts(self.amy.pk),
            list(Student.objects.filter(pk=self.amy.pk).values("upn", "year_group")),
        )
        self.assertEqual(
            flat(self.jayden.pk),
            list(
                Discussion.objects.filter(student=self.jayden).values_list("recorded_at", flat=True)
            ),
        )

    def test_it_refuses_a_read_whose_sql_changes_with_its_ids(self):
        with_list = compiled_query(
            lambda student_id: Student.objects.filter(pk__in=range(student_id % 7)).values_list(
                "pk"
            )
        )
        with self.assertRaises(ValueError):
            with_list(self.amy.pk)

    def test_it_reads_a_paged_list_a_slice_at_a_time_as_the_queryset_slices_it(self):
        def discussions(user_id):
            return Discussion.objects.exclude(recorded_by_id=user_id).order_by("pk").values("pk")

        paged = compiled_query(discussions, paged=True)
        for user in (self.charlie, self.alice):
            everything = list(discussions(user.pk))
            for offset, limit in [(0, 2), (1, 2), (2, 5), (9, 1)]:
                with self.subTest(user=user, offset=offset, limit=limit):
                    self.assertEqual(
                        paged(user.pk, limit=limit, offset=offset),
                        everything[offset : offset + limit],
                    )
        with self.assertRaises(TypeError):
            paged(self.alice.pk)  # a page is asked for
        with self.assertRaises(TypeError):
            compiled_query(discussions)(self.alice.pk, limit=1)  # and only of a paged read
        sliced = compiled_query(lambda user_id: discussions(user_id)[:2], paged=True)
        with self.assertRaises(ValueError):
            sliced(self.alice.pk, limit=1)

    def test_it_refuses_model_rows(self):
        models = compiled_query(lambda student_id: Student.objects.filter(pk=student_id))
        with self.assertRaises(TypeError):
            models(self.amy.pk)

    def test_it_writes_an_id_as_text_where_the_queryset_does(self):
        make_student(upn="4242", first="Zara", last="Khan")
        by_upn = compiled_query(
            lambda number: Student.objects.filter(upn=str(number)).values_list(
                "legal_first_name", flat=True
            )
        )
        self.assertEqual(by_upn(4242), ["Zara"])
        self.assertEqual(by_upn(4243), [])

    def test_it_takes_dates_prepared_as_the_queryset_prepares_them(self):
        def due(student_id, since, until):
            return Discussion.objects.filter(
                student_id=student_id, follow_up_on__gte=since, follow_up_on__lte=until
            ).values_list("follow_up_on", flat=True)

        read = compiled_query(due)
        for since, until in [
            (dt.date(2026, 12, 1), dt.date(2026, 12, 1)),
            (dt.date(2026, 12, 2), dt.date(2026, 12, 31)),
            (dt.date(2026, 11, 1), dt.date(2026, 12, 2)),
            (dt.date(2027, 1, 1), dt.date(2027, 1, 2)),
        ]:
            with self.subTest(since=since, until=until):
                rows = read(self.jayden.pk, since, until)
                self.assertEqual(rows, list(due(self.jayden.pk, since, until)))
        self.assertEqual(
            read(self.jayden.pk, dt.date(2026, 12, 2), dt.date(2026, 12, 2)), [dt.date(2026, 12, 2)]
        )

    def test_it_refuses_a_date_it_cannot_put_in_the_sql_as_given(self):
        moved = compiled_query(
            lambda day: Discussion.objects.filter(follow_up_on=day + dt.timedelta(1)).values_list(
                "pk"
            )
        )
        against_a_moment = compiled_query(
            lambda day: Discussion.objects.filter(recorded_at__gte=day).values_list("pk")
        )
        with self.assertRaises(ValueError):
            moved(dt.date(2026, 12, 1))
        # A date given for a DateTimeField is made a (naive) moment: not what the call gives.
        with self.assertRaises(ValueError), self.assertWarns(RuntimeWarning):
            against_a_moment(dt.date(2026, 12, 1))

    def test_it_takes_moments_prepared_as_the_queryset_prepares_them(self):
        def recorded(student_id, since, until):
            return Discussion.objects.filter(
                student_id=student_id, recorded_at__gte=since, recorded_at__lt=until
            ).values_list("recorded_at", flat=True)

        read = compiled_query(recorded)
        for since, until in [
            (TEN_FIFTEEN - dt.timedelta(days=3), TEN_FIFTEEN),
            (TEN_FIFTEEN - dt.timedelta(days=2), TEN_FIFTEEN - dt.timedelta(days=1)),
            (TEN_FIFTEEN - dt.timedelta(days=1, seconds=1), TEN_FIFTEEN - dt.timedelta(days=1)),
            (TEN_FIFTEEN.astimezone(dt.UTC) - dt.timedelta(days=5), TEN_FIFTEEN),
        ]:
            for student in (self.jayden, self.amy):
                with self.subTest(since=since, until=until, student=student):
                    rows = read(student.pk, since, until)
                    self.assertEqual(rows, list(recorded(student.pk, since, until)))
        self.assertEqual(
            len(read(self.jayden.pk, TEN_FIFTEEN - dt.timedelta(days=3), TEN_FIFTEEN)), 2
        )

    def test_it_refuses_arguments_that_are_neither_ids_nor_dates_nor_moments(self):
        read = compiled_query(
            lambda day: Discussion.objects.filter(follow_up_on=day).values_list("pk")
        )
        for wrong in (TEN_FIFTEEN.replace(tzinfo=None), "2026-12-01", True, 1.0):
            with self.subTest(wrong=wrong), self.assertRaises(TypeError):
                read(wrong)
