"""Keeping an uploaded file between an import's preview and its confirmation.

The file goes to a private temporary directory (``DATA_DIR/tmp/imports``, never
served) under a random name; the session keeps only that name, the original
filename, a sha256 of the content and a single-use token. Confirming checks the
token and the hash, so a file changed or swapped on disk is refused. Files are
deleted after the confirmation, and any left behind (preview never confirmed)
once older than ``MAX_AGE``, opportunistically on each new upload.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings

MAX_AGE = timedelta(days=1)


class StashMissing(Exception):
    """No previewed file to confirm: never stashed, expired or deleted."""


class StashChanged(StashMissing):
    """The file on disk is not the one previewed (its sha256 differs)."""


@dataclass(frozen=True)
class Stashed:
    data: bytes
    filename: str  # the name the user uploaded, for display only
    meta: dict


def stash_dir() -> Path:
    return Path(settings.DATA_DIR) / "tmp" / "imports"


def _path(name: str) -> Path | None:
    # The name is ours (hex), but never trust a path read back from the session.
    if not name or Path(name).name != name or not name.isalnum():
        return None
    return stash_dir() / name


def stash_sweep(*, max_age: timedelta = MAX_AGE) -> int:
    """Delete stashed files older than ``max_age``; returns how many went."""
    folder = stash_dir()
    if not folder.is_dir():
        return 0
    cutoff = time.time() - max_age.total_seconds()
    removed = 0
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
        except OSError:  # another request removed it first
            continue
    return removed


def stash_save(session, key: str, data: bytes, *, filename: str, **meta) -> str:
    """Write ``data`` to a fresh private file, remember it under ``key``; returns the token."""
    stash_clear(session, key)
    stash_sweep()
    folder = stash_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = secrets.token_hex(16)
    # O_EXCL: never follow or reuse an existing file; 0600: readable by us only.
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    token = secrets.token_urlsafe(24)
    session[key] = {
        "token": token,
        "file": name,
        "filename": filename,
        "sha256": hashlib.sha256(data).hexdigest(),
        "meta": meta,
    }
    return token


def stash_load(session, key: str, token: str, **expected) -> Stashed:
    """The stashed file if ``token`` and ``expected`` meta match and the hash holds."""
    stash = session.get(key) or {}
    if (
        not stash
        or not secrets.compare_digest(str(stash.get("token", "")), token or "")
        or any(stash.get("meta", {}).get(k) != v for k, v in expected.items())
    ):
        raise StashMissing
    path = _path(stash.get("file", ""))
    if path is None or not path.is_file():
        raise StashMissing
    if path.stat().st_mtime < time.time() - MAX_AGE.total_seconds():
        path.unlink(missing_ok=True)  # expired, even if no upload has swept it yet
        raise StashMissing
    data = path.read_bytes()
    if not secrets.compare_digest(hashlib.sha256(data).hexdigest(), stash.get("sha256", "")):
        raise StashChanged
    return Stashed(data=data, filename=stash.get("filename", ""), meta=stash.get("meta", {}))


def stash_clear(session, key: str) -> None:
    """Forget the stash under ``key`` and delete its file."""
    stash = session.pop(key, None) or {}
    path = _path(stash.get("file", ""))
    if path is not None:
        path.unlink(missing_ok=True)
