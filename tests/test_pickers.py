"""Forms' pickers of staff and students listed as plain rows (school/selectors/pickers.py,
`IdChoiceField.offer`): the same HTML as Django's ModelChoiceField writes, the same refusal of
an id outside the choices, a forged id refused, and a head of year's student picker limited to
the student's year as before."""

import datetime as dt

from django import forms as django_forms
from django.urls import reverse

from pastoral.forms import DiscussionForm, ExitInterviewForm, RestorativePlanForm
from pastoral.models import RestorativeMeeting
from patrol.forms import SentOutForm
from school.models import Room, Staff, Student
from tests.base import SchoolDayTestCase, make_student, make_student_of_year_10

NOT_A_CHOICE = "Select a valid choice. That choice is not one of the available choices."


def options(html: str) -> str:
    """A <select>'s options (its own attributes name the field)."""
    return html[html.index("<option") :]


def django_select(queryset, *, empty_label="---------", label=None) -> str:
    """The options Django's own ModelChoiceField writes for `queryset`."""

    class Reference(django_forms.Form):
        pick = django_forms.ModelChoiceField(queryset, empty_label=empty_label, required=False)

    form = Reference()
    if label is not None:
        form.fields["pick"].label_from_instance = label
    return options(str(form["pick"]))


def select_of(bound_field) -> str:
    return options(str(bound_field))


class PickersTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mia = make_student(upn="E123456789012", first="Mia", last="Jones", form=cls.form)
        cls.zoe = make_student(
            upn="C123456789012", first="Zoe", last="Adams", preferred_first_name="Zed"
        )
        cls.left = make_student(
            upn="D123456789012", first="Lee", last="Gone", left_on=dt.date(2026, 9, 1)
        )
        cls.other_year = make_student_of_year_10()
        cls.away = Staff.objects.create(
            staff_code="GONE", title="Mr", first_name="Ian", last_name="Left", is_active=False
        )
        cls.url = reverse("restorative-new", args=[cls.student.pk])

    def plan(self, **fields):
        data = {"starts_at": "2026-11-26T12:30", "place": "Office", "level": "pastoral"}
        return self.client.post(self.url, {**data, **fields})

    def test_the_restorative_pickers_write_what_django_writes(self):
        form = RestorativePlanForm(student=self.student)
        staff = Staff.objects.filter(is_active=True).order_by("last_name", "first_name")
        students = (
            Student.objects.filter(year_group=self.year9, left_on__isnull=True)
            .exclude(pk=self.student.pk)
            .select_related("form")
            .order_by("legal_last_name", "legal_first_name")
        )

        assert select_of(form["affected_staff"]) == django_select(staff, empty_label="(none)")
        assert select_of(form["facilitator"]) == django_select(staff)
        assert select_of(form["affected_student"]) == django_select(
            students,
            empty_label="(none)",
            label=lambda s: s.name + (f" ({s.form})" if s.form else ""),
        )

    def test_the_staff_with_an_account_are_offered_as_django_offered_them(self):
        accounts = Staff.objects.filter(user__isnull=False, user__is_active=True).order_by(
            "last_name", "first_name"
        )
        self.alice.is_active = False
        self.alice.save()

        assert "Teague" not in str(DiscussionForm()["named"])
        assert select_of(DiscussionForm()["named"]) == django_select(accounts)
        assert select_of(ExitInterviewForm()["check_in_by"]) == django_select(accounts)

    def test_a_head_of_years_student_picker_lists_only_the_others_on_roll_of_that_year(self):
        self.login(self.charlie)  # head of year 9

        page = self.client.get(self.url).content.decode()
        picker = page[page.index('<select name="affected_student"') :]
        picker = picker[: picker.index("</select>")]

        assert picker.count("<option") == 3
        assert '<option value="" selected>(none)</option>' in picker
        assert f'<option value="{self.zoe.pk}">Zed Adams (9B)</option>' in picker
        assert f'<option value="{self.mia.pk}">Mia Jones (9B)</option>' in picker

    def test_a_student_or_staff_outside_the_choices_is_refused_as_before(self):
        self.login(self.charlie)

        for fields in (
            {"affected_student": self.other_year.pk},
            {"affected_student": self.left.pk},
            {"affected_student": self.student.pk},
            {"affected_staff": self.away.pk},
            {"affected_staff": self.alice.staff.pk, "facilitator": self.away.pk},
            {"affected_staff": "999999"},
        ):
            page = self.plan(**fields)
            self.assertContains(page, NOT_A_CHOICE, msg_prefix=str(fields))
        assert not RestorativeMeeting.objects.exists()

    def test_a_forged_id_is_refused_as_not_a_choice(self):
        self.login(self.charlie)
        # "٣" is an Arabic-Indic three: int() reads it as 3, a database id is ASCII digits.
        arabic = str(self.charlie.staff.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))

        for forged in ("abc", "²", "1.5", "9" * 30, arabic, f" {self.charlie.staff.pk}"):
            page = self.plan(affected_student=self.mia.pk, facilitator=forged)
            self.assertContains(page, NOT_A_CHOICE, msg_prefix=repr(forged))
        page = self.plan(affected_student=self.mia.pk, facilitator=self.charlie.staff.pk)
        assert RestorativeMeeting.objects.get().facilitator == self.charlie.staff
        assert page.status_code == 302

    def test_a_student_in_no_form_is_named_alone(self):
        Student.objects.filter(pk=self.mia.pk).update(form=None)

        html = str(RestorativePlanForm(student=self.student)["affected_student"])

        assert f'<option value="{self.mia.pk}">Mia Jones</option>' in html


class RoomPickersTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.closed = Room.objects.create(code="OLD", name="Old hut", is_active=False)
        cls.m4 = Room.objects.get(code="M4")

    def test_the_raise_page_marks_the_room_chosen_and_lists_only_active_rooms(self):
        self.login(self.alice)
        url = reverse("on-call-raise")

        def rooms(**query) -> str:
            page = self.client.get(url, query).content.decode()
            return page.split('name="room"')[1].split("</select>")[0]

        picker = rooms(room=self.m4.pk)
        assert f'<option value="{self.m4.pk}" selected>{self.m4}</option>' in picker
        assert picker.count(" selected>") == 1
        picker = rooms(room=self.closed.pk)
        assert "Old hut" not in picker
        assert " selected>" not in picker

    def test_the_buddy_room_picker_refuses_a_room_outside_the_choices_as_before(self):
        self.login(self.alice)
        field = SentOutForm()["sent_to_room"]
        assert select_of(field) == django_select(Room.objects.filter(is_active=True))

        for room in (self.closed.pk, "abc", "²"):
            page = self.client.post(
                reverse("sent-out-new"),
                {
                    "student": self.student.pk,
                    "sent_to": "buddy_room",
                    "sent_to_room": room,
                    "reason": "r",
                },
            )
            self.assertContains(page, NOT_A_CHOICE, status_code=400, msg_prefix=str(room))
