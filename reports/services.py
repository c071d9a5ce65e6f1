"""Writes of the reports app: the officer's written analysis of a half-term."""

from django.db import transaction

from audit.services import history_record
from conduct.lib import clock
from reports.models import Commentary
from school.models import HalfTerm

COMMENTARY_MAX = 20_000


@transaction.atomic
def commentary_save(*, half_term: HalfTerm, text: str, by) -> Commentary:
    """Keep `text` as `half_term`'s written analysis, with a history row when it changed."""
    from django.core.exceptions import ValidationError

    text = text.strip().replace("\r\n", "\n")
    if len(text) > COMMENTARY_MAX:
        raise ValidationError({"text": f"Keep the analysis under {COMMENTARY_MAX:,} characters."})
    commentary = Commentary.objects.select_for_update().filter(half_term=half_term).first()
    before = commentary.text if commentary else ""
    if commentary is None:
        commentary = Commentary(half_term=half_term)
    if commentary.pk and before == text:
        return commentary
    commentary.text, commentary.updated_by, commentary.updated_at = text, by, clock.now()
    commentary.save()
    history_record(
        target=commentary,
        by=by,
        field="text",
        from_=before[:200],
        to=text[:200],
        note="Written analysis of the half-term",
    )
    return commentary
