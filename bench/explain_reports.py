"""EXPLAIN the weekly dashboard's placement and register-day queries on the reports benchmark's
five years of data, freshly loaded (no ANALYZE): which index each database uses.

    python bench/explain_reports.py                    # SQLite in a temporary file
    python bench/explain_reports.py --postgres postgresql://…/bench_reports_x
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", help="a PostgreSQL URL to a database named bench_*")
    args = parser.parse_args()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "conduct.settings",
            "SECRET_KEY": "bench-explain-" + "x" * 40,
            "DEBUG": "0",
            "CONDUCT_REQUIRE_2FA": "0",
            "EMAIL_URL": "console:",
            "SQLITE_PATH": str(Path(tempfile.mkdtemp(prefix="bench-explain-")) / "b.sqlite3"),
        }
    )
    os.environ.pop("REDIS_URL", None)
    if args.postgres:
        from bench.bench_pages import reset_postgres

        reset_postgres(args.postgres)
        os.environ["DATABASE_URL"] = args.postgres
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from bench.bench_reports import generate
    from conduct.lib import clock
    from reports.selectors import figures
    from reports.selectors.pages import dashboard_spans
    from sanctions.models import PlacementDay

    call_command("migrate", verbosity=0)
    generate(clock.today())
    span = dashboard_spans(clock.today())[0]
    queries = {
        "placements starting this week": figures.placements_in(span)
        .values("provision__kind")
        .annotate(n=Count("pk")),
        "register days this week": PlacementDay.objects.filter(
            is_active=True, date__gte=span.start, date__lte=span.end
        )
        .exclude(placement__status="cancelled")
        .values("placement__provision__kind")
        .annotate(n=Count("pk")),
    }
    for name, queryset in queries.items():
        print(f"== {name} ({connection.vendor})")
        print(queryset.explain())


if __name__ == "__main__":
    main()
