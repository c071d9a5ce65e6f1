"""The staff: the demo logins, support posts, each department's teachers with its head, and the
heads of year."""

from collections import defaultdict

from school.demo.builder import Builder
from school.demo.curriculum import DEPARTMENTS, SUBJECTS
from school.demo.data import StaffRow
from school.demo.logins import LOGINS

# Staff who do not teach, besides the demo logins: job title (repeated for several).
SUPPORT_STAFF = [
    "Headteacher",
    "Deputy Headteacher (Curriculum)",
    "Assistant Headteacher (Personal Development)",
    "Assistant Headteacher (Teaching and Learning)",
    "SENCO",
    "School Business Manager",
    "Reflection Room Supervisor",
    "Office Manager",
    "Cover Supervisor",
    "Teaching Assistant",
]


def generate_staff(b: Builder, capacity: dict[str, int]) -> list[StaffRow]:
    rng = b.rng
    dept_order = [d for d, _ in DEPARTMENTS if d in capacity]
    logins_by_dept = defaultdict(list)
    for username, roles, title, first, last, job, dept, teaches in LOGINS:
        row = b.add_staff(
            title,
            first,
            last,
            job,
            dept if teaches else None,
            teaches,
            username=username,
            roles=roles,
        )
        if teaches:
            if dept in capacity:
                logins_by_dept[dept].append(row)
            else:  # a tiny school without this department: teach the largest one
                row.department = dept_order[0]
                logins_by_dept[dept_order[0]].append(row)
    support = (
        SUPPORT_STAFF if b.p.support_staff is None else ((SUPPORT_STAFF * 10)[: b.p.support_staff])
    )
    if "Headteacher" not in support:
        support = ["Headteacher", *support[1:]]
    for job in support:
        title, first, last = b.new_colleague()
        if job == "Headteacher":
            title, first, last = "Dr", "Rachel", "Whitfield"
        b.add_staff(title, first, last, job, None, False)
    year_leads = [y for y in b.p.years if y != 9]
    for dept in dept_order:
        name = dict(DEPARTMENTS)[dept]
        members = list(logins_by_dept[dept])
        while len(members) < capacity[dept]:
            title, first, last = b.new_colleague(doctor_chance=0.04)
            taught = [n for c, n, d in SUBJECTS if d == dept and c not in ("Ss", "Cs")]
            subject = taught[len(members) % len(taught)]
            members.append(b.add_staff(title, first, last, f"Teacher of {subject}", dept, True))
        if not any(
            m.job_title.startswith("Head of ") and "Year" not in m.job_title for m in members
        ):
            lead = next(m for m in members if not m.username)
            lead.job_title = f"Head of {name}"
        for m in members:
            if m.job_title.startswith("Head of ") and "Year" not in m.job_title:
                m.max_load = 38
    # Heads of year: the pastoral login leads year 9; others are experienced teachers.
    pastoral = next(s for s in b.staff if s.username == "pastoral")
    if 9 not in b.p.years:
        year_leads = list(b.p.years)
        pastoral.job_title = f"Head of Year {year_leads.pop(0)} and Teacher of Geography"
    pastoral.max_load = 30
    candidates = [
        s
        for s in b.staff
        if s.teaches and not s.username and not s.job_title.startswith("Head of ")
    ]
    rng.shuffle(candidates)
    for year, lead in zip(year_leads, candidates, strict=False):
        subject = lead.job_title.removeprefix("Teacher of ")
        lead.job_title = f"Head of Year {year} and Teacher of {subject}"
        lead.max_load = 30
    return b.staff
