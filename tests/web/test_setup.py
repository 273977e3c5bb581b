"""Database, migrations and settings as installed, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from jixiao.project.settings import _load_or_create_secret_key

IS_SQLITE = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


@pytest.mark.django_db
@pytest.mark.skipif(not IS_SQLITE, reason="WAL is a SQLite journal mode; this run uses PostgreSQL")
def test_sqlite_runs_in_wal_mode() -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL


@pytest.mark.django_db
def test_migrations_are_complete() -> None:
    # Exits (SystemExit) when a model change has no migration yet.
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


def test_secret_key_is_created_once_and_private(tmp_path: Path) -> None:
    first = _load_or_create_secret_key(tmp_path)
    assert len(first) >= 50
    assert _load_or_create_secret_key(tmp_path) == first
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_argon2_is_the_default_hasher() -> None:
    # The module, not the live settings: conftest swaps in a fast hasher for tests.
    from jixiao.project import settings as configured

    assert configured.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
