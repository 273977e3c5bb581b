"""Phone numbers of respondents: normalised, encrypted, hashed for matching, masked.

A respondent's number is personal data. The database holds it only encrypted
(Fernet: AES-128-CBC + HMAC-SHA256, from the ``cryptography`` package) plus a keyed
hash (HMAC-SHA256) of the normalised number, so a re-import finds the same person
without decrypting every row, and the last four digits for the masked display.

Both keys are derived with HKDF from ``JIXIAO_FIELD_KEY`` when set, else from
``settings.SECRET_KEY``. Setting ``JIXIAO_FIELD_KEY`` lets the secret key be rotated
without losing the numbers; changing the field key makes the stored numbers
unreadable (import the frame again).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils.translation import gettext as _

FIELD_KEY_ENV = "JIXIAO_FIELD_KEY"

# Mobile: 11 digits from 13x to 19x. Landline: a 0, a 2–3 digit area code and a
# 7–8 digit number (10 to 12 digits), optionally with an extension after "-" or 转.
MOBILE_RE = re.compile(r"1[3-9]\d{9}")
LANDLINE_RE = re.compile(r"0\d{9,11}")
_SEPARATORS = re.compile(r"[\s\-－—()（）.]")
_EXTENSION = re.compile(r"(?:转|ext\.?|x)(\d{1,6})$", re.IGNORECASE)


class PhoneError(ValueError):
    """Not a Chinese mobile or landline number; the message says so."""


def phone_normalise(raw: str) -> str:
    """Digits only, without +86: "138 1234 5678" → "13812345678", "0731-8888 1234" →
    "073188881234"; an extension is kept after "-" ("073188881234-801")."""
    text = str(raw or "").strip()
    if text.endswith(".0"):  # a number cell read back from Excel as a float
        text = text[:-2]
    extension = ""
    match = _EXTENSION.search(text)
    if match:
        extension, text = match.group(1), text[: match.start()]
    digits = _SEPARATORS.sub("", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if MOBILE_RE.fullmatch(digits) and not extension:
        return digits
    if LANDLINE_RE.fullmatch(digits):
        return f"{digits}-{extension}" if extension else digits
    raise PhoneError(
        _("“%(value)s”不是有效的手机号码（11 位）或固定电话（区号 + 号码）") % {"value": raw}
    )


def _master_key() -> bytes:
    return (os.environ.get(FIELD_KEY_ENV) or settings.SECRET_KEY).encode()


@lru_cache(maxsize=4)
def _keys(master: bytes) -> tuple[Fernet, bytes]:
    def derive(info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)

    fernet = Fernet(base64.urlsafe_b64encode(derive(b"jixiao appraisal phone encryption")))
    return fernet, derive(b"jixiao appraisal phone digest")


def phone_encrypt(phone: str) -> str:
    """The normalised number, encrypted (a fresh IV each time: equal numbers differ)."""
    fernet, _digest_key = _keys(_master_key())
    return fernet.encrypt(phone_normalise(phone).encode()).decode("ascii")


def phone_decrypt(token: str) -> str:
    fernet, _digest_key = _keys(_master_key())
    try:
        return fernet.decrypt(token.encode("ascii")).decode()
    except InvalidToken:
        raise PhoneError(_("电话号码无法解密：加密密钥已更换，请重新导入抽样框")) from None


def phone_digest(phone: str) -> str:
    """Keyed hash of the normalised number (hex): equal numbers, equal digests."""
    _fernet, digest_key = _keys(_master_key())
    return hmac.new(digest_key, phone_normalise(phone).encode(), hashlib.sha256).hexdigest()


def phone_last4(phone: str) -> str:
    return phone_normalise(phone).split("-")[0][-4:]


def phone_mask(last4: str) -> str:
    """What pages show: "***-****-5678". Only the last four digits are ever at hand."""
    return f"***-****-{last4}"
