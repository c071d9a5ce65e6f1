"""Random and crafted files into the roster import (hypothesis): whatever comes in, the import
answers with a result and a recorded run, never an unhandled exception, and a run that is not
applied changes nothing."""

import io
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from school.importers.files import Limits
from school.models import ImportRun
from school.services import roster_import
from tests.base import make_people
from tests.test_import_oneroster import FIXTURES, snapshot

FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,  # nothing written to .hypothesis/: the runs are the same on every machine
    suppress_health_check=[HealthCheck.too_slow],
)
# Small limits so the crafted oversize cases are reached with small inputs.
LIMITS = Limits(max_bytes=64 * 1024, max_rows=200, max_field_chars=300)
UNEXPECTED = "the import stopped on an unexpected error"


def fixture_files(bundle: str) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted((FIXTURES / bundle).iterdir())}


def text_of(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")  # one fixture is as Excel on Windows writes it


# Values that have broken importers elsewhere: blanks, quotes, formulas, odd dates and numbers,
# control characters, long and non-Latin text.
NASTY = st.sampled_from(
    [
        "",
        '"',
        '""',
        "'",
        ",",
        "\r",
        "\n",
        "\x00",
        "\ufeff",
        '=HYPERLINK("http://x")',
        "+1",
        "-1",
        "@SUM(A1)",
        "01/01/0001",
        "31/02/2012",
        "9999-12-31",
        "99999999999999999999",
        "²",
        "-0",
        "NaN",
        "Y99",
        "13:61",
        "1:P1@",
        "x" * 301,
        "Zoë Ōkafor 王",
        "\ud7ff",
    ]
)
CELL = st.one_of(NASTY, st.text(max_size=20))


@st.composite
def mutated(draw, bundle: str) -> dict[str, bytes]:
    """A fixture bundle with a few edits: cells replaced, lines dropped or doubled, a file cut
    short, dropped or re-encoded."""
    files = fixture_files(bundle)
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(files)))
        lines = text_of(files[name]).splitlines(keepends=True)
        action = draw(st.sampled_from(["cell", "cell", "drop", "double", "cut", "remove", "enc"]))
        if action == "cell" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            cells = lines[i].rstrip("\r\n").split(",")
            j = draw(st.integers(0, len(cells) - 1))
            cells[j] = draw(CELL)
            lines[i] = ",".join(cells) + "\n"
        elif action == "drop" and lines:
            del lines[draw(st.integers(0, len(lines) - 1))]
        elif action == "double" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
        text = "".join(lines)
        if action == "cut":
            text = text[: draw(st.integers(0, len(text)))]
        if action == "remove" and len(files) > 1:
            del files[name]
            continue
        encoding = (
            draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
            if action == "enc"
            else "utf-8"
        )
        files[name] = text.encode(encoding, errors="replace")
    return files


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(f"export/{name}", data)
    return buffer.getvalue()


@override_settings(ROSTER_LEAVERS_MAX_PERCENT=100)
class ImportFuzzTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_people(cls)
        # A school already imported, so a bad import has something to damage.
        result = roster_import(path=FIXTURES / "csv", limits=LIMITS)
        assert result.problems == [], result.problems

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)

    def import_files(self, files: dict[str, bytes], as_zip: bool):
        folder = Path(tempfile.mkdtemp(dir=self.tmp))
        if as_zip:
            path = folder / "roster.zip"
            path.write_bytes(zipped(files))
        else:
            for name, data in files.items():
                (folder / name).write_bytes(data)
            path = folder
        return self.import_path(path)

    def import_path(self, path: Path):
        before = snapshot()
        runs = ImportRun.objects.count()

        result = roster_import(path=path, limits=LIMITS)  # must not raise

        assert ImportRun.objects.count() == runs + 1
        assert not any(UNEXPECTED in line for line in result.problems), result.problems
        if result.status == ImportRun.Status.REJECTED:
            assert result.problems
            assert snapshot() == before  # a failed import changes nothing
        return result

    @FUZZ
    @given(files=mutated("csv"), as_zip=st.booleans())
    def test_crafted_csv_exports(self, files, as_zip):
        self.import_files(files, as_zip)

    @FUZZ
    @given(files=mutated("oneroster11"), as_zip=st.booleans())
    def test_crafted_oneroster_bundles(self, files, as_zip):
        self.import_files(files, as_zip)

    @FUZZ
    @given(
        name=st.sampled_from(["students.csv", "staff.csv", "users.csv", "timetable.csv"]),
        data=st.binary(max_size=400),
    )
    def test_random_bytes_as_a_csv_file(self, name, data):
        self.import_files({name: data}, as_zip=False)

    @FUZZ
    @given(data=st.data())
    def test_damaged_and_random_zips(self, data):
        good = zipped(fixture_files(data.draw(st.sampled_from(["csv", "oneroster11"]))))
        kind = data.draw(st.sampled_from(["flip", "cut", "random"]))
        if kind == "flip":
            damaged = bytearray(good)
            for _ in range(data.draw(st.integers(1, 8))):
                damaged[data.draw(st.integers(0, len(good) - 1))] = data.draw(st.integers(0, 255))
            blob = bytes(damaged)
        elif kind == "cut":
            blob = good[: data.draw(st.integers(0, len(good)))]
        else:
            blob = b"PK\x03\x04" + data.draw(st.binary(max_size=300))
        path = self.tmp / f"{len(list(self.tmp.iterdir()))}.zip"
        path.write_bytes(blob)
        self.import_path(path)
