"""Conduct's URLs plus /bench/bare/: the same middleware, session and signed-in user as every
page, and a small template (the yardstick of issue 15)."""

from django.shortcuts import render
from django.urls import include, path


def bare(request):
    return render(request, "bench_bare.html", {"items": range(10)})


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), path("", include("conduct.urls"))]
