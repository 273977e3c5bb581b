"""Writes for schemes. A version is immutable: saving changes creates the next one."""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jixiao.audit.services import audit_record
from jixiao.engine import Scheme as EngineScheme
from jixiao.engine import SchemeError, load_scheme_text, presets
from jixiao.organisation.models import Unit
from jixiao.schemes.models import Scheme, SchemeVersion


@transaction.atomic
def scheme_create_from_preset(*, actor, org: Unit, preset: str) -> Scheme:
    """Copy a shipped preset into the organisation as version 1 (idempotent per code)."""
    if preset not in presets.names():
        raise ValidationError({"preset": _("没有名为 %(preset)s 的预设方案") % {"preset": preset}})
    text = presets.text(preset)
    parsed = load_scheme_text(text, source=f"preset {preset}")
    scheme, created = Scheme.objects.get_or_create(
        org=org, code=parsed.id, defaults={"name": parsed.name, "preset": preset}
    )
    if created:
        SchemeVersion.objects.create(scheme=scheme, number=1, source_text=text, created_by=actor)
        audit_record(
            actor=actor,
            action="scheme.create",
            obj=scheme,
            org=org,
            summary=f"由预设 {preset} 创建方案 {scheme.name}",
            after={"preset": preset, "version": 1},
        )
    return scheme


@transaction.atomic
def scheme_version_save(*, actor, scheme: Scheme, source_text: str) -> SchemeVersion:
    """Validate the text with the engine and store it as the next version.

    Raises SchemeError (every problem with its line) and stores nothing when the
    text does not load. Saving the same text as the latest version changes nothing.
    """
    parsed = load_scheme_text(source_text, source=scheme.code)
    latest = scheme.versions.select_for_update().order_by("-number").first()
    if latest is not None and latest.source_text == source_text:
        return latest
    number = latest.number + 1 if latest else 1
    version = SchemeVersion.objects.create(
        scheme=scheme, number=number, source_text=source_text, created_by=actor
    )
    if scheme.name != parsed.name:
        scheme.name = parsed.name
        scheme.save(update_fields=["name"])
    audit_record(
        actor=actor,
        action="scheme.version",
        obj=version,
        org=scheme.org,
        summary=f"方案 {scheme.name} 保存为第 {number} 版",
        before={"version": latest.number if latest else None},
        after={"version": number},
    )
    return version


# -- the weight editor ----------------------------------------------------------------

_NODE_HEADER = re.compile(r"^\s*\[\[\s*node\s*\]\]")
_WEIGHT_LINE = re.compile(r"^(?P<key>\s*weight\s*=\s*)(?P<value>[^#\s]+)(?P<rest>.*)$")


def _number_text(value: Decimal) -> str:
    """A weight as a TOML number: 40, 12.5 (never 4E+1)."""
    return format(value.normalize(), "f")


def weights_rewrite_text(text: str, parsed: EngineScheme, weights: dict[str, Decimal]) -> str:
    """The scheme text with the ``weight = N`` line of each given node replaced.

    Each node's table is found from the line the engine recorded for it; only
    the number changes, so comments (``weight = 40  # default``), key order and
    everything else stay as the office wrote them. A weight equal to the one in
    the file is left exactly as written.
    """
    lines = text.splitlines(keepends=True)
    for node_id, value in weights.items():
        node = parsed.nodes.get(node_id)
        if node is None or node.line is None:
            raise ValueError(f"node {node_id} is not declared in the file")
        if node.weight is not None and node.weight == value:
            continue
        index = _weight_line_index(lines, node.line - 1)
        if index is None:
            raise ValueError(f"node {node_id} has no weight line")
        body = lines[index].rstrip("\r\n")
        ending = lines[index][len(body) :]
        match = _WEIGHT_LINE.match(body)
        assert match is not None  # _weight_line_index matched it
        lines[index] = f"{match['key']}{_number_text(value)}{match['rest']}{ending}"
    return "".join(lines)


def _weight_line_index(lines: list[str], id_index: int) -> int | None:
    start = id_index
    while start > 0 and not _NODE_HEADER.match(lines[start]):
        start -= 1
    end = id_index + 1
    while end < len(lines) and not lines[end].lstrip().startswith("["):
        end += 1
    for index in range(start + 1, end):
        if _WEIGHT_LINE.match(lines[index].rstrip("\r\n")):
            return index
    return None


@transaction.atomic
def scheme_weights_save(*, actor, scheme: Scheme, weights: dict[str, Decimal]) -> SchemeVersion:
    """Store the latest version with new weights as the next version.

    Raises SchemeError (nothing saved) when the weights do not sum to 100.
    Weights equal to the latest version's create no new version.
    """
    latest = scheme.versions.select_for_update().order_by("-number").first()
    if latest is None:
        raise ValidationError({"scheme": _("该方案没有版本")})
    text = weights_rewrite_text(latest.source_text, latest.parsed(), weights)
    return scheme_version_save(actor=actor, scheme=scheme, source_text=text)


__all__ = [
    "SchemeError",
    "scheme_create_from_preset",
    "scheme_version_save",
    "scheme_weights_save",
    "weights_rewrite_text",
]
