"""Indicator values: ``≥95.00(%)`` ↔ operator / number / unit, or qualitative text.

The grammar is the one the Shanghai system prints (rules.md §3 V)::

    value  := op? number ( "(" unit ")" | unit )?  |  qualitative text
    op     := ≥ ≤ = > <   (also ＞ ＜ ＝ >= <= ≧ ≦, mapped)

A value that is neither is reported as malformed, never guessed.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .model import Target
from .text import clean, fold, normalise_operators

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_GRAMMAR = re.compile(
    rf"^(?P<op>[≥≤=><])?(?P<num>{_NUMBER})"
    r"(?:\((?P<u1>[^()]+)\)|(?P<u2>[^\d\s()][^()]*))?$"
)
_PLACEHOLDER = re.compile(r"[*_＊]|^[-—–.…·]+$|^x+$", re.IGNORECASE)
_OPERATOR_CHARS = re.compile(r"[≥≤=><]")
_CJK_NUMERAL_THEN_DIGIT = re.compile(r"[一二三四五六七八九十百千万][0-9]")
_DIGIT = re.compile(r"\d")


def _compact(raw: str) -> str:
    text = normalise_operators(fold(clean(raw)))
    text = text.replace("（", "(").replace("）", ")")
    return re.sub(r"\s+", "", text)


def parse_target(raw: object) -> Target:
    """Parse one indicator value as written in a cell."""
    original = clean(raw) if not isinstance(raw, (int, float, Decimal)) else _number_text(raw)
    text = _compact(original)
    if not text:
        return Target(raw=original, kind="empty")
    match = _GRAMMAR.match(text)
    if match:
        return _quantitative(original, match)
    problem = _malformed_reason(text)
    if problem:
        return Target(raw=original, kind="malformed", problem=problem)
    return Target(raw=original, kind="qualitative", text=original)


def _number_text(value: object) -> str:
    if isinstance(value, float):
        value = Decimal(repr(value))
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    return text


def _quantitative(original: str, match: re.Match[str]) -> Target:
    unit = match["u1"] or match["u2"]
    try:
        number = Decimal(match["num"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        return Target(raw=original, kind="malformed", problem="number")
    return Target(
        raw=original, kind="quantitative", op=match["op"], number=number, unit=unit or None
    )


def _malformed_reason(text: str) -> str | None:
    if _PLACEHOLDER.search(text):
        return "placeholder"
    if _OPERATOR_CHARS.search(text):
        return "operator"  # an operator with something that is not `number (unit)`
    if _CJK_NUMERAL_THEN_DIGIT.search(text):
        return "mixed"
    return None


def format_number(number: Decimal) -> str:
    return format(number, "f")


def format_target(
    op: str | None, number: Decimal | None, unit: str | None = None, text: str | None = None
) -> str:
    """The published spelling: ``≥95.00(%)``; qualitative text as it is."""
    if number is None:
        return text or ""
    body = f"{op or ''}{format_number(number)}"
    return f"{body}({unit})" if unit else body


def has_digits(text: str) -> bool:
    return bool(_DIGIT.search(text))
