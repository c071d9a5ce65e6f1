"""Conduct's settings plus the bare view the page benchmark compares every page with."""

from conduct.settings import *  # noqa: F403
from conduct.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.bench_urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
