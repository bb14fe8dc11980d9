"""Money, exact to the fen: parsing amounts, 元 ↔ 万元, 人民币大写, multi-year remainder.

Everything is Decimal. A float reaching this module (python-calamine returns numbers as
floats) is turned into the decimal Excel shows (15 significant digits), never computed with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .text import clean, fold

FEN = Decimal("0.01")
WAN = Decimal(10000)

_AMOUNT = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


@dataclass(frozen=True)
class Amount:
    """The result of reading one amount cell."""

    value: Decimal | None
    text: str  # the cell as written, cleaned
    problem: str | None = None  # "not_a_number" when the text is not an amount

    @property
    def decimals(self) -> int:
        if self.value is None:
            return 0
        exponent = self.value.as_tuple().exponent
        return max(0, -exponent) if isinstance(exponent, int) else 0


def to_decimal(value: object) -> Decimal:
    """A number from a cell as Decimal; floats as Excel shows them (15 significant digits)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise InvalidOperation
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # Excel keeps 15 significant digits: 0.1+0.2 shows (and is) 0.3 to an accountant.
        return Decimal(format(value, ".15g"))
    raise InvalidOperation


def parse_amount(value: object) -> Amount:
    """Read an amount cell: ``27,315,700.00``, ``0``, ``1234.5``, a number, or blank."""
    if value is None or value == "":
        return Amount(None, "")
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number = to_decimal(value)
        if not _plausible(number):
            return Amount(None, str(value), "not_a_number")
        return Amount(number, format(number, "f"))
    text = fold(clean(value)).replace(" ", "").replace("−", "-").replace("，", ",")
    if text in ("", "-", "—"):
        return Amount(None, text)
    if not _AMOUNT.match(text):
        return Amount(None, text, "not_a_number")
    number = Decimal(text.replace(",", ""))
    if not _plausible(number):
        return Amount(None, text, "not_a_number")
    return Amount(number, text)


MAX_AMOUNT = Decimal(10) ** 15  # 1,000 万亿元: beyond any budget, and within exact arithmetic


def _plausible(number: Decimal) -> bool:
    return number.is_finite() and abs(number) < MAX_AMOUNT


def fen(amount: Decimal) -> Decimal:
    """Round to the fen, half up (how 元 amounts are printed)."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def yuan_to_wan(amount: Decimal, places: int = 2) -> Decimal:
    """元 → 万元 rounded half up to ``places`` decimals (4 keeps whole 元 exact)."""
    return (amount / WAN).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def wan_to_yuan(amount: Decimal) -> Decimal:
    return fen(amount * WAN)


def same_in_wan(yuan: Decimal, wan: Decimal) -> bool:
    """Rule F09: does a 万元 figure show this 元 amount at the 万元 figure's precision?"""
    exponent = wan.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 2
    return yuan_to_wan(yuan, places) == wan


def format_yuan(amount: Decimal | None) -> str:
    """``27,315,700.00``; blank for None."""
    return "" if amount is None else f"{fen(amount):,.2f}"


def plain_yuan(amount: Decimal | None) -> str | None:
    """``27315700.00`` (the JSON spelling); None for None."""
    return None if amount is None else f"{fen(amount):.2f}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_SECTIONS = ("", "万", "亿", "万亿")


def capital(amount: Decimal) -> str:
    """人民币大写: 27315700.00 → 贰仟柒佰叁拾壹万伍仟柒佰元整."""
    amount = fen(amount)
    sign = "负" if amount < 0 else ""
    amount = abs(amount)
    whole = int(amount)
    cents = int((amount - whole) * 100)
    jiao, fen_digit = divmod(cents, 10)
    if whole >= 10**16:
        raise ValueError("amount too large for 人民币大写")
    text = _integer_capital(whole) + "元" if whole else ""
    if not cents:
        return sign + (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif whole:
        text += "零"
    if fen_digit:
        text += _DIGITS[fen_digit] + "分"
    return sign + text


def _integer_capital(number: int) -> str:
    digits = str(number)
    parts: list[str] = []
    zero_pending = False
    for index, char in enumerate(digits):
        position = len(digits) - 1 - index
        if char == "0":
            zero_pending = True
        else:
            if zero_pending and parts:
                parts.append("零")
            zero_pending = False
            parts.append(_DIGITS[int(char)] + _PLACES[position % 4])
        section = position // 4
        if position % 4 == 0 and section and int(digits[max(0, index - 3) : index + 1]):
            parts.append(_SECTIONS[section])
    return "".join(parts)


@dataclass(frozen=True)
class Remaining:
    """项目资金总额 − 年度资金申请总额 of a multi-year project, and what it stands for."""

    amount: Decimal
    when: str  # "later" (以后年度), "earlier" (以前年度), "both" (以前及以后年度)

    @property
    def label_zh(self) -> str:
        return {"later": "以后年度资金", "earlier": "以前年度资金", "both": "以前及以后年度资金"}[
            self.when
        ]

    @property
    def label_en(self) -> str:
        return {"later": "later years", "earlier": "earlier years", "both": "other years"}[
            self.when
        ]


def remaining(
    total: Decimal | None,
    annual: Decimal | None,
    year: int | None,
    start_year: int | None,
    end_year: int | None,
) -> Remaining | None:
    """Rule F05: the money of the project's other years, or None for single-year forms."""
    if total is None or annual is None or start_year is None or end_year is None:
        return None
    if start_year == end_year:
        return None
    amount = total - annual
    if year is None or year <= start_year:
        when = "later"
    elif year >= end_year:
        when = "earlier"
    else:
        when = "both"
    return Remaining(amount, when)
