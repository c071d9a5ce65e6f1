"""Reading roster files: zips, folders and single files, decoding, CSV tables with their line
numbers and header aliases, the problems found in them by file, row and column, and the notices
that do not stop an import."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

# A zip bomb should not take the server down: a real roster bundle is a few megabytes.
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024


class ImportFailed(Exception):
    """The source cannot be read at all (not a zip, no CSV files, …)."""


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


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252 as Excel writes it."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; a stray one should not stop the import.
        return data.decode("cp1252", errors="replace")


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


def parse_csv(name: str, data: bytes) -> Table:
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    headers: list[str] | None = None
    table: Table | None = None
    last_line = 0
    for record in reader:
        # The record started on the line after the previous one ended (quoted fields may span
        # several lines); the header is line 1.
        start = last_line + 1
        last_line = reader.line_num
        if headers is None:
            headers = [h.strip() for h in record]
            table = Table(name=name, headers=headers)
            continue
        if not any(value.strip() for value in record):
            continue
        table.rows.append(Row(line=start, cells=[value.strip() for value in record]))
    if table is None:
        table = Table(name=name, headers=[])
    return table


def read_source(path: Path) -> dict[str, bytes]:
    """The CSV files of a zip, a folder or a single file, by base name."""
    path = Path(path)
    files: dict[str, bytes] = {}
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.suffix.lower() == ".csv" and "__MACOSX" not in child.parts:
                files.setdefault(child.name, child.read_bytes())
    elif path.is_file() and zipfile.is_zipfile(path):
        total = 0
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                member = info.filename
                if info.is_dir() or "__MACOSX" in member or not member.lower().endswith(".csv"):
                    continue
                total += info.file_size
                if total > MAX_UNZIPPED_BYTES:
                    raise ImportFailed(f"{path.name}: the zip unpacks to more than 300 MB")
                files.setdefault(member.rsplit("/", 1)[-1], archive.read(info))
    elif path.is_file():
        if path.suffix.lower() == ".zip":
            raise ImportFailed(f"{path.name}: not a readable zip file")
        files[path.name] = path.read_bytes()
    else:
        raise ImportFailed(f"{path}: no such file or folder")
    if not files:
        raise ImportFailed(f"{path.name}: no CSV files found")
    return files
