"""Reading roster files: zips, folders and single files, decoding, CSV tables with their line
numbers and header aliases, the problems found in them by file, row and column, and the notices
that do not stop an import."""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO

from django.conf import settings

# A line longer than this is not read into memory at all, whatever the field limit says.
MAX_LINE_CHARS = 1_000_000
# The csv module refuses a field over 131,072 characters with an error that names no column.
# Conduct's own limit (Limits.max_field_chars, far lower) is checked per cell so the problem can
# say file:row:column; csv's is raised to the line cap so it only stops a quoted field that runs
# over many lines.
csv.field_size_limit(MAX_LINE_CHARS)


class ImportFailed(Exception):
    """The source cannot be read at all (not a zip, no CSV files, too big, …): one problem, at
    `file` (else the source's name), `row` and `column` when known."""

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.row = row


@dataclass(frozen=True)
class Limits:
    """What one import may read: a real roster bundle is a few megabytes and a few tens of
    thousands of rows; these stop a zip bomb or a runaway file before it takes the server."""

    max_bytes: int  # unzipped, all CSV files together
    max_rows: int  # all files together
    max_field_chars: int

    @property
    def max_values(self) -> int:
        """Values kept, all rows together: what bounds memory when rows are wide and their
        values tiny (a real roster has a dozen or two columns a row)."""
        return self.max_rows * 16

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_bytes=settings.ROSTER_IMPORT_MAX_BYTES,
            max_rows=settings.ROSTER_IMPORT_MAX_ROWS,
            max_field_chars=settings.ROSTER_IMPORT_MAX_FIELD_CHARS,
        )


def megabytes(size: int) -> str:
    mb = size / (1024 * 1024)
    return f"{mb:,.1f} MB" if mb < 10 else f"{mb:,.0f} MB"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the import, where it is: `file:row:column: message`."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        row = "-" if self.row is None else str(self.row)
        column = self.column or "-"
        return f"{self.file}:{row}:{column}: {self.message}"

    def sort_key(self):
        return (self.file.lower(), self.row or 0)


@dataclass(frozen=True)
class Notice:
    """Something in a file the import cannot use but that does not stop it, said once for the
    whole file: `file: message`."""

    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


class Problems(list):
    def add(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.append(Problem(file, row, column, message))


def normalise_header(name: str) -> str:
    """`Legal Surname`, `legal_surname` and `LEGAL-SURNAME` are one header."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def normalise_file_name(name: str) -> str:
    stem = name.rsplit("/", 1)[-1]
    if stem.lower().endswith(".csv"):
        stem = stem[:-4]
    return normalise_header(stem)


@dataclass(slots=True)
class Row:
    line: int
    cells: list[str]  # trimmed, in header order (a list, not a dict: 40k rows add up)


@dataclass
class Table:
    """One CSV file: its name, headers as written, and rows with their line numbers."""

    name: str
    headers: list[str]
    rows: list[Row] = field(default_factory=list)

    def __post_init__(self):
        self._by_norm: dict[str, str] = {}
        self._index: dict[str, int] = {}
        for i, header in enumerate(self.headers):
            self._by_norm.setdefault(normalise_header(header), header)
            self._index.setdefault(header, i)

    def value(self, row: Row, header: str) -> str:
        """The cell under `header` (as written), blank when the row is short."""
        i = self._index[header]
        return row.cells[i] if i < len(row.cells) else ""

    def header_for(self, *aliases: str) -> str | None:
        """The header as written in the file for the first alias present, else None."""
        for alias in aliases:
            found = self._by_norm.get(normalise_header(alias))
            if found is not None:
                return found
        return None

    def has(self, *aliases: str) -> bool:
        return self.header_for(*aliases) is not None


class _StopFile(Exception):
    """This file cannot be read on; the others still are."""

    def __init__(self, problem: Problem):
        self.problem = problem


class _Budget:
    """Bytes and rows read so far, across every file of one import."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.bytes = 0
        self.rows = 0
        self.values = 0

    def add_bytes(self, n: int, name: str) -> None:
        self.bytes += n
        if self.bytes > self.limits.max_bytes:
            raise ImportFailed(
                f"the files hold more than {megabytes(self.limits.max_bytes)} of CSV, the most "
                "one import reads (a roster is a few MB: is this the right file?)",
                file=name,
            )

    def add_row(self, name: str, line: int, values: int) -> None:
        self.rows += 1
        self.values += values
        if self.rows > self.limits.max_rows:
            raise ImportFailed(
                f"more than {self.limits.max_rows:,} rows in the files together, the most one "
                "import reads",
                file=name,
                row=line,
            )
        if self.values > self.limits.max_values:
            raise ImportFailed(
                f"more than {self.limits.max_values:,} values in the files together, the most "
                "one import reads",
                file=name,
                row=line,
            )


class _Counted(io.RawIOBase):
    """A binary stream that counts every byte it gives against the budget, so a zip whose
    headers understate its sizes is still stopped at the limit."""

    def __init__(self, raw: IO[bytes], budget: _Budget, name: str):
        self._raw = raw
        self._budget = budget
        self._name = name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._raw.read(len(buffer))
        n = len(data)
        self._budget.add_bytes(n, self._name)
        buffer[:n] = data
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


def _lines(text: io.TextIOWrapper, name: str):
    """The file's lines as csv wants them (line ends kept), none longer than MAX_LINE_CHARS."""
    number = 0
    while True:
        line = text.readline(MAX_LINE_CHARS + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_CHARS:
            raise _StopFile(
                Problem(
                    name,
                    number,
                    None,
                    f"a line longer than {MAX_LINE_CHARS:,} characters: not a roster file",
                )
            )
        if "\x00" in line:
            raise _StopFile(
                Problem(
                    name,
                    number,
                    None,
                    "holds a NUL character, so it is not CSV text: save it from the MIS or "
                    "Excel as CSV",
                )
            )
        yield line


def _parse(
    name: str,
    open_stream: Callable[[], IO[bytes]],
    encoding: str,
    budget: _Budget,
    problems: Problems,
) -> Table:
    """Read one CSV file row by row: the file is never held whole, in bytes or in text."""
    max_field = budget.limits.max_field_chars
    with io.BufferedReader(_Counted(open_stream(), budget, name), 64 * 1024) as stream:
        if stream.peek(2)[:2] in _UTF16_MARKS:
            raise _StopFile(
                Problem(
                    name,
                    None,
                    None,
                    "is UTF-16 text (Excel's “Unicode Text”): save it as “CSV UTF-8” or “CSV "
                    "(Comma delimited)” and upload it again",
                )
            )
        errors = "strict" if encoding == "utf-8-sig" else "replace"
        text = io.TextIOWrapper(stream, encoding=encoding, errors=errors, newline="")
        reader = csv.reader(_lines(text, name))
        table: Table | None = None
        last_line = 0
        try:
            for record in reader:
                # The record started on the line after the previous one ended (quoted fields
                # may span several lines); the header is line 1.
                start = last_line + 1
                last_line = reader.line_num
                if table is None:
                    table = Table(name=name, headers=[h.strip()[:max_field] for h in record])
                    continue
                if not any(value.strip() for value in record):
                    continue
                # Values past the last header are never read: they are not kept either.
                cells = [value.strip() for value in record[: len(table.headers)]]
                budget.add_row(name, start, len(cells))
                for i, value in enumerate(cells):
                    if len(value) > max_field:
                        problems.add(
                            name,
                            start,
                            table.headers[i] or f"column {i + 1}",
                            f"{len(value):,} characters, more than the {max_field:,} a field "
                            "may hold",
                        )
                        cells[i] = ""
                table.rows.append(Row(line=start, cells=cells))
        except csv.Error as error:
            raise _StopFile(
                Problem(name, last_line + 1, None, f"cannot be read as CSV: {error}")
            ) from None
        text.detach()
    return table if table is not None else Table(name=name, headers=[])


class _Reader:
    """Every CSV file of one import read into a Table within the limits; the first file of a
    name wins (a zip may hold the same name in two folders)."""

    def __init__(self, limits: Limits):
        self.budget = _Budget(limits)
        self.tables: dict[str, Table] = {}
        self.problems = Problems()

    def check_declared(self, source: str, declared: int) -> None:
        """Refuse at once what says it is too big, before reading any of it."""
        if declared > self.budget.limits.max_bytes:
            raise ImportFailed(
                f"it unpacks to {megabytes(declared)} of CSV, more than the "
                f"{megabytes(self.budget.limits.max_bytes)} one import reads (a roster is a few "
                "MB: is this the right file?)",
                file=source,
            )

    def read(self, name: str, open_stream: Callable[[], IO[bytes]]) -> None:
        if name in self.tables:
            return
        bytes_before, rows_before = self.budget.bytes, self.budget.rows
        found = Problems()
        try:
            try:
                table = _parse(name, open_stream, "utf-8-sig", self.budget, found)
            except UnicodeDecodeError:
                # Not UTF-8: read it again as Windows-1252, as Excel writes "CSV" on an
                # English Windows PC (five undefined bytes are replaced, not refused).
                self.budget.bytes, self.budget.rows = bytes_before, rows_before
                found = Problems()
                table = _parse(name, open_stream, "cp1252", self.budget, found)
        except _StopFile as stop:
            found.append(stop.problem)
            table = Table(name=name, headers=[])
        self.problems.extend(found)
        self.tables[name] = table


def parse_csv(name: str, data: bytes, limits: Limits | None = None) -> Table:
    """One CSV file from bytes (for tests and callers that hold it already)."""
    reader = _Reader(limits or Limits.from_settings())
    reader.read(name, lambda: io.BytesIO(data))
    return reader.tables[name]


def read_source(path: Path, limits: Limits | None = None) -> tuple[dict[str, Table], Problems]:
    """The CSV files of a zip, a folder or a single file, by base name, read within `limits`,
    with the problems found reading them (a field too long, a file that is not CSV text).
    Raises ImportFailed when the source cannot be read at all."""
    path = Path(path)
    reader = _Reader(limits or Limits.from_settings())
    if path.is_dir():
        children: dict[str, Path] = {}
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.suffix.lower() == ".csv" and "__MACOSX" not in child.parts:
                children.setdefault(child.name, child)
        reader.check_declared(path.name, sum(child.stat().st_size for child in children.values()))
        for name, child in children.items():
            reader.read(name, partial(child.open, "rb"))
    elif path.is_file() and zipfile.is_zipfile(path):
        _read_zip(path, reader)
    elif path.is_file():
        if path.suffix.lower() == ".zip":
            raise ImportFailed("not a readable zip file", file=path.name)
        reader.check_declared(path.name, path.stat().st_size)
        reader.read(path.name, partial(path.open, "rb"))
    else:
        raise ImportFailed(f"{path}: no such file or folder")
    if not reader.tables:
        raise ImportFailed("no CSV files found", file=path.name)
    return reader.tables, reader.problems


# A roster bundle has a dozen files; a zip listing millions would fill memory with its index.
MAX_ZIP_MEMBERS = 10_000


def _zip_members(path: Path) -> int:
    """How many entries the zip's end record says it holds, read before its index is."""
    with path.open("rb") as fp:
        end = zipfile._EndRecData(fp)  # type: ignore[attr-defined]  # stable since Python 2
    return end[zipfile._ECD_ENTRIES_TOTAL] if end else 0  # type: ignore[attr-defined]


def _read_zip(path: Path, reader: _Reader) -> None:
    member = ""
    if _zip_members(path) > MAX_ZIP_MEMBERS:
        raise ImportFailed(
            f"the zip holds more than {MAX_ZIP_MEMBERS:,} files: not a roster bundle",
            file=path.name,
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [
                info
                for info in archive.infolist()
                if not info.is_dir()
                and "__MACOSX" not in info.filename
                and info.filename.lower().endswith(".csv")
            ]
            reader.check_declared(path.name, sum(info.file_size for info in infos))
            for info in infos:
                member = info.filename
                reader.read(member.rsplit("/", 1)[-1], lambda info=info: archive.open(info))
    except RuntimeError as error:  # zipfile's word for a password it was not given
        raise ImportFailed(
            f"{member or 'a file in it'} is password-protected: zip it without a password "
            f"({error})",
            file=path.name,
        ) from None
    except NotImplementedError as error:
        raise ImportFailed(
            f"{member or 'a file in it'} is compressed in a way Conduct cannot unpack ({error}): "
            "zip it with ordinary compression",
            file=path.name,
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
        where = f" at {member}" if member else ""
        raise ImportFailed(
            f"the zip file is damaged{where} ({error}): make the zip again", file=path.name
        ) from None
