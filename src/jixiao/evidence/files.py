"""Stored evidence files follow the transaction that stored them.

A file is written to MEDIA_ROOT at once (its row needs the name), but the row
that points to it may still be rolled back: a progress report whose second
upload is refused, a veto whose note is missing. Without care the file would
stay on disk with nothing pointing to it.

Django calls back on commit (``transaction.on_commit``) but never on rollback,
so the cleanup lives at the service boundary instead: ``files_atomic`` is
``transaction.atomic`` that also remembers the files stored inside it
(``file_stored``) and

* when an exception leaves the block, deletes them. An exception leaving an
  atomic block always undoes its writes: a savepoint is rolled back at once,
  and without a savepoint the enclosing transaction is marked for rollback and
  can no longer commit. So the rows are gone, on SQLite and PostgreSQL alike.
* when the block is the outermost one and ends normally, the transaction has
  ended (committed, or rolled back because an inner block swallowed an error
  and left it marked for rollback); the files whose row is then not in the
  database (a swallowed, rolled-back savepoint) are deleted, the rest kept.
* when the block is nested and ends normally, it decides nothing: the
  enclosing ``files_atomic`` does. Under a plain ``transaction.atomic`` that
  later rolls back (no service does this) a file may stay behind: we only ever
  delete a file we know no committed row can point to.

The list of stored files is per thread, like Django's connections, and is a
stack: each block owns the entries added after it began.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from asgiref.local import Local
from django.core.files.storage import Storage
from django.db import transaction

logger = logging.getLogger(__name__)

_local = Local()


def _stored() -> list[tuple[Storage, str]]:
    try:
        return _local.stored
    except AttributeError:
        _local.stored = []
        return _local.stored


def file_stored(storage: Storage, name: str) -> None:
    """Remember a file just written, for the enclosing ``files_atomic`` block."""
    _stored().append((storage, name))


@contextmanager
def files_atomic() -> Iterator[None]:
    """``transaction.atomic`` that deletes the files stored inside it if it rolls back.

    Usable as a decorator too (a fresh block each call), like ``transaction.atomic``.
    """
    outermost = not transaction.get_connection().in_atomic_block
    stored = _stored()
    if outermost:
        # Left by a plain atomic block that has ended: their fate is unknown, keep them.
        stored.clear()
    mark = len(stored)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        mine = stored[mark:]
        del stored[mark:]
        _delete(mine)
        raise
    if outermost:
        mine = stored[mark:]
        del stored[mark:]
        _delete(_unreferenced(mine))


def _unreferenced(files: list[tuple[Storage, str]]) -> list[tuple[Storage, str]]:
    if not files:
        return []
    from jixiao.evidence.models import Evidence

    names = [name for __, name in files]
    kept = set(Evidence.objects.filter(file__in=names).values_list("file", flat=True))
    return [(storage, name) for storage, name in files if name not in kept]


def _delete(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:  # never hide the error that caused the rollback
            logger.exception("could not delete the orphaned evidence file %s", name)
