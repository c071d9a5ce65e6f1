"""How a colleague is named on a card or in a message."""


def person_name(user) -> str:
    """How a colleague is named on a card: the staff record's "Mr B Patel", else the account."""
    if user is None:
        return ""
    staff = getattr(user, "staff", None)
    if staff is not None:
        return staff.display_name
    return user.get_full_name() or user.get_username()
