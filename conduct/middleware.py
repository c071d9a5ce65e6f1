from django.contrib.auth.views import redirect_to_login

PUBLIC_PREFIXES = ("/login/", "/static/", "/healthz")


class LoginRequiredEverywhere:
    """Every page needs a signed-in user, except the login page, static files and health check.

    Role checks are each app's policies; this only makes sure an anonymous visitor never reaches a
    view that forgot its decorator.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            if request.path.startswith("/admin/"):
                return self.get_response(request)  # the admin site has its own login page
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
