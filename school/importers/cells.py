"""One cell's value read from a roster file: dates, yes/no, UPNs, year groups, codes (ethnicity,
SEN, gender, relationship, channel), times, timetable days and school-year names. A parser raises
ValueError; the `*_HELP` beside it says what was expected."""

from __future__ import annotations

import datetime as dt
import re

from school.importers.files import normalise_header

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")


def parse_date(value: str) -> dt.date:
    """dd/mm/yyyy or ISO yyyy-mm-dd (a date-time is cut to its date); ValueError otherwise."""
    match = _DMY.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    match = _ISO.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    raise ValueError(value)


DATE_HELP = "is not a date (dd/mm/yyyy or yyyy-mm-dd)"

_TRUE = {"true", "yes", "y", "t", "1"}
_FALSE = {"false", "no", "n", "f", "0", ""}


def parse_bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(value)


BOOL_HELP = "is not yes/no (true/false, yes/no, y/n, 1/0)"

UPN_RE = re.compile(r"^[A-Za-z]\d{12}$")


def parse_upn(value: str) -> str:
    if not UPN_RE.match(value):
        raise ValueError(value)
    return value.upper()


UPN_HELP = "is not a UPN (one letter and 12 digits)"

_YEAR_RE = re.compile(r"^(?:y|yr|year|nc)?\s*0?(\d{1,2})$", re.IGNORECASE)


def parse_year(value: str) -> int:
    match = _YEAR_RE.match(value.strip())
    if not match or not 7 <= int(match.group(1)) <= 13:
        raise ValueError(value)
    return int(match.group(1))


YEAR_HELP = "is not a year group 7–13"


# DfE ethnicity codes, as Student.Ethnicity holds them (kept here so reading needs no models).
ETHNICITIES = {
    "WBRI", "WIRI", "WIRT", "WROM", "WOTH", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN",
    "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
}  # fmt: skip


def parse_ethnicity(value: str) -> str:
    code = value.strip().upper() or "NOBT"
    if code not in ETHNICITIES:
        raise ValueError(value)
    return code


ETHNICITY_HELP = "is not a DfE ethnicity code (e.g. WBRI, APKN, REFU, NOBT)"


def parse_time(value: str) -> dt.time:
    match = re.match(r"^(\d{1,2})[:.](\d{2})(?::\d{2})?$", value.strip())
    if not match:
        raise ValueError(value)
    return dt.time(int(match.group(1)), int(match.group(2)))


SEN_CODES = {
    "n": "N",
    "none": "N",
    "k": "K",
    "sensupport": "K",
    "support": "K",
    "e": "E",
    "ehcp": "E",
    "ehcplan": "E",
    "ehc": "E",
    "": "N",
}


def parse_sen(value: str) -> str:
    try:
        return SEN_CODES[normalise_header(value)]
    except KeyError:
        raise ValueError(value) from None


SEN_HELP = "is not an SEN status (N, K or E)"

GENDERS = {
    "m": "M",
    "male": "M",
    "boy": "M",
    "f": "F",
    "female": "F",
    "girl": "F",
    "x": "X",
    "o": "X",
    "other": "X",
    "u": "X",
    "unknown": "X",
    "unspecified": "X",
    "notknown": "X",
    "notstated": "X",
    "": "X",
}


def parse_gender(value: str) -> str:
    try:
        return GENDERS[normalise_header(value)]
    except KeyError:
        raise ValueError(value) from None


GENDER_HELP = "is not a gender (M, F or X)"

RELATIONSHIPS = {
    "mother": "mother",
    "mum": "mother",
    "mom": "mother",
    "mam": "mother",
    "father": "father",
    "dad": "father",
    "stepparent": "step_parent",
    "stepmother": "step_parent",
    "stepfather": "step_parent",
    "stepmum": "step_parent",
    "stepdad": "step_parent",
    "grandparent": "grandparent",
    "grandmother": "grandparent",
    "grandfather": "grandparent",
    "grandma": "grandparent",
    "grandad": "grandparent",
    "granddad": "grandparent",
    "gran": "grandparent",
    "nan": "grandparent",
    "carer": "carer",
    "guardian": "carer",
    "legalguardian": "carer",
    "fostercarer": "foster_carer",
    "fostermother": "foster_carer",
    "fosterfather": "foster_carer",
    "fosterparent": "foster_carer",
    "socialworker": "social_worker",
    "auntuncle": "aunt_uncle",
    "aunt": "aunt_uncle",
    "uncle": "aunt_uncle",
    "auntie": "aunt_uncle",
    "sibling": "sibling",
    "brother": "sibling",
    "sister": "sibling",
    "other": "other",
    "otherrelative": "other",
    "othercontact": "other",
    "familyfriend": "other",
    "relative": "other",
    "": "other",
}


def parse_relationship(value: str) -> str:
    try:
        return RELATIONSHIPS[normalise_header(value)]
    except KeyError:
        raise ValueError(value) from None


RELATIONSHIP_HELP = (
    "is not a relationship (mother, father, step_parent, grandparent, carer, foster_carer, "
    "social_worker, aunt_uncle, sibling, other)"
)

CHANNELS = {
    "email": "email",
    "e": "email",
    "sms": "sms",
    "text": "sms",
    "textmessage": "sms",
    "mobile": "sms",
    "letter": "letter",
    "post": "letter",
    "phone": "phone",
    "call": "phone",
    "phonecall": "phone",
    "telephone": "phone",
    "": "email",
}


def parse_channel(value: str) -> str:
    try:
        return CHANNELS[normalise_header(value)]
    except KeyError:
        raise ValueError(value) from None


CHANNEL_HELP = "is not a contact channel (email, sms, letter, phone)"


def parse_priority(value: str) -> int:
    if value == "":
        return 1
    if not value.isdigit() or int(value) < 1 or int(value) > 99:
        raise ValueError(value)
    return int(value)


PRIORITY_HELP = "is not a priority (1, 2, …)"

_DAY_NAMES = {
    "mon": 1,
    "monday": 1,
    "tue": 2,
    "tues": 2,
    "tuesday": 2,
    "wed": 3,
    "weds": 3,
    "wednesday": 3,
    "thu": 4,
    "thur": 4,
    "thurs": 4,
    "thursday": 4,
    "fri": 5,
    "friday": 5,
}
_WEEKS = {"a": 0, "1": 0, "b": 5, "2": 5}


def parse_cycle_day(value: str) -> int:
    """1–10, or a weekday with an optional week: `Mon A`, `MonA`, `Monday Week 2`, `Wk2 Fri`."""
    text = value.strip().lower()
    if text.isdigit():
        number = int(text)
        if 1 <= number <= 10:
            return number
        raise ValueError(value)
    tokens = re.findall(r"[a-z]+|\d+", text)
    day = None
    week = 0
    for token in tokens:
        if token in ("week", "wk", "w"):
            continue
        if token.startswith("wk") and token[2:] in _WEEKS:
            week = _WEEKS[token[2:]]
            continue
        if token in _DAY_NAMES and day is None:
            day = _DAY_NAMES[token]
            continue
        # "mona" (MonA written together) splits into one token
        if day is None and token[:-1] in _DAY_NAMES and token[-1] in _WEEKS:
            day = _DAY_NAMES[token[:-1]]
            week = _WEEKS[token[-1]]
            continue
        if token in _WEEKS:
            week = _WEEKS[token]
            continue
        raise ValueError(value)
    if day is None:
        raise ValueError(value)
    return day + week


DAY_HELP = "is not a timetable day (1–10, or e.g. Mon A, Monday Week 2)"


def iso_year_name(title: str, starts_on: dt.date | None) -> str:
    """`2026/27` from `2026/27`, `2026-2027`, `2026/2027`, `2026-27`; else from the start date."""
    match = re.search(r"(\d{4})\s*[-/–]\s*(\d{2,4})", title)
    if match:
        first = int(match.group(1))
        return f"{first}/{(first + 1) % 100:02d}"
    if starts_on is not None:
        return f"{starts_on.year}/{(starts_on.year + 1) % 100:02d}"
    raise ValueError(title)


def first_token(value: str) -> str:
    """The first of a comma-separated OneRoster list."""
    return value.split(",")[0].strip() if value else ""


def split_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()] if value else []
