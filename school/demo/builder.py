"""The one seeded random source a demo school is drawn from, and what must stay unique across the
school while it is drawn (staff codes and names, emails, UPNs)."""

import datetime as dt
import random
import uuid
from collections import Counter

from school.demo import names as N
from school.demo.data import Params, StaffRow
from school.demo.logins import LOGINS
from school.demo.term_dates import academic_year_start, english_calendar


def new_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def ascii_letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalpha())


class Builder:
    """Draws the school's people from one seeded `random.Random`, keeping staff codes, staff
    names, emails and UPNs unique across the whole school."""

    def __init__(self, params: Params):
        self.p = params
        self.rng = random.Random(params.seed)
        today = params.today or dt.date.today()
        self.start_year = academic_year_start(today)
        self.calendar = english_calendar(self.start_year)
        self.staff: list[StaffRow] = []
        self.staff_codes: set[str] = set()
        self.emails: set[str] = set()
        self.upns: set[str] = set()
        self.upn_serials: Counter = Counter()
        self.staff_names: set[tuple[str, str]] = {
            (first, last) for _, _, _, first, last, *_ in LOGINS
        }

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def staff_code(self, first: str, last: str) -> str:
        letters = ascii_letters(last).upper() or "X"
        base = (ascii_letters(first)[:1].upper() or "X") + letters[:1]
        for extra in letters[1:] + "ABCDEFGHJKLMNPRSTVWXYZ":
            code = base + extra
            if code not in self.staff_codes:
                self.staff_codes.add(code)
                return code
        n = 2
        while f"{base}{n}" in self.staff_codes:
            n += 1
        self.staff_codes.add(f"{base}{n}")
        return f"{base}{n}"

    def staff_email(self, first: str, last: str) -> str:
        local = f"{ascii_letters(first)[:1]}.{ascii_letters(last)}"
        email, n = f"{local}@northfield-academy.example", 2
        while email in self.emails:
            email, n = f"{local}{n}@northfield-academy.example", n + 1
        self.emails.add(email)
        return email

    def add_staff(self, title, first, last, job, dept, teaches, username="", roles=()):
        row = StaffRow(
            source_id=new_uuid(self.rng),
            staff_code=self.staff_code(first, last),
            title=title,
            first_name=first,
            last_name=last,
            email=self.staff_email(first, last),
            job_title=job,
            department=dept,
            teaches=teaches,
            username=username,
            roles=tuple(roles),
        )
        self.staff.append(row)
        return row

    def random_adult(self, heritage: str | None = None) -> tuple[str, str, str, str]:
        """title, first name, last name, gender of an invented adult."""
        if heritage is None:
            heritage = "british" if self.rng.random() < 0.75 else self.pick(list(N.PARENT_NAMES))
        men, women = N.PARENT_NAMES[heritage]
        last = self.pick(N.split(N.HERITAGE[heritage][2]))
        if self.rng.random() < 0.4:
            return "Mr", self.pick(N.split(men)), last, "M"
        title = self.pick(N.STAFF_TITLES_WOMEN)
        return title, self.pick(N.split(women)), N.feminine_surname(last, heritage), "F"

    def new_colleague(self, doctor_chance: float = 0.0) -> tuple[str, str, str]:
        """A member of staff whose full name nobody else on the staff has."""
        while True:
            title, first, last, _ = self.random_adult()
            if (first, last) not in self.staff_names:
                self.staff_names.add((first, last))
                return ("Dr" if self.rng.random() < doctor_chance else title), first, last
