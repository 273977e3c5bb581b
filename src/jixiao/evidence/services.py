"""Writes for evidence files: type checked by content, size capped, random storage names."""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from jixiao.audit.services import audit_record
from jixiao.evidence.files import file_stored, files_atomic
from jixiao.evidence.models import Evidence

MAX_SIZE = 10 * 1024 * 1024  # 10 MB: a phone photo is 2–6 MB, a scanned PDF rarely more

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The main part's content type names the Office document kind; macro-enabled
# variants (docm/xlsm) carry a different one and are refused.
_OFFICE_MAIN_PARTS = {
    DOCX: ("wordprocessingml.document.main+xml", "docx"),
    XLSX: ("spreadsheetml.sheet.main+xml", "xlsx"),
}
_MAX_CONTENT_TYPES_XML = 256 * 1024  # a real [Content_Types].xml is a few KB


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str


def sniff(upload: UploadedFile) -> FileKind | None:
    """The file's real kind from its bytes (never its name or the browser's claim)."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"\xff\xd8\xff"):
        return FileKind("image/jpeg", "jpg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind("image/png", "png")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileKind("image/webp", "webp")
    if head.startswith(b"%PDF-"):
        return FileKind("application/pdf", "pdf")
    if head.startswith(b"PK\x03\x04"):
        return _sniff_office(upload)
    return None


def _sniff_office(upload: UploadedFile) -> FileKind | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            info = archive.getinfo("[Content_Types].xml")
            # Read only this small part, and only if it claims to be small (zip bombs).
            if info.file_size > _MAX_CONTENT_TYPES_XML:
                return None
            types = archive.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None
    finally:
        upload.seek(0)
    for content_type, (marker, extension) in _OFFICE_MAIN_PARTS.items():
        if marker in types:
            return FileKind(content_type, extension)
    return None


def evidence_check(upload: UploadedFile) -> FileKind:
    """The upload's kind, or ValidationError on "file" naming the file and the problem."""
    name = _display_name(upload.name or "")
    if upload.size is None or upload.size > MAX_SIZE:
        raise ValidationError({"file": _("“%(name)s”超过 10 MB，请压缩后再上传") % {"name": name}})
    if upload.size == 0:
        raise ValidationError({"file": _("“%(name)s”是空文件") % {"name": name}})
    kind = sniff(upload)
    if kind is None:
        raise ValidationError(
            {
                "file": _(
                    "“%(name)s”不是允许的文件类型（只接受 JPEG/PNG/WebP 图片、PDF、Word、Excel）"
                )
                % {"name": name}
            }
        )
    return kind


def _display_name(name: str) -> str:
    """The uploader's file name without any directory part, for display only."""
    return posixpath.basename(name.replace("\\", "/")).strip()[:200] or "file"


@files_atomic()
def evidence_store(*, actor, org, upload: UploadedFile, caption: str = "") -> Evidence:
    """Check and store one upload; the stored name is random, its suffix the real type's.

    The file is deleted again if the transaction that stores it rolls back, as long
    as the caller's service boundary is ``files_atomic`` (see ``jixiao.evidence.files``).
    """
    kind = evidence_check(upload)
    evidence = Evidence(
        org=org,
        original_name=_display_name(upload.name or ""),
        content_type=kind.content_type,
        size=upload.size,
        caption=caption.strip()[:200],
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # The name passed here only lends its suffix to the model's random path.
    evidence.file.save(f"evidence.{kind.extension}", upload, save=False)
    file_stored(evidence.file.storage, evidence.file.name)
    evidence.save()
    audit_record(
        actor=actor,
        action="evidence.store",
        obj=evidence,
        org=org,
        summary=f"上传佐证材料 {evidence.original_name}",
        after={"content_type": kind.content_type, "size": evidence.size},
    )
    return evidence
