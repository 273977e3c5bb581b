"""Evidence uploads: the real type from the bytes, a size cap, random stored names."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from jixiao.audit.models import AuditEvent
from jixiao.evidence.models import Evidence
from jixiao.evidence.services import DOCX, MAX_SIZE, XLSX, evidence_store
from tests.evidence import files

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "content", "content_type", "suffix"),
    [
        ("现场照片.jpg", files.JPEG, "image/jpeg", ".jpg"),
        ("photo.PNG", files.PNG, "image/png", ".png"),
        ("pic.webp", files.WEBP, "image/webp", ".webp"),
        ("台账.pdf", files.PDF, "application/pdf", ".pdf"),
        ("总结.docx", files.DOCX, DOCX, ".docx"),
        ("统计表.xlsx", files.XLSX, XLSX, ".xlsx"),
        # The name lies but the bytes are a PNG: stored and served as a PNG.
        ("scan.pdf", files.PNG, "image/png", ".png"),
    ],
)
def test_accepted_kinds_are_typed_by_their_bytes(cast, name, content, content_type, suffix):
    evidence = evidence_store(
        actor=cast.handler, org=cast.org, upload=files.upload(name, content), caption=" 说明 "
    )
    assert evidence.content_type == content_type
    assert evidence.original_name == name
    assert evidence.size == len(content)
    assert evidence.caption == "说明"
    assert evidence.uploaded_by == cast.handler
    assert Path(evidence.file.name).suffix == suffix
    assert evidence.file.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", b"just some text, not a photo"),  # text named .jpg
        ("notes.txt", "会议纪要".encode()),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("macro.docm", files.DOCM),
        ("archive.zip", b"PK\x03\x04not really a zip"),
        ("photo.jpg", b"GIF89a" + b"\x00" * 20),  # GIF is not on the list
    ],
)
def test_other_kinds_are_refused_naming_the_file(cast, name, content):
    with pytest.raises(ValidationError) as caught:
        evidence_store(actor=cast.handler, org=cast.org, upload=files.upload(name, content))
    assert list(caught.value.message_dict) == ["file"]
    assert name in caught.value.message_dict["file"][0]
    assert Evidence.objects.count() == 0


def test_a_jpg_that_is_really_a_pdf_is_stored_as_a_pdf(cast):
    evidence = evidence_store(
        actor=cast.handler, org=cast.org, upload=files.upload("photo.jpg", files.PDF, "image/jpeg")
    )
    assert evidence.content_type == "application/pdf"
    assert evidence.file.name.endswith(".pdf")
    assert not evidence.is_image


def test_more_than_ten_megabytes_is_refused_and_exactly_ten_is_accepted(cast):
    big = files.JPEG + b"\x00" * (MAX_SIZE + 1 - len(files.JPEG))
    assert len(big) == 10 * 1024 * 1024 + 1
    with pytest.raises(ValidationError) as caught:
        evidence_store(actor=cast.handler, org=cast.org, upload=files.upload("big.jpg", big))
    assert "10 MB" in caught.value.message_dict["file"][0]
    exact = big[:-1]
    evidence_store(actor=cast.handler, org=cast.org, upload=files.upload("ok.jpg", exact))
    assert Evidence.objects.count() == 1


def test_empty_file_is_refused(cast):
    with pytest.raises(ValidationError):
        evidence_store(actor=cast.handler, org=cast.org, upload=files.upload("x.jpg", b""))


def test_stored_names_are_random_and_never_the_uploaders(cast):
    first = evidence_store(
        actor=cast.handler, org=cast.org, upload=files.upload("../../etc/现场.jpg", files.JPEG)
    )
    second = evidence_store(
        actor=cast.handler, org=cast.org, upload=files.upload("../../etc/现场.jpg", files.JPEG)
    )
    assert first.file.name != second.file.name
    for evidence in (first, second):
        assert "现场" not in evidence.file.name and ".." not in evidence.file.name
        assert evidence.file.name.startswith("evidence/")
        stem = Path(evidence.file.name).stem
        assert len(stem) == 32  # 128 random bits
    # Only the last path component is kept for display.
    assert first.original_name == "现场.jpg"


def test_store_is_audited(cast):
    evidence = evidence_store(
        actor=cast.handler, org=cast.org, upload=files.upload("a.png", files.PNG)
    )
    event = AuditEvent.objects.get(action="evidence.store")
    assert event.object_id == str(evidence.pk)
    assert event.org == cast.org
