"""Who may do what with messages: one named predicate per action."""

from conduct.roles import Role, has_role

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
