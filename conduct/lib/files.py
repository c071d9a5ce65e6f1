"""Files that hold personal data are readable by their owner only."""

import contextlib
import os
from pathlib import Path

OWNER_ONLY = 0o600


def private_file(path: Path | str) -> None:
    """Create `path` empty with mode 0600 if it does not exist yet (before SQLite or a tool
    writes it: a file created under the usual umask would be readable by everyone), and make
    an existing one 0600."""
    path = Path(path)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, OWNER_ONLY))
    os.chmod(path, OWNER_ONLY)


def private_sqlite_files(name: str) -> None:
    """The SQLite database file and its WAL and shared-memory files at `name`, 0600 (an
    in-memory database has none)."""
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for path in (name, f"{name}-wal", f"{name}-shm", f"{name}-journal"):
        if os.path.exists(path):
            os.chmod(path, OWNER_ONLY)
