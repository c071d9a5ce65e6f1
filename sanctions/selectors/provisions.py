"""The school's provisions and their rooms: reference data every home page and the referral
list read, kept in the reference data cache until the next change to provisions, their rooms or
the rooms (conduct/lib/refcache.py). Answers are shared: never change one."""

from django.db.models import Q

from conduct.lib import refcache
from sanctions.models import Provision, ProvisionRoom


def all_provisions() -> list[Provision]:
    """Every provision, in the model's order (by kind)."""
    return list(refcache.cached("provisions", lambda: list(Provision.objects.all())))


def bookable_provision_rooms() -> list[ProvisionRoom]:
    """Each bookable provision's rooms with the provision and the room, by provision kind then
    the rooms' order."""

    def read() -> list[ProvisionRoom]:
        rooms = ProvisionRoom.objects.select_related("provision", "room").filter(
            ~Q(provision__is_bookable=False)
        )
        return list(rooms.order_by("provision__kind", "order"))

    return list(refcache.cached("bookable_provision_rooms", read))


def provisions_in_room(room_id: int) -> list[Provision]:
    """The provisions that use a room, by kind."""
    return list(
        refcache.cached(
            f"provisions_in_room:{room_id}",
            lambda: list(
                Provision.objects.filter(rooms__room_id=room_id).order_by("kind").distinct()
            ),
        )
    )
