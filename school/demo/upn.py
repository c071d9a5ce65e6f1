"""Unique pupil numbers (UPN): a check letter then 12 digits (LA, establishment, year, serial).

The DfE check letter: multiply the digits in positions 2–13 by their position (2–13), sum,
take the remainder after dividing by 23, and map 0–22 onto A–Z without I, O and S. (DfE
"Unique pupil numbers" guidance; the school census validation 1510 applies it.)
"""

import re

CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN = re.compile(r"^[A-HJ-NP-RT-Z]\d{12}$")


def check_letter(digits: str) -> str:
    """The check letter for the 12 digits of a permanent UPN."""
    if len(digits) != 12 or not digits.isdigit():
        raise ValueError(f"a UPN has 12 digits after its check letter, not {digits!r}")
    total = sum(int(d) * weight for weight, d in enumerate(digits, start=2))
    return CHECK_LETTERS[total % 23]


def make_upn(la: int, establishment: int, year: int, serial: int) -> str:
    digits = f"{la:03d}{establishment:04d}{year % 100:02d}{serial:03d}"
    return check_letter(digits) + digits


def is_valid_upn(upn: str) -> bool:
    """A permanent UPN whose check letter is right."""
    return bool(_UPN.match(upn)) and upn[0] == check_letter(upn[1:])
