"""Settings read from the environment fail loudly on bad values."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from conduct.env import email_settings, envbool, envint, envnetworks, postgres_options


def test_it_reads_booleans_and_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("DEBUG", "Yes")
    assert envbool("DEBUG", "0") is True
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be one of"):
        envbool("DEBUG", "0")


def test_it_refuses_a_number_that_is_not_one(monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_AGE", "ten hours")
    with pytest.raises(ImproperlyConfigured, match="SESSION_COOKIE_AGE must be a whole number"):
        envint("SESSION_COOKIE_AGE", "36000")


def test_it_turns_an_email_url_into_smtp_settings():
    settings = email_settings("smtp://office%40school.example:p%40ss@mail.school.example:587?tls=1")
    assert settings == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.school.example",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "office@school.example",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
    }
    assert email_settings("console:")["EMAIL_BACKEND"].endswith("console.EmailBackend")


def test_it_refuses_an_unknown_email_scheme():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL scheme"):
        email_settings("carrier-pigeon://loft")


def test_it_reads_trusted_proxies_and_refuses_what_is_not_an_address(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.10,2001:db8::/32")
    assert envnetworks("TRUSTED_PROXIES", "") == ["10.0.0.0/8", "192.0.2.10", "2001:db8::/32"]
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8,proxy.school.example")
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES must list IP addresses"):
        envnetworks("TRUSTED_PROXIES", "")


def test_postgres_prepares_statements_run_five_times_unless_told_otherwise(monkeypatch):
    for name in ("DB_PREPARE_THRESHOLD", "DB_POOL_MIN", "DB_POOL_MAX", "DB_POOL_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    options = postgres_options()
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5
    assert options["pool"] == {"min_size": 1, "max_size": 8, "timeout": 10}
    # Behind a pooler that cannot keep prepared statements: parameters still sent apart.
    monkeypatch.setenv("DB_PREPARE_THRESHOLD", "0")
    assert postgres_options()["prepare_threshold"] is None
    monkeypatch.setenv("DB_PREPARE_THRESHOLD", "2")
    assert postgres_options()["prepare_threshold"] == 2


def test_postgres_refuses_a_prepare_threshold_that_is_not_a_count(monkeypatch):
    monkeypatch.setenv("DB_PREPARE_THRESHOLD", "-1")
    with pytest.raises(ImproperlyConfigured, match="DB_PREPARE_THRESHOLD must be 0 or more"):
        postgres_options()
    monkeypatch.setenv("DB_PREPARE_THRESHOLD", "often")
    with pytest.raises(ImproperlyConfigured, match="DB_PREPARE_THRESHOLD must be a whole number"):
        postgres_options()
