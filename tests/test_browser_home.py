"""In a real browser: each role signs in and sees its home page; a student is found and located."""

from tests.base import TEN_FIFTEEN, freeze_clock, make_calendar_and_timetable
from tests.browser import PHONE, BrowserTestCase


class HomeInTheBrowserTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        make_calendar_and_timetable(self)
        freeze_clock(self, TEN_FIFTEEN)

    def test_it_shows_each_role_what_it_needs_today(self):
        expectations = {
            "teacher": (self.alice, "My lessons today"),
            "conduct": (self.bob, "Students on roll"),
            "pastoral": (self.charlie, "My year group"),
            "dsl": (self.dana, "Students on roll"),
            "slt": (self.evan, "Students on roll"),
            "admin": (self.fay, "School data"),
            "attendance": (self.gita, "Students on roll"),
            "curriculum": (self.hugo, "My lessons today"),
            "no-role": (self.olive, "Your account has no role yet"),
        }
        for role, (person, panel) in expectations.items():
            with self.subTest(role=role):
                page = self.new_page()
                self.sign_in(page, person)
                self.assertIn("Wednesday 25 November 2026", page.locator(".lede").inner_text())
                self.assertIn("Autumn 2", page.locator(".lede").inner_text())
                self.assertTrue(page.get_by_role("heading", name=panel).is_visible())
                self.screenshot(page, f"home-{role}")
                page.context.close()
                self.contexts.remove(page.context)

    def test_it_lists_the_teachers_lessons_with_the_current_one_marked(self):
        page = self.new_page(viewport=PHONE)
        self.sign_in(page, self.alice)
        current = page.locator("tr.current")
        self.assertIn("9X/Ma1", current.inner_text())
        self.assertIn("M4", current.inner_text())
        self.assertIn("P2", current.inner_text())
        self.assertIn("now: Period 2 until 11:00", page.locator(".lede").inner_text())
        self.screenshot(page, "home-teacher-phone")

    def test_it_finds_a_student_and_says_where_they_are_now(self):
        page = self.new_page()
        self.sign_in(page, self.bob)
        self.visit(page, "/students/")
        page.get_by_label("Name, UPN or form").fill("walsh")
        # htmx replaces the results as the officer types, without a page load.
        page.get_by_role("link", name="Walsh, Jayden").click()
        page.wait_for_load_state()
        self.assert_accessible(page)
        where = page.get_by_role("region", name="Where now")
        self.assertIn("M4 Maths 4", where.inner_text())
        self.assertIn("9X/Ma1", where.inner_text())
        self.assertIn("Ms A Teague", where.inner_text())
        self.screenshot(page, "student-profile-conduct")

    def test_it_refuses_a_wrong_password_with_a_clear_message(self):
        page = self.new_page()
        self.visit(page, "/login/")
        page.get_by_label("Username").fill("alice")
        page.get_by_label("Password").fill("not-her-password")
        page.get_by_role("button", name="Sign in").click()
        self.assertIn("don't match an account", page.get_by_role("alert").inner_text())
        self.assert_accessible(page)

    def test_it_catches_a_page_that_scrolls_sideways_on_a_phone(self):
        page = self.new_page()
        page.set_content('<body style="margin:0"><p>Fine</p><div style="width:600px">Wide</div>')
        with self.assertRaisesMessage(AssertionError, "scrolls sideways on a 390 px phone"):
            self.assert_fits_a_phone(page)
        self.assertEqual(page.viewport_size["width"], 1366)  # put back as it was
        page.set_content('<body style="margin:0"><div style="max-width:100%">Narrow</div>')
        self.assert_fits_a_phone(page)

    def test_it_shows_the_dsl_who_has_looked_at_a_child(self):
        self.client.force_login(self.alice)
        self.client.get(f"/students/{self.student.pk}/")
        page = self.new_page()
        self.sign_in(page, self.dana)
        self.visit(page, f"/students/{self.student.pk}/")
        page.get_by_role("link", name="Who has looked at Jayden’s records").click()
        page.wait_for_load_state()
        self.assert_accessible(page)
        self.assert_fits_a_phone(page)
        self.assertIn("Alice Teague", page.locator("table").inner_text())
        self.screenshot(page, "student-who-has-looked")
