"""Stored files follow their transaction: a rolled-back store leaves nothing in MEDIA_ROOT."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from jixiao.evidence.files import files_atomic
from jixiao.evidence.models import Evidence
from jixiao.evidence.services import evidence_store
from tests.evidence import files


class Refused(Exception):
    """What a service raises after the file is stored (a refused report, a bad second file)."""


def on_disk(media_root: Path) -> list[str]:
    root = Path(media_root)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def store(cast, name: str = "现场.jpg") -> Evidence:
    return evidence_store(actor=cast.office, org=cast.org, upload=files.upload(name, files.JPEG))


@pytest.mark.django_db
def test_a_store_that_commits_keeps_its_file(cast, media_root) -> None:
    with files_atomic():
        evidence = store(cast)
    assert on_disk(media_root) == [evidence.file.name]
    assert Path(evidence.file.path).read_bytes() == files.JPEG


@pytest.mark.django_db
def test_a_failure_after_the_store_deletes_the_file_and_the_row(cast, media_root) -> None:
    with pytest.raises(Refused), files_atomic():
        evidence = store(cast)
        assert on_disk(media_root) == [evidence.file.name]  # written at once
        raise Refused
    assert on_disk(media_root) == []
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_only_the_files_of_the_block_that_failed_go(cast, media_root) -> None:
    with files_atomic():
        kept = store(cast, "先.jpg")
        with pytest.raises(Refused), files_atomic():  # a savepoint inside
            store(cast, "后.jpg")
            raise Refused
    assert on_disk(media_root) == [kept.file.name]
    assert [e.original_name for e in Evidence.objects.all()] == ["先.jpg"]


@pytest.mark.django_db
def test_a_failure_in_the_enclosing_block_deletes_files_of_a_finished_inner_one(
    cast, media_root
) -> None:
    with pytest.raises(Refused), files_atomic():
        with files_atomic():
            store(cast)
        store(cast, "二.jpg")
        assert len(on_disk(media_root)) == 2
        raise Refused
    assert on_disk(media_root) == []


@pytest.mark.django_db
def test_a_refused_upload_stores_nothing(cast, media_root) -> None:
    with pytest.raises(ValidationError, match=r"bad\.jpg"):
        evidence_store(actor=cast.office, org=cast.org, upload=files.upload("bad.jpg", b"text"))
    assert on_disk(media_root) == []


# Without the test's own wrapping transaction: files_atomic is the outermost block and
# checks, after the commit, which stored files a row still points to.


@pytest.mark.django_db(transaction=True)
def test_outermost_commit_keeps_files_with_a_row_and_deletes_those_without(
    cast, media_root
) -> None:
    with files_atomic():
        kept = store(cast, "保留.jpg")
        try:
            with transaction.atomic():  # a plain savepoint whose error is swallowed
                store(cast, "回滚.jpg")
                raise Refused
        except Refused:
            pass
    assert on_disk(media_root) == [kept.file.name]
    assert [e.original_name for e in Evidence.objects.all()] == ["保留.jpg"]


@pytest.mark.django_db(transaction=True)
def test_outermost_rollback_deletes_every_file(cast, media_root) -> None:
    with pytest.raises(Refused), files_atomic():
        store(cast)
        store(cast, "二.jpg")
        raise Refused
    assert on_disk(media_root) == []
    assert not Evidence.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_store_on_its_own_commits_and_keeps_its_file(cast, media_root) -> None:
    evidence = store(cast)  # outside any transaction: evidence_store is its own boundary
    assert on_disk(media_root) == [evidence.file.name]
    assert Evidence.objects.get().file.name == evidence.file.name
