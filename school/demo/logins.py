"""The demo's logins: one member of staff per role, all with one password."""

DEMO_PASSWORD = "conduct-demo"

# The demo logins: username, roles, title, first, last, job title, department, teaches.
LOGINS = [
    (
        "conduct",
        ("conduct",),
        "Mr",
        "Darren",
        "Whitehouse",
        "Internal Exclusion Officer",
        None,
        False,
    ),
    ("teacher", ("teacher",), "Ms", "Priya", "Chauhan", "Teacher of English", "EN", True),
    (
        "pastoral",
        ("pastoral", "teacher"),
        "Mr",
        "Tom",
        "Brennan",
        "Head of Year 9 and Teacher of Geography",
        "HU",
        True,
    ),
    (
        "curriculum",
        ("curriculum", "teacher"),
        "Mrs",
        "Sarah",
        "Adeyemi",
        "Head of Mathematics",
        "MA",
        True,
    ),
    (
        "slt",
        ("slt",),
        "Mr",
        "Gareth",
        "Lloyd",
        "Deputy Headteacher (Behaviour and Attendance)",
        None,
        False,
    ),
    ("dsl", ("dsl",), "Mrs", "Joanne", "Marsh", "Designated Safeguarding Lead", None, False),
    ("attendance", ("attendance",), "Mrs", "Nasreen", "Akhtar", "Attendance Officer", None, False),
    ("admin", ("admin",), "Mr", "Kevin", "Doyle", "Data Manager", None, False),
]
LOGIN_ROLES = {username: roles for username, roles, *_ in LOGINS}
