"""Shared set-up for the tests of work for students out of lessons."""

import shutil
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from school.models import Enrolment
from tests.base import make_student


def temporary_media(test) -> None:
    """Files saved by the test go to a folder of their own, removed afterwards."""
    folder = tempfile.mkdtemp(prefix="conduct-media-")
    override = override_settings(MEDIA_ROOT=folder)
    override.enable()
    test.addCleanup(override.disable)
    test.addCleanup(shutil.rmtree, folder, True)


def second_student(target):
    """Mia Jones, also in 9X/Ma1."""
    target.mia = make_student(upn="B123456789012", first="Mia", last="Jones", form=target.form)
    Enrolment.objects.create(teaching_class=target.maths_class, student=target.mia)
    return target.mia


def a_file(name="sheet.pdf", size=1000, content_type="application/pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 " + b"x" * max(size - 9, 0), content_type)
