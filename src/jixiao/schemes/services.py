"""Use cases for schemes. Views, the CLI and the demo call these, never the ORM directly."""

from __future__ import annotations

from django.db import transaction

from jixiao.engine import load_scheme_text, presets
from jixiao.schemes.models import Scheme


@transaction.atomic
def scheme_import_presets() -> int:
    """Store every preset shipped with the engine; return how many rows changed.

    Idempotent: a preset whose stored row already matches is left untouched
    (``updated_at`` keeps its value), so a second import returns 0. A preset
    whose text changed in a new release overwrites the stored row with the
    same code. Any invalid preset raises ``SchemeError`` and rolls back all.
    """
    changed = 0
    for preset_name in presets.names():
        text = presets.text(preset_name)
        parsed = load_scheme_text(text, source=f"preset:{preset_name}")
        wanted = {"name": parsed.name, "version": str(parsed.version), "source_text": text}
        scheme = Scheme.objects.select_for_update().filter(code=parsed.id).first()
        if scheme is None:
            Scheme.objects.create(code=parsed.id, **wanted)
            changed += 1
        elif any(getattr(scheme, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(scheme, field, value)
            scheme.save()
            changed += 1
    return changed
