"""demographics.csv: each student's date of birth, sex and the UK fields (SEN, FSM, pupil premium,
EAL, looked-after, ethnicity)."""

from __future__ import annotations

from school.importers import cells as c
from school.importers.files import Problems, Table
from school.importers.oneroster.fields import deleted, unique_rows
from school.importers.oneroster.users import People
from school.importers.roster import Reader

DEMOGRAPHIC_FIELDS = {
    "sourcedId": ("sourcedId",),
    "status": ("status",),
    "birthDate": ("birthDate",),
    "sex": ("sex",),
    "senStatus": ("metadata.uk.senStatus",),
    "fsm": ("metadata.uk.fsm",),
    "pupilPremium": ("metadata.uk.pupilPremium",),
    "eal": ("metadata.uk.eal",),
    "lookedAfter": ("metadata.uk.lookedAfter",),
    "ethnicity": ("metadata.uk.ethnicity",),
}


def parse_demographics(table: Table | None, people: People, problems: Problems):
    found: set[str] = set()
    if table is not None:
        r = Reader(table, problems, DEMOGRAPHIC_FIELDS)
        if not r.require_columns("sourcedId", "birthDate"):
            return
        for row in unique_rows(r):
            sid = r.get(row, "sourcedId")
            record = people.students.get(sid)
            if record is None or deleted(r, row):
                continue  # staff and guardians' demographics are not Conduct's business
            found.add(sid)
            record["date_of_birth"] = r.parse(
                row, "birthDate", c.parse_date, c.DATE_HELP, required=True
            )
            record["gender"] = r.parse(row, "sex", c.parse_gender, c.GENDER_HELP)
            if r.has("senStatus"):
                record["sen_status"] = r.parse(row, "senStatus", c.parse_sen, c.SEN_HELP)
            for key, name in (
                ("fsm", "fsm"),
                ("pupilPremium", "pupil_premium"),
                ("eal", "eal"),
                ("lookedAfter", "looked_after"),
            ):
                if r.has(key):
                    record[name] = r.parse(row, key, c.parse_bool, c.BOOL_HELP)
            if r.has("ethnicity"):
                record["ethnicity"] = r.parse(row, "ethnicity", c.parse_ethnicity, c.ETHNICITY_HELP)
    for sid in people.students:
        if sid not in found:
            reader, row = people.student_rows[sid]
            reader.problem(
                row,
                "sourcedId",
                "no row in demographics.csv for this student (the date of birth is required)",
            )
