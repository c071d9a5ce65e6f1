import os

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the test
# itself (setting up data) are still plain synchronous code, so tell Django they are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Servers the tests start in a process of their own (tests/servers.py) sign in as the demo does.
os.environ.setdefault("CONDUCT_REQUIRE_2FA", "0")

import pytest  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """The named people sign in with real passwords; hash them cheaply in tests."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _second_factor_off():
    """As in the demo school, the named people sign in with a password alone; the tests of
    two-factor sign-in (tests/test_two_factor.py) turn it on."""
    from django.conf import settings

    settings.CONDUCT_REQUIRE_2FA = False


@pytest.fixture(autouse=True)
def _live_events_on():
    """Each test starts with live events on: after a channel layer fails (a test of a hanging
    Redis, or a send that timed out on a loaded machine) events pause for some seconds
    (patrol/events.py), which must not carry over into the next test."""
    from patrol import events

    events.live_events_resume()
    yield


@pytest.fixture(autouse=True)
def _reference_cache_fresh():
    """Each test starts with no cached reference data (conduct/lib/refcache.py): what one test
    committed (a TransactionTestCase, a live server) must not answer the next."""
    from conduct.lib import refcache

    refcache.forget_all()
    yield
