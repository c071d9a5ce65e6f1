"""Provisions with rooms, for tests of referrals and placements."""

from sanctions.models import Provision, ProvisionRoom, ReasonCategory
from school.models import Room


def make_provision_rooms(target, *, ie_capacity: int = 2) -> None:
    """IE in room IE1 (`ie_capacity` places), RR in RR1 (8 places), ALD in ALD1 (6)."""
    target.ie = Provision.objects.get(kind=Provision.Kind.INTERNAL_EXCLUSION)
    target.rr = Provision.objects.get(kind=Provision.Kind.REFLECTION_ROOM)
    target.ald = Provision.objects.get(kind=Provision.Kind.ALTERNATIVE_LEARNING_DAY)
    target.suspension = Provision.objects.get(kind=Provision.Kind.SUSPENSION_REVIEW)
    target.ie_room = Room.objects.create(code="IE1", name="Internal exclusion room")
    target.rr_room = Room.objects.create(code="RR1", name="Reflection room")
    ald_room = Room.objects.create(code="ALD1", name="Learning base")
    ProvisionRoom.objects.create(provision=target.ie, room=target.ie_room, capacity=ie_capacity)
    ProvisionRoom.objects.create(provision=target.rr, room=target.rr_room, capacity=8)
    ProvisionRoom.objects.create(provision=target.ald, room=ald_room, capacity=6)
    target.refusal = ReasonCategory.objects.get(code="RFB")
    target.assault = ReasonCategory.objects.get(code="PP")
