"""Who may do what with messages: one named predicate per action."""

from conduct.roles import Role, has_role
from notify.models import Message
from school import policies as school_policies

# The people who contact families about behaviour: the conduct team, heads of year and pastoral
# staff, senior leaders and the DSL. Teachers and the rest do not read messages to parents.
PARENT_MESSAGE_ROLES = (Role.CONDUCT, Role.PASTORAL, Role.SLT, Role.DSL)


def can_view_messages(user) -> bool:
    """The message list, a message's page and its letter PDF."""
    return has_role(user, *PARENT_MESSAGE_ROLES)


def can_edit_messages(user) -> bool:
    """Change a draft's wording, cancel a message, retry a failed one, mark a letter posted."""
    return has_role(user, *PARENT_MESSAGE_ROLES)


def can_approve_messages(user) -> bool:
    """Approve a draft, which sends it (or readies a letter for posting)."""
    return has_role(user, *PARENT_MESSAGE_ROLES)


def can_view_message(user, message: Message) -> bool:
    """One message (its page and letter PDF): pastoral staff read their years' families' only;
    a message about no student (e.g. to staff), only those whose role reaches every year."""
    if message.student_id is None:
        return can_view_messages(user) and not school_policies.is_year_scoped(
            user, PARENT_MESSAGE_ROLES
        )
    return school_policies.reaches(user, message.student, PARENT_MESSAGE_ROLES)


def can_edit_message(user, message: Message) -> bool:
    return can_edit_messages(user) and can_view_message(user, message)


def can_approve_message(user, message: Message) -> bool:
    return can_approve_messages(user) and can_view_message(user, message)


def messages_scope(user):
    """The filter of the messages `user` may read: pastoral staff, their years' families'."""
    return school_policies.scope_q(user, PARENT_MESSAGE_ROLES, "student__")


def can_view_inbox(user) -> bool:
    """Your own inbox: everyone signed in (a notice may reach any member of staff)."""
    return bool(user is not None and getattr(user, "is_authenticated", False))
