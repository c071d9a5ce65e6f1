from conduct.roles import roles_of
from patrol.policies import can_answer_on_call, can_raise_on_call
from sanctions.policies import can_refer


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_roles": frozenset()}
    return {
        "my_roles": roles_of(user),
        "can_refer": can_refer(user),
        "can_raise_on_call": can_raise_on_call(user),
        "can_answer_on_call": can_answer_on_call(user),
    }
