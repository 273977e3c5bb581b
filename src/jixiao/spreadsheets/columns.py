"""Sheet definitions: ordered columns with a Chinese header, a getter and a parser.

Parsers take the raw cell value openpyxl gives (str, int, float, datetime or
None) and return a Python value, or raise ``CellError`` with a message a user
understands; the importer prefixes it with the column's header.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

# Characters that make Excel (or LibreOffice, or a CSV viewer) read a cell as a
# formula: OWASP's list for CSV/formula injection.
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Prefix a text that a spreadsheet would evaluate with a quote, so it stays text."""
    if text.startswith(DANGEROUS_PREFIXES):
        return "'" + text
    return text


def unneutralise(text: str) -> str:
    """Undo ``neutralise`` so an exported file imports back unchanged."""
    if text.startswith("'") and text[1:].startswith(DANGEROUS_PREFIXES):
        return text[1:]
    return text


class CellError(ValueError):
    """A cell that cannot be read; the message says why, without the column name."""


@dataclass(frozen=True)
class Column:
    header: str  # Chinese, matched exactly (after trimming) on import
    key: str  # the parsed row's key
    get: Callable[[Any], Any] | None = None  # export: object → cell value
    parse: Callable[[Any], Any] | None = None  # import: cell value → Python value
    required: bool = False
    example: Any = ""
    help: str = ""
    width: int | None = None  # default: fitted to the content


@dataclass(frozen=True)
class Sheet:
    title: str  # worksheet title and download file name
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


# --- parsers ------------------------------------------------------------------


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        # A code such as 1001 typed into a number cell comes back as 1001.0.
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return unneutralise(str(value).strip()).strip()


def text(max_length: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        result = _as_text(value)
        if len(result) > max_length:
            raise CellError(
                _("不能超过 %(max_length)s 个字（现有 %(length)s 个）")
                % {"max_length": max_length, "length": len(result)}
            )
        return result

    return parse


def integer(minimum: int = 0, maximum: int = 2_147_483_647) -> Callable[[Any], int | None]:
    def parse(value: Any) -> int | None:
        if value is None or _as_text(value) == "":
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = value
        else:
            try:
                number = float(_as_text(value))
            except ValueError:
                raise CellError(_("“%(value)s”不是整数") % {"value": _as_text(value)}) from None
        if not float(number).is_integer():
            raise CellError(_("“%(value)s”不是整数") % {"value": _as_text(value)})
        number = int(number)
        if not minimum <= number <= maximum:
            raise CellError(
                _("应在 %(minimum)s 到 %(maximum)s 之间") % {"minimum": minimum, "maximum": maximum}
            )
        return number

    return parse


def decimal(max_digits: int, places: int) -> Callable[[Any], Decimal | None]:
    """A number with at most ``places`` decimals, as the model field stores it."""

    def parse(value: Any) -> Decimal | None:
        raw = _as_text(value).replace(",", "").replace("，", "")
        if raw == "":
            return None
        try:
            # repr() of a float is its shortest round-trip form: 0.1 stays 0.1.
            number = Decimal(repr(value) if isinstance(value, float) else raw)
        except InvalidOperation:
            raise CellError(_("“%(value)s”不是数字") % {"value": raw}) from None
        if not number.is_finite():
            raise CellError(_("“%(value)s”不是数字") % {"value": raw})
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            raise CellError(_("最多 %(places)s 位小数") % {"places": places})
        if abs(number) >= Decimal(10) ** (max_digits - places):
            raise CellError(_("数值太大"))
        return number

    return parse


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def date_cell(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = _as_text(value)
    if raw == "":
        return None
    match = _DATE_TEXT.match(raw)
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise CellError(_("“%(value)s”不是日期，请写成 2024-06-30") % {"value": raw})


def choice(labels: Mapping[str, str]) -> Callable[[Any], str]:
    """Chinese label → stored value."""

    def parse(value: Any) -> str:
        raw = _as_text(value)
        if raw == "":
            return ""
        if raw not in labels:
            raise CellError(
                _("“%(value)s”不是可选值（可选：%(choices)s）")
                % {"value": raw, "choices": _("、").join(labels)}
            )
        return labels[raw]

    return parse


_SEPARATORS = re.compile(r"[、,，;；\s]+")


def code_list(value: Any) -> list[str]:
    """Several codes in one cell, separated by 、 , ; (full or half width) or spaces."""
    return [part for part in _SEPARATORS.split(_as_text(value)) if part]
