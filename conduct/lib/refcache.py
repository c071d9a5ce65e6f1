"""Reference data read once, not on every page: the school, its calendar, the periods, the
provisions, who holds which role and the duty rota (docs/architecture.md, "Reference data").

These change only through School settings, the roster import, the rota and the demo load, yet
every page read them again. `cached(key, compute)` keeps each answer in Django's cache (Redis
when REDIS_URL is set, shared by every server process; a directory of files on one machine
otherwise) under the current *version*, and for the rest of the request in memory.

The version changes after every committed write to one of REFERENCE_TABLES, whoever makes it:
a database execute wrapper (installed on every connection, `install`) sees each INSERT, UPDATE
or DELETE statement naming one of them (a form, `update()`, `bulk_create`, a cascade, the
import, a migration) and changes the version when its transaction commits. A reader reads the
version before it reads the database, so a reader racing a writer stores what it read under
the old version, which nobody asks for once the write commits. Until then, the writer's own
connection (which sees its uncommitted rows) reads past the shared cache into one of its own
that ends with the transaction: nothing uncommitted ever reaches another process.

This holds at READ COMMITTED (PostgreSQL's default) and with SQLite's IMMEDIATE transactions
(settings.py): a reader's query sees what was committed when it ran. Writes from outside
Django's connections (a restore, psql) call `forget_all()`.
"""

import hashlib
import logging
import os
import pickle
import re
import threading
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections

T = TypeVar("T")
logger = logging.getLogger(__name__)

# The tables the cached answers are read from. A write to any of them changes the version.
REFERENCE_TABLES = frozenset(
    {
        "school_school",
        "school_academicyear",
        "school_term",
        "school_halfterm",
        "school_nonschoolday",
        "school_period",
        "school_room",
        "school_staff",
        "school_department",
        "sanctions_provision",
        "sanctions_provisionroom",
        "auth_group",
        "auth_user_groups",
        "patrol_duty",
        "patrol_staffabsence",
    }
)
# A statement that writes: anything but a read or a transaction's own bookkeeping.
_READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "PRAGMA", "SET", "SHOW")
_TABLE_NAMES = re.compile(r"\b(" + "|".join(sorted(REFERENCE_TABLES)) + r")\b")

CACHE_ALIAS = "default"
# An answer not asked for in this long leaves the cache (the version, never).
TIMEOUT_SECONDS = 60 * 60 * 6
_MISSING = object()

IN_PROCESS_MAX = 2000
_in_process: dict[str, bytes] = {}
# This request's answers (`RequestMemo`), None outside a request. A plain thread-local: the
# middleware sets and clears it in one call, on the thread that runs the request's view (an
# asgiref Local, which follows a request across sync_to_async, cost a microsecond a look).
_request = threading.local()


def cached(key: str, compute: Callable[[], T]) -> T:
    """`compute()`'s answer, kept until the next committed write to REFERENCE_TABLES. The
    answer is shared: the caller must not change it."""
    memo = getattr(_request, "memo", None)
    if memo is not None and key in memo:
        return memo[key]
    own = _own_transaction()
    if own is not None:
        # This connection has written reference data in the transaction it is in: read what it
        # sees, and keep it only until that transaction ends (never in the request's memo).
        return own.answer(key, compute)
    try:
        full_key = f"{_versioned_prefix(memo)}:{key}"
        kept = _in_process.get(full_key)
        if kept is not None:
            value = pickle.loads(kept)
        else:
            value = caches[CACHE_ALIAS].get(full_key, _MISSING)
    except Exception:  # the cache is down: the database still answers
        logger.warning("reference data cache unreadable", exc_info=True)
        return compute()
    if value is _MISSING:
        value = compute()
        try:
            caches[CACHE_ALIAS].set(full_key, value, TIMEOUT_SECONDS)
        except Exception:
            logger.warning("reference data cache unwritable", exc_info=True)
    if kept is None:
        _keep_in_process(full_key, value)
    if memo is not None:
        memo[key] = value
    return value  # type: ignore[return-value]


def _keep_in_process(full_key: str, value: Any) -> None:
    """The answer under a version never changes, so this process keeps a copy too, and a
    request pays one read of the version from the shared cache and no more. Pickled: each
    request unpickles its own objects, so nothing one request loads onto them reaches another."""
    if len(_in_process) >= IN_PROCESS_MAX:
        _in_process.clear()
    _in_process[full_key] = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def forget_all() -> None:
    """Start a new version: every cached answer is read again (after a restore, in tests)."""
    try:
        caches[CACHE_ALIAS].set(f"{_prefix()}:version", uuid.uuid4().hex, None)
    except Exception:
        # The write is committed; answers cached before it expire within TIMEOUT_SECONDS.
        logger.error("reference data cache: could not start a new version", exc_info=True)
    memo = getattr(_request, "memo", None)
    if memo is not None:
        memo.clear()


def _versioned_prefix(memo: dict | None) -> str:
    """Where this database's answers under the current version are kept: read once per
    request."""
    if memo is not None and "\0version" in memo:
        return memo["\0version"]
    cache = caches[CACHE_ALIAS]
    prefix = _prefix()
    key = f"{prefix}:version"
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, None)
        version = cache.get(key)
    versioned = f"{prefix}:{version}"
    if memo is not None:
        memo["\0version"] = versioned
    return versioned


def _prefix() -> str:
    """Which database the answers are about: two databases (the tests', the demo's) sharing a
    cache never share answers. An in-memory SQLite database belongs to one process."""
    settings = connections[DEFAULT_DB_ALIAS].settings_dict
    name = str(settings["NAME"])
    where = f"{settings['ENGINE']}|{settings.get('HOST')}|{settings.get('PORT')}|{name}"
    if "memory" in name:
        where += f"|{os.getpid()}"
    return "refdata:" + hashlib.blake2s(where.encode(), digest_size=6).hexdigest()


# ---- seeing writes ------------------------------------------------------------------------


class _Transaction:
    """Reference data written in the transaction a connection is in: answers read inside it.
    An answer holds while every savepoint it was read under stands (a savepoint rolled back
    may have taken rows it saw)."""

    def __init__(self, connection):
        self.answers: dict[str, tuple[list, Any]] = {}
        self.connection = connection

    def answer(self, key: str, compute: Callable[[], T]) -> T:
        savepoints = list(self.connection.savepoint_ids)
        found = self.answers.get(key)
        if found is None or savepoints[: len(found[0])] != found[0]:
            found = (savepoints, compute())
            self.answers[key] = found
        return found[1]

    def __call__(self) -> None:  # on commit
        if getattr(self.connection, "_refcache_transaction", None) is self:
            self.connection._refcache_transaction = None
        forget_all()


def _own_transaction() -> _Transaction | None:
    connection = connections[DEFAULT_DB_ALIAS]
    own = getattr(connection, "_refcache_transaction", None)
    if own is None:
        return None
    # Still open: its commit callback is still waiting (a rollback throws it away).
    if connection.in_atomic_block and any(entry[1] is own for entry in connection.run_on_commit):
        return own
    connection._refcache_transaction = None
    return None


def _written(connection) -> None:
    memo = getattr(_request, "memo", None)
    if memo is not None:
        memo.clear()
    if not connection.in_atomic_block:
        forget_all()  # committed already (autocommit)
        return
    own = _own_transaction() if connection.alias == DEFAULT_DB_ALIAS else None
    if own is None:
        own = _Transaction(connection)
        connection._refcache_transaction = own
        connection.on_commit(own)
    own.answers.clear()


def _execute(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if (
        isinstance(sql, str)
        and not sql.lstrip()[:9].upper().startswith(_READS)
        and _TABLE_NAMES.search(sql)
    ):
        _written(context["connection"])
    return result


def install(sender, connection, **kwargs) -> None:
    """On `connection_created`: watch this connection's writes (once per connection object)."""
    if _execute not in connection.execute_wrappers:
        connection.execute_wrappers.append(_execute)


class RequestMemo:
    """Middleware: each cached answer is fetched from the cache at most once per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _request.memo = {}
        try:
            return self.get_response(request)
        finally:
            _request.memo = None
