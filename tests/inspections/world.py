"""A year for inspections: one scheme per kind of subject, each with a ledger node.

白莲镇 itself is scored by bailian-town ("inspection", cap 3), its sections by
moa-3plus2 ("misconduct", cap 10), its people by hami-transport ("efficiency",
counted at 0.5 a time from a base of 100).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.inspections.models import Inspection
from jixiao.inspections.services import inspection_record
from jixiao.years.models import AssessmentYear, SubjectKind
from jixiao.years.services import year_setup
from tests.cast import Cast


@dataclass
class InspectionWorld:
    year: AssessmentYear
    other_year: AssessmentYear


def build_inspection_world(cast: Cast) -> InspectionWorld:
    year = year_setup(
        actor=cast.office,
        org=cast.org,
        year=2024,
        choices={
            SubjectKind.ORGANISATION: "bailian-town",
            SubjectKind.UNIT: "moa-3plus2",
            SubjectKind.PERSON: "hami-transport",
        },
    )
    other_year = year_setup(
        actor=cast.outsider,
        org=cast.other_org,
        year=2024,
        choices={SubjectKind.ORGANISATION: "bailian-town"},
    )
    return InspectionWorld(year=year, other_year=other_year)


def record(cast: Cast, world: InspectionWorld, **overrides) -> Inspection:
    data = {
        "actor": cast.office,
        "year": world.year,
        "unit": cast.org,
        "kind": "unannounced",
        "date": date(2024, 3, 5),
        "finding": "值班人员脱岗",
        "node": "inspection",
        "points": Decimal("1"),
    }
    data.update(overrides)
    return inspection_record(**data)


def png(name: str = "photo.png") -> SimpleUploadedFile:
    """A real (tiny) PNG: the evidence store sniffs content, not names."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    raw = b"\x00\xff\x00\x00"  # one red pixel, filter byte 0
    data = io.BytesIO()
    data.write(b"\x89PNG\r\n\x1a\n")
    data.write(chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)))
    data.write(chunk(b"IDAT", zlib.compress(raw)))
    data.write(chunk(b"IEND", b""))
    return SimpleUploadedFile(name, data.getvalue(), content_type="image/png")
