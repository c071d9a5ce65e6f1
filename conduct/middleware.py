from django.contrib.auth.views import redirect_to_login

# /admin/login/ only sends the visitor on to /login/ (accounts.views.admin_login).
PUBLIC_PREFIXES = ("/login/", "/admin/login/", "/static/", "/healthz")


class LoginRequiredEverywhere:
    """Every page needs a signed-in user, except the login page, static files and health check.

    Role checks are each app's policies; this only makes sure an anonymous visitor never reaches a
    view that forgot its decorator. The admin site too: its sign-in is the same protected page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
