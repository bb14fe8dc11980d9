"""Dates as forms spell them: 2023-01-01, 2026/1/1, 2023年1月1日, 2023.07, datetime cells."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ..text import squash

_FULL = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_MONTH = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
SERIAL_RANGE = (30000, 60000)  # Excel serials from 1982 to 2064 (rule D08)


@dataclass(frozen=True)
class ParsedDate:
    value: dt.date | None
    text: str
    problem: str | None = None  # "missing", "unparsable", "serial"


def parse_date(value: object, *, end_of_period: bool = False) -> ParsedDate:
    """Read a date cell; month-precision dates fall on the first (or last) day of the month."""
    if isinstance(value, dt.datetime):
        return ParsedDate(value.date(), value.date().isoformat())
    if isinstance(value, dt.date):
        return ParsedDate(value, value.isoformat())
    if value is None or (isinstance(value, str) and not value.strip()):
        return ParsedDate(None, "", "missing")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = str(int(value)) if float(value).is_integer() else str(value)
        return ParsedDate(None, text, _number_problem(value))
    text = squash(str(value))
    return _parse_text(text, end_of_period)


def _number_problem(value: float) -> str:
    low, high = SERIAL_RANGE
    return "serial" if low <= value <= high else "unparsable"


def _parse_text(text: str, end_of_period: bool) -> ParsedDate:
    plain = text.replace(",", "")
    if plain.isdigit() and SERIAL_RANGE[0] <= int(plain) <= SERIAL_RANGE[1]:
        return ParsedDate(None, text, "serial")
    for pattern in (_FULL, _COMPACT):
        match = pattern.match(text)
        if match:
            return _make(text, int(match[1]), int(match[2]), int(match[3]))
    match = _MONTH.match(text)
    if match:
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            return ParsedDate(None, text, "unparsable")
        day = calendar.monthrange(year, month)[1] if end_of_period else 1
        return _make(text, year, month, day)
    return ParsedDate(None, text, "unparsable")


def _make(text: str, year: int, month: int, day: int) -> ParsedDate:
    try:
        return ParsedDate(dt.date(year, month, day), text)
    except ValueError:
        return ParsedDate(None, text, "unparsable")
