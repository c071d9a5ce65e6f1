from conduct.roles import roles_of
from sanctions.policies import can_refer


def navigation(request):
    user = getattr(request, "user", None)
    return {"my_roles": roles_of(user), "can_refer": can_refer(user)}
