from conduct.roles import roles_of


def navigation(request):
    return {"my_roles": roles_of(getattr(request, "user", None))}
