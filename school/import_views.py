"""The roster upload page for the data manager: upload, check or apply, see every problem."""

import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from school import policies
from school.importers.apply import ENTITIES
from school.models import ImportRun
from school.services import roster_import


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".zip,.csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class RosterUploadForm(forms.Form):
    files = MultipleFileField(
        label="Roster files",
        help_text="One .zip (OneRoster bundle or CSV exports), or several .csv files at once.",
    )
    dry_run = forms.BooleanField(
        label="Check only: report what would change, change nothing",
        required=False,
    )
    confirm_leavers = forms.BooleanField(
        label="Yes, mark them as left",
        help_text=(
            "Only when the import would mark more than {percent}% of the students, staff or "
            "classes as left, and they really have (say, at the end of the school year)."
        ),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["confirm_leavers"]
        field.help_text = field.help_text.format(percent=settings.ROSTER_LEAVERS_MAX_PERCENT)

    def clean_files(self):
        files = self.cleaned_data["files"]
        names = [Path(f.name).name for f in files]
        zips = [n for n in names if n.lower().endswith(".zip")]
        if any(not n.lower().endswith((".zip", ".csv")) for n in names):
            raise forms.ValidationError("Upload .zip or .csv files only.")
        if zips and len(files) > 1:
            raise forms.ValidationError("Upload one .zip on its own, or .csv files without a zip.")
        if len({n.lower() for n in names}) != len(names):
            raise forms.ValidationError("Two files have the same name.")
        limit = settings.UPLOAD_MAX_BYTES
        if sum(f.size for f in files) > limit:
            raise forms.ValidationError(
                f"The files are larger than {limit // (1024 * 1024)} MB together."
            )
        return files

    def save_to(self, folder: Path) -> tuple[Path, str]:
        """Write the uploads into `folder`: the path to import and a name for the record."""
        files = self.cleaned_data["files"]
        names = []
        for upload in files:
            name = Path(upload.name).name  # never a path the browser chose
            with open(folder / name, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            names.append(name)
        path = folder / names[0] if len(files) == 1 else folder
        return path, ", ".join(names)


def roster_import_page(request):
    if not policies.can_import_roster(request.user):
        raise PermissionDenied
    result = None
    if request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            with tempfile.TemporaryDirectory(prefix="conduct-import-") as folder:
                path, source_name = form.save_to(Path(folder))
                result = roster_import(
                    path=path,
                    by=request.user,
                    request=request,
                    dry_run=form.cleaned_data["dry_run"],
                    confirm_leavers=form.cleaned_data["confirm_leavers"],
                    source_name=source_name,
                )
            form = RosterUploadForm()
    else:
        form = RosterUploadForm()
    rows = []
    if result is not None and result.ok:
        rows = [
            (label, result.counts[key], result.counts[key].get(extra, "–") if extra else "–")
            for key, label, extra in ENTITIES
            if any(result.counts[key].values())
        ]
    return render(
        request,
        "school/import.html",
        {
            "form": form,
            "result": result,
            "rows": rows,
            "runs": ImportRun.objects.select_related("started_by")[:10],
        },
    )
