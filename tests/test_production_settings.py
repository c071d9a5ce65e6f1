"""Production settings: `check --deploy` is clean with the environment docs/deploy.md
documents; every page carries a content security policy that no template breaks with an inline
script or style."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase
from django.urls import reverse

from tests.base import ConductTestCase

ROOT = Path(__file__).resolve().parent.parent

# The production environment as docs/deploy.md and docs/security.md give it.
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-Vx9q2mZr7TtL0pWc4yHb8nJd3sFg6aE1uKoQ5iR",
    "ALLOWED_HOSTS": "conduct.school.example",
    "CSRF_TRUSTED_ORIGINS": "https://conduct.school.example",
    "SECURE_COOKIES": "1",
    "TRUSTED_PROXIES": "127.0.0.1",
}


def production_base() -> dict[str, str]:
    """This machine's environment without what the tests add: production leaves two-factor
    sign-in at its default (on) and Django's async safety alone."""
    test_only = ("DATABASE_URL", "REDIS_URL", "CONDUCT_REQUIRE_2FA", "DJANGO_ALLOW_ASYNC_UNSAFE")
    return {k: v for k, v in os.environ.items() if k not in test_only}


class DeployCheckTest(SimpleTestCase):
    def check_deploy(self, env):
        base = production_base()
        return subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT,
            env=base | env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def test_it_passes_the_deploy_checks_with_the_documented_environment(self):
        result = self.check_deploy(PRODUCTION)
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
        self.assertIn("no issues", result.stdout)

    def test_it_fails_them_without_https(self):
        result = self.check_deploy(PRODUCTION | {"SECURE_COOKIES": "0"})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("security.W004", result.stderr + result.stdout)

    def test_it_requires_two_factor_sign_in_by_default(self):
        result = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from django.conf import settings; print(settings.CONDUCT_REQUIRE_2FA)",
            ],
            cwd=ROOT,
            env=production_base() | PRODUCTION,
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.assertEqual(result.stdout.strip().splitlines()[-1], "True", result.stderr)


class ContentSecurityPolicyTest(ConductTestCase):
    def test_it_sends_a_policy_without_inline_script(self):
        self.login(self.bob)
        policy = self.client.get(reverse("home"))["Content-Security-Policy"]
        self.assertIn("script-src 'self'", policy)
        self.assertIn("frame-ancestors 'none'", policy)
        self.assertNotIn("unsafe-inline", policy)

    def test_it_finds_no_inline_script_or_style_in_the_page_templates(self):
        # PDFs (WeasyPrint reads their <style>; named *_pdf.html) are not pages a browser runs.
        pdf_templates = {"letter.html"}
        found = []
        for path in ROOT.glob("*/templates/**/*.html"):
            if path.name in pdf_templates or path.name.endswith("_pdf.html"):
                continue
            text = path.read_text()
            for pattern in (
                r"<script(?![^>]*\bsrc=)[^>]*>",
                r"\son[a-z]+=",
                r"\sstyle=",
                r"<style",
            ):
                if re.search(pattern, text):
                    found.append(f"{path.relative_to(ROOT)}: {pattern}")
        self.assertEqual(found, [])
