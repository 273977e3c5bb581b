"""Phone numbers: normalised, never stored in clear, matched by a keyed hash, masked."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection

from jixiao.appraisal import crypto
from jixiao.appraisal.crypto import (
    PhoneError,
    phone_decrypt,
    phone_digest,
    phone_encrypt,
    phone_last4,
    phone_mask,
    phone_normalise,
)
from jixiao.appraisal.models import Respondent
from tests.appraisal.office_world import build_office_world, phone_of


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("13812345678.0", "13812345678"),
        ("0731-88881234", "073188881234"),
        ("(0731) 8888 1234", "073188881234"),
        ("010-12345678", "01012345678"),
        ("0731-88881234转801", "073188881234-801"),
    ],
)
def test_normalise_accepts_mobiles_and_landlines(raw, normal):
    assert phone_normalise(raw) == normal


@pytest.mark.parametrize(
    "raw", ["", "12345", "1381234567", "138123456789", "12812345678", "88881234", "电话", "0731"]
)
def test_normalise_refuses_what_is_not_a_chinese_number(raw):
    with pytest.raises(PhoneError, match="不是有效的"):
        phone_normalise(raw)


def test_encryption_round_trips_and_differs_each_time(settings):
    first, second = phone_encrypt("138 1234 5678"), phone_encrypt("13812345678")
    assert first != second  # a fresh IV: equal numbers cannot be spotted in the table
    assert "13812345678" not in first and "5678" not in first
    assert phone_decrypt(first) == phone_decrypt(second) == "13812345678"


def test_digest_is_keyed_and_stable():
    assert phone_digest("138-1234-5678") == phone_digest("+8613812345678")
    assert phone_digest("13812345678") != phone_digest("13812345679")
    # Keyed: not the plain SHA-256 anyone could compute over all 11-digit numbers.
    assert phone_digest("13812345678") != hashlib.sha256(b"13812345678").hexdigest()


def test_key_comes_from_the_field_key_when_set(monkeypatch):
    token = phone_encrypt("13812345678")
    digest = phone_digest("13812345678")
    monkeypatch.setenv(crypto.FIELD_KEY_ENV, "another key entirely")
    assert phone_digest("13812345678") != digest
    with pytest.raises(PhoneError, match="无法解密"):
        phone_decrypt(token)
    assert phone_decrypt(phone_encrypt("13812345678")) == "13812345678"


def test_key_follows_the_secret_key(settings, monkeypatch):
    monkeypatch.delenv(crypto.FIELD_KEY_ENV, raising=False)
    digest = phone_digest("13812345678")
    settings.SECRET_KEY = "a different secret key for this test only, long enough"
    assert phone_digest("13812345678") != digest


def test_mask_and_last4():
    assert phone_last4("138-1234-5678") == "5678"
    assert phone_last4("0731-88881234转801") == "1234"
    assert phone_mask("5678") == "***-****-5678"


@pytest.mark.django_db
def test_no_phone_number_is_stored_in_clear(cast):
    build_office_world(cast)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT phone_encrypted, phone_digest, phone_last4, extra, name "
            f"FROM {Respondent._meta.db_table}"
        )
        rows = cursor.fetchall()
    assert len(rows) == 40
    numbers = [phone_of(i) for i in range(1, 41)]
    for row in rows:
        raw = " ".join(str(value) for value in row)
        assert not any(number in raw for number in numbers)
    stored = {phone_decrypt(row[0]) for row in rows}
    assert stored == set(numbers)
