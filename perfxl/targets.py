"""Indicator values: ``≥95.00(%)`` ↔ operator / number / unit, or qualitative text.

The grammar is the one the Shanghai system prints (rules.md §3 V)::

    value  := op? number ( "(" unit ")" | unit )?  |  qualitative text
    op     := ≥ ≤ = > <   (also ＞ ＜ ＝ >= <= ≧ ≦, mapped)
    number := -? digits ("." digits)?   (thousands separators allowed)

A unit holds no digits (except a power after a Latin letter: ``m2``, ``m3``), so a
range (``95%-100%``) or a date never passes for ``number + unit``. Dates and periods
(``2023.07-2024.01``, ``2021年12月31日前``, ``12月底前``) are qualitative values (rule V12).
A value that is none of these is reported as malformed, never guessed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from decimal import Decimal, InvalidOperation
from unicodedata import is_normalized

from .model import Target
from .money import to_decimal
from .text import clean, fold, normalise_operators, without_spaces

_NUMBER = r"-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_GRAMMAR = re.compile(
    rf"^(?P<op>[≥≤=><])?(?P<num>{_NUMBER})"
    r"(?:\((?P<u1>[^()]+)\)|(?P<u2>[^\d\s()][^()]*))?$"
)
_UNIT_POWER = re.compile(r"(?<=[A-Za-z])[23](?!\d)")  # m2, km2, m3
_PLACEHOLDER_MARK = re.compile(r"[*_□]|(?<![a-z])[x×]{2,}(?![a-z])", re.IGNORECASE)
_FILLER = re.compile(r"^(?:[-—–.…·]+|[x×]+)$", re.IGNORECASE)
_OPERATOR_CHARS = re.compile(r"[≥≤=><]")
_CJK_NUMERAL_THEN_DIGIT = re.compile(r"[一二三四五六七八九十百千万][0-9]")
_DIGIT = re.compile(r"\d")
EXCEL_ERRORS = frozenset(
    {"#REF!", "#VALUE!", "#DIV/0!", "#N/A", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)

# Dates and periods (rule V12): 2023.07-2024.01, 2021年12月31日前, 12月底前, 每月10日前.
_YEAR = r"(?:19|20)\d{2}"
_DATE_TOKEN = (
    rf"(?:{_YEAR}年(?:\d{{1,2}}月(?:\d{{1,2}}[日号])?)?"
    r"|\d{1,2}月(?:\d{1,2}[日号])?"
    rf"|{_YEAR}[-/](?:0?[1-9]|1[0-2])(?:[-/]\d{{1,2}})?"
    rf"|{_YEAR}\.(?:0[1-9]|1[0-2])(?:\.\d{{2}})?"
    r"|每月\d{1,2}[日号])"
)
_DATE = re.compile(
    r"^(?P<op>[≥≤=><])?(?P<lead>于|在|截至|截止|截止到|不晚于|不迟于|最迟)?"
    rf"(?P<a>{_DATE_TOKEN})(?:[-—–~至到](?P<b>{_DATE_TOKEN}))?"
    r"(?P<tail>[\u4e00-\u9fff]{0,8})$"
)
# The shape most values have: an operator, ASCII digits and a bracketed unit. When the unit
# is letters (or %) that NFKC leaves as they are, cleaning changes nothing and no date can
# have this shape, so ``_parse_target`` reads it without the general steps, to the same Target.
_PLAIN_QUANTITY = re.compile(
    r"(?P<op>[≥≤=><])?(?P<num>[0-9]+(?:\.[0-9]+)?)(?:\((?P<unit>[^()]+)\))?"
)
_PLAIN_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")  # the plain shape without operator or unit
_DOT_DATE = re.compile(rf"^{_YEAR}\.\d{{2}}(?:\.\d{{2}})?$")
_BARE_MONTH = re.compile(r"^\d{1,2}月$")


def _compact(raw: str) -> str:
    text = normalise_operators(fold(clean(raw)))
    text = text.replace("（", "(").replace("）", ")")
    return without_spaces(text)


def parse_target(raw: object) -> Target:
    """Parse one indicator value as written in a cell."""
    kind = raw.__class__
    if kind is str:
        return _parse_text_cached(raw) if len(raw) <= 64 else _parse_target(raw)
    if kind is int or kind is float:
        return _number_target(raw)
    return _parse_target(raw)


def _number_target(raw: int | float) -> Target:
    """A number cell: quantitative, no operator, no unit (what the grammar gives its text)."""
    number = to_decimal(raw)
    if not number.is_finite():
        return _parse_target(raw)
    text = _number_text(number)
    return Target(raw=text, kind="quantitative", number=Decimal(text))


@lru_cache(maxsize=4096)
def _parse_text_cached(raw: str) -> Target:
    return _parse_target(raw)  # Targets are immutable: values repeat across forms


def plain_number(text: str) -> Decimal | None:
    """The number of a value that is a plain ASCII number (``93``, ``0.50``), else None.

    For such text ``parse_target`` gives a quantitative Target with this number and neither
    operator nor unit; any other text (or a number with a sign, separators or spaces) is None.
    """
    return Decimal(text) if _PLAIN_NUMBER.fullmatch(text) else None


def _parse_target(raw: object) -> Target:
    if raw.__class__ is str:
        plain = _plain_match(raw)
        if plain is not None:
            return _plain_quantity(raw, plain)
    return _parse_general(raw)


def _plain_match(raw: str) -> re.Match[str] | None:
    """The match of a value of the plain shape, None for any other text."""
    match = _PLAIN_QUANTITY.fullmatch(raw)
    if match is None:
        return None
    unit = match["unit"]
    if unit is None or ((unit.isalpha() or unit == "%") and is_normalized("NFKC", unit)):
        return match
    return None


def _plain_quantity(raw: str, plain: re.Match[str]) -> Target:
    """What ``_parse_general`` makes of a value of the plain shape, without its steps."""
    op, number, unit = plain.group("op", "num", "unit")
    return Target(raw=raw, kind="quantitative", op=op, number=Decimal(number), unit=unit)


def _parse_general(raw: object) -> Target:
    original = clean(raw) if not isinstance(raw, (int, float, Decimal)) else _number_text(raw)
    text = _compact(original)
    if not text:
        return Target(raw=original, kind="empty")
    if is_date_text(text):
        return Target(raw=original, kind="qualitative", text=original)
    match = _GRAMMAR.match(text)
    if match and _unit_is_plain(match["u1"] or match["u2"]):
        return _quantitative(original, match)
    problem = _malformed_reason(text)
    if problem:
        return Target(raw=original, kind="malformed", problem=problem)
    return Target(raw=original, kind="qualitative", text=original)


def is_date_text(raw: str) -> bool:
    """A date or period written as a value (``2023.07-2024.01``, ``12月底前``), not a number.

    A lone ``2023.07`` stays a number, and so does ``12月`` (a duration); with an
    operator only a value that names a year is a date (``≤2023年12月31日``).
    """
    text = _compact(raw)
    match = _DATE.match(text)
    if not match:
        return False
    first, second, tail = match["a"], match["b"], match["tail"]
    has_year = bool(re.match(_YEAR, first))
    if match["op"] and not has_year:
        return False
    if second is None and not tail and not match["lead"]:
        if _DOT_DATE.match(first) or _BARE_MONTH.match(first):
            return False
    return True


def _unit_is_plain(unit: str | None) -> bool:
    return unit is None or not _DIGIT.search(_UNIT_POWER.sub("", unit))


def _number_text(value: object) -> str:
    """A number cell as its text; floats as Excel shows them (15 significant digits)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = to_decimal(value)
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _quantitative(original: str, match: re.Match[str]) -> Target:
    unit = match["u1"] or match["u2"]
    try:
        number = Decimal(match["num"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        return Target(raw=original, kind="malformed", problem="number")
    return Target(
        raw=original, kind="quantitative", op=match["op"], number=number, unit=unit or None
    )


def _is_placeholder(text: str) -> bool:
    """``*``, ``_``, ``xx``, ``××`` anywhere; or only dashes/dots around an operator/unit."""
    if _PLACEHOLDER_MARK.search(text):
        return True
    core = _OPERATOR_CHARS.sub("", text, count=1) if text[:1] in "≥≤=><" else text
    core = re.sub(r"(?:\([^()]*\)|%)$", "", core)
    return bool(_FILLER.match(core))


def _malformed_reason(text: str) -> str | None:
    if text.upper() in EXCEL_ERRORS:
        return "excel_error"
    if _is_placeholder(text):
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
