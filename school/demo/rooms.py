"""Rooms: each teacher's own room (so no room is ever double-booked) and the school's others."""

from collections import Counter

from school.demo.data import StaffRow

PE_SPACES = ["SH", "GYM", "MUGA", "FLD", "DS", "PE6", "PE7", "PE8", "PE9", "PE10", "PE11"]
PE_SPACE_NAMES = {
    "SH": "Sports hall",
    "GYM": "Gym",
    "MUGA": "Multi-use games area",
    "FLD": "Playing field",
    "DS": "Dance studio",
}

ROOM_KINDS = {
    # subject or department: (code prefix, room name, capacity)
    "MA": ("M", "Maths classroom", 32),
    "EN": ("E", "English classroom", 32),
    "SC": ("S", "Science lab", 30),
    "HU": ("H", "Humanities classroom", 32),
    "MFL": ("L", "Languages classroom", 30),
    "CO": ("C", "ICT suite", 30),
    "PS": ("P", "Classroom", 32),
    "ART": ("AR", "Art studio", 28),
    "TE": ("DT", "Technology workshop", 24),
    "Art and Design": ("AR", "Art studio", 28),
    "Music": ("MU", "Music room", 30),
    "Drama": ("DR", "Drama studio", 30),
    "Design and Technology": ("DT", "Technology workshop", 24),
    "Food Preparation and Nutrition": ("FT", "Food room", 24),
}
OTHER_ROOMS = [
    ("HALL", "Main hall", 250),
    ("LIB", "Library", 60),
    ("IE1", "Internal exclusion room", 12),
    ("RR1", "Reflection room", 10),
    ("LSU", "Learning support base", 15),
    ("SSC", "Student services", 8),
]


def give_rooms(staff: list[StaffRow]) -> list[tuple[str, str, int]]:
    """Every teacher teaches in their own room, so no room is ever double-booked."""
    rooms: list[tuple[str, str, int]] = []
    counts: Counter = Counter()
    pe = iter(PE_SPACES)
    for s in staff:
        if not s.teaches:
            continue
        if s.department == "PE":
            code = next(pe, None) or f"PE{len(rooms)}"
            s.room = code
            rooms.append((code, PE_SPACE_NAMES.get(code, "PE space"), 60))
            continue
        speciality = s.job_title.rsplit("Teacher of ", 1)[-1]
        prefix, name, size = ROOM_KINDS.get(speciality) or ROOM_KINDS[s.department]
        counts[prefix] += 1
        s.room = f"{prefix}{counts[prefix]}"
        rooms.append((s.room, f"{name} {counts[prefix]}", size))
    return sorted(rooms) + OTHER_ROOMS
