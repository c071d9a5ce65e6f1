"""The roster upload page for the data manager (being built)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from school import policies


def roster_import_page(request):
    if not policies.can_import_roster(request.user):
        raise PermissionDenied
    return render(request, "school/import.html", {})
