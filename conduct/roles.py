"""The roles staff hold in Conduct. A role is a Django group of the same name; a person may hold
several. Policies in each app ask `has_role`, never the group table directly."""

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db import models

from conduct.lib import refcache


class Role(models.TextChoices):
    CONDUCT = "conduct", "Conduct team"
    TEACHER = "teacher", "Teacher"
    PASTORAL = "pastoral", "Pastoral"
    CURRICULUM = "curriculum", "Curriculum lead"
    SLT = "slt", "Senior leadership"
    DSL = "dsl", "Designated safeguarding lead"
    SENCO = "senco", "SENCO (special educational needs co-ordinator)"
    ATTENDANCE = "attendance", "Attendance"
    ADMIN = "admin", "MIS / data manager"


def roles_of(user) -> frozenset[str]:
    """The role codes a user holds, kept on the user object and in the reference data cache
    until the next change of anyone's groups (conduct/lib/refcache.py)."""
    cached = getattr(user, "_conduct_roles", None)  # every predicate asks: the short way first
    if cached is not None:
        return cached
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return frozenset()
    cached = refcache.cached(f"roles:{user.pk}", lambda: _read_roles(user))
    user._conduct_roles = cached
    return cached


def _read_roles(user) -> frozenset[str]:
    names = set(user.groups.values_list("name", flat=True))
    return frozenset(names & set(Role.values))


def has_role(user, *roles: str) -> bool:
    return not roles_of(user).isdisjoint(roles)


# The data manager configures the school in the Django admin: every school model, accounts and
# their roles (not what a role may do: the groups' permissions are the superuser's), the audit
# log only to read; never parents' messages (docs/roles.md).
ADMIN_ROLE_APPS = ("school",)


def ensure_role_groups() -> None:
    """Create a group for every role and give the admin role its admin-site permissions
    (idempotent)."""
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    admin_group = Group.objects.get(name=Role.ADMIN)
    wanted = (
        Permission.objects.filter(content_type__app_label__in=ADMIN_ROLE_APPS)
        | Permission.objects.filter(
            content_type__app_label="auth",
            codename__in=["view_user", "add_user", "change_user", "view_group"],
        )
        | Permission.objects.filter(content_type__app_label="audit", codename__startswith="view_")
        # The school's own wording of letters and texts, and its reasons and provisions.
        | Permission.objects.filter(content_type__model="messagetemplate")
        # When teachers must set work for students out of lessons by.
        | Permission.objects.filter(
            content_type__app_label="work",
            content_type__model__in=["worksettings", "dayactivity"],
        )
        # Reasons for on-call, the duty rota and staff absences (not records about students).
        | Permission.objects.filter(
            content_type__app_label="patrol",
            content_type__model__in=["oncallreason", "duty", "staffabsence"],
        )
        # The retention schedule (docs/security.md).
        | Permission.objects.filter(
            content_type__app_label="privacy", content_type__model="retentionrule"
        )
        # The room's standards and the restorative questions (never records about students).
        | Permission.objects.filter(
            content_type__app_label="pastoral",
            content_type__model__in=["roomstandard", "restorativequestion"],
        )
        # The school's list of interventions and the review rules' thresholds.
        | Permission.objects.filter(
            content_type__app_label="pastoral",
            content_type__model__in=["interventiontype", "reviewrule"],
        )
        | Permission.objects.filter(
            content_type__app_label="sanctions",
            content_type__model__in=[
                "reasoncategory",
                "provision",
                "provisionroom",
                "escalationrule",
            ],
        )
    )
    # Exactly these: a permission given before (reading parents' messages, editing what a role
    # may do) is taken away on the next migrate.
    if set(admin_group.permissions.values_list("pk", flat=True)) != set(
        wanted.values_list("pk", flat=True)
    ):
        admin_group.permissions.set(wanted)


def grant_roles(user, *roles: str) -> None:
    """Give a user roles; the admin role also opens the Django admin site."""
    ensure_role_groups()
    user.groups.add(*Group.objects.filter(name__in=roles))
    if Role.ADMIN in roles and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_conduct_roles", None)
