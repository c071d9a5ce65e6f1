"""The server's application, once imported, has loaded every view and put what it loaded out of
the garbage collector's sight (conduct/asgi.py, issue 15): its collections walk only what
requests make. Checked in a process of its own, as a server imports it."""

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import gc, json, sys
import conduct.asgi
print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "views_loaded": all(name in sys.modules for name in ("reports.views", "patrol.views")),
}))
"""


def test_the_application_loads_every_view_and_freezes_what_it_loaded():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "conduct.settings"}
    found = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    probe = json.loads(found.stdout.strip().splitlines()[-1])
    assert probe["views_loaded"]
    # Django and the apps alone are well over a hundred thousand objects.
    assert probe["frozen"] > 100_000, probe
