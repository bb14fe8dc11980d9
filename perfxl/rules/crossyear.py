"""C — cross-year checks: this year's form of a continuing project against last year's.

Two rules, declared like every catalogue rule (scope "forms"):

* C05 上年结转资金 = last year's 年度资金申请总额 − last year's 实际支出 (never negative).
* C06 项目资金总额 does not change between years without a word.

They need last year's forms, and C05 needs last year's spending figures, which a form
does not hold. Two ways in:

* ``check_against_last_year(this_year_forms, last_year_forms, spent)`` — the door for
  ``perfxl validate --last-year`` and the rollover: with spending figures C05 checks the
  carry-over to the fen; findings are built from the same rule metadata.
* the catalogue (``validate(..., across=True)`` / ``check_forms``) over a set of forms of
  several years: consecutive years of one project are paired; with no spending figures
  C05 checks only that a carry-over does not exceed last year's annual money.

Projects are paired by 项目名称 + 实施单位 (whitespace-insensitive), else by a name that is
unique in both years.
"""

from __future__ import annotations

from array import array
from collections import Counter
from decimal import Decimal
from typing import Any, Iterator, Mapping, Sequence

from ..model import Form
from ..money import format_yuan
from ..text import squash
from .base import ERROR, WARNING, Hit, rule

ZERO = Decimal("0.00")
_SOURCE = "[I] 上年结转资金 is last year's unspent annual money; S-GBC [V] 项目资金总额 is the whole project's money"


def _key(form: Form) -> tuple[str, str]:
    return squash(form.project.name), squash(form.project.unit)


def pair_years(this_year_forms: Sequence[Form], last_year_forms: Sequence[Form]):
    """(this year's form, last year's form) for each project found in both."""
    for position, last in _pairs(this_year_forms, last_year_forms):
        yield this_year_forms[position], last


def _pairs(this_year_forms: Sequence[Form], last_year_forms: Sequence[Form]):
    """(position in ``this_year_forms``, last year's form) for each project found in both."""
    last_by_key: dict[tuple[str, str], list[Form]] = {}
    last_by_name: dict[str, list[Form]] = {}
    for form in last_year_forms:
        last_by_key.setdefault(_key(form), []).append(form)
        last_by_name.setdefault(_key(form)[0], []).append(form)
    this_names = Counter(_key(f)[0] for f in this_year_forms)
    for position, form in enumerate(this_year_forms):
        found = last_by_key.get(_key(form), [])
        if not found and this_names[_key(form)[0]] == 1:
            found = last_by_name.get(_key(form)[0], [])
        if len(found) == 1:
            yield position, found[0]


class _YearPairs:
    """A set of forms' consecutive years of one project: only the indices of each year's
    forms are kept; the forms are asked for again when two consecutive years are there."""

    def __init__(self, config) -> None:
        self._years: dict[int, array] = {}

    def add(self, index: int, form: Form, first: int | None) -> None:
        if form.year is not None:
            self._years.setdefault(form.year, array("q")).append(index)

    def pairs(self, form_at) -> Iterator[tuple[int, Form, Form]]:
        """(index of this year's form, this year's form, last year's form)."""
        years = self._years
        for year in sorted(years):
            if year - 1 not in years:
                continue
            indices = years[year]
            this_year = [form_at(index) for index in indices]
            last_year = [form_at(index) for index in years[year - 1]]
            for position, last in _pairs(this_year, last_year):
                yield indices[position], this_year[position], last


def carryover_hits(form: Form, last: Form, spent: Decimal | None) -> Iterator[Hit]:
    """C05 on one pair; ``spent`` is last year's 实际支出, or None when unknown."""
    carryover = form.funding.carryover if form.funding.carryover is not None else ZERO
    annual = last.funding.annual
    if annual is None:
        return
    values = {"carryover": format_yuan(carryover), "last_annual": format_yuan(annual),
              "last_year": str(last.year or "")}
    if spent is None:
        if carryover > annual:
            yield Hit("funding.carryover", values, variant="no_spending")
        return
    expected = max(ZERO, annual - spent)
    if carryover != expected:
        yield Hit("funding.carryover", {**values, "spent": format_yuan(spent),
                                        "expected": format_yuan(expected),
                                        "difference": format_yuan(carryover - expected)})


def total_hits(form: Form, last: Form) -> Iterator[Hit]:
    """C06 on one pair."""
    total, last_total = form.funding.total, last.funding.total
    if total is None or last_total is None or total == last_total:
        return
    yield Hit("funding.total", {"total": format_yuan(total), "last_total": format_yuan(last_total),
                                "change": format_yuan(total - last_total),
                                "last_year": str(last.year or "")})


_TWO_YEARS = {"project": {"end": "2024-12-31"},
              "funding": {"total": "2,400,000.00", "fiscal": "2,000,000.00",
                          "other_total": "400,000.00"},
              "goals": {"overall": "两年内为社区养老服务设施提供运营补贴。"}}


def _next_year(funding: Mapping[str, str]) -> dict[str, Any]:
    return {**_TWO_YEARS, "year": 2024, "funding": {**_TWO_YEARS["funding"], **funding}}


@rule(
    code="C05",
    name="crossyear.carryover",
    severity=ERROR,
    message_zh={
        "default": "上年结转资金 {carryover}元 ≠ {last_year}年度年度资金申请总额 {last_annual}元 − 实际支出 {spent}元 = {expected}元（相差 {difference}元）",
        "no_spending": "上年结转资金 {carryover}元 大于 {last_year}年度年度资金申请总额 {last_annual}元",
    },
    message_en={
        "default": "carry-over {carryover} yuan ≠ {last_year} annual request {last_annual} − spending {spent} = {expected} yuan (off by {difference})",
        "no_spending": "carry-over {carryover} yuan exceeds the {last_year} annual request {last_annual} yuan",
    },
    fix_zh="上年结转资金应为上年度年度资金申请总额中未支出的部分：按上年实际支出核对后改正。",
    fix_en="The carry-over is last year's annual money not spent: correct it from last year's spending.",
    summary_zh="上年结转资金应等于上年年度资金申请总额减上年实际支出",
    summary_en="the carry-over equals last year's annual request minus last year's spending",
    source=_SOURCE,
    bad={"forms": [_TWO_YEARS, _next_year({"annual": "1,400,000.00", "carryover": "1,300,000.00",
                                           "appropriation": "100,000.00", "other_annual": "0.00"})]},
    good={"forms": [_TWO_YEARS, _next_year({"annual": "1,400,000.00", "carryover": "200,000.00",
                                            "appropriation": "1,000,000.00"})]},
    scope="forms",
)
class CarryoverMatches(_YearPairs):
    def hits(self, form_at) -> Iterator[tuple[int, Hit]]:
        for index, form, last in self.pairs(form_at):
            for hit in carryover_hits(form, last, None):
                yield index, hit


@rule(
    code="C06",
    name="crossyear.total_changed",
    severity=WARNING,
    message_zh="项目资金总额 {total}元 与 {last_year}年度申报表的 {last_total}元 不一致（变动 {change}元）",
    message_en="project total {total} yuan differs from {last_total} yuan on the {last_year} form (change {change})",
    fix_zh="跨年度项目的项目资金总额不应变动；如确经批准调整，请在申报说明中写明，否则改回上年数。",
    fix_en="A multi-year project's total does not change between years; if an approved change, explain it, otherwise restore last year's figure.",
    summary_zh="跨年度项目的项目资金总额与上年申报表一致",
    summary_en="a multi-year project's total is the same as on last year's form",
    source=_SOURCE,
    bad={"forms": [_TWO_YEARS, _next_year({"total": "2,500,000.00", "fiscal": "2,100,000.00"})]},
    good={"forms": [_TWO_YEARS, _next_year({})]},
    scope="forms",
)
class TotalUnchanged(_YearPairs):
    def hits(self, form_at) -> Iterator[tuple[int, Hit]]:
        for index, form, last in self.pairs(form_at):
            for hit in total_hits(form, last):
                yield index, hit


def check_against_last_year(
    this_year_forms: Sequence[Form],
    last_year_forms: Sequence[Form],
    spent: Any = None,
    config: Any = None,
) -> list:
    """C05 and C06 findings of this year's forms against last year's.

    ``spent``: last year's spending figures — a ``perfxl.rollover.Spending`` or anything
    ``perfxl.rollover.as_spending`` takes (file path, mapping), matched to last year's forms.
    """
    from ..config import Config
    from ..rollover.spent import as_spending
    from . import make_finding, registry

    config = config or Config()
    spending = as_spending(spent, list(last_year_forms)) if spent is not None else None
    rules = registry()
    findings = []
    for form, last in pair_years(list(this_year_forms), list(last_year_forms)):
        amount = spending.of(last) if spending is not None else None
        for code, hits in (("C05", carryover_hits(form, last, amount)),
                           ("C06", total_hits(form, last))):
            if config.enabled(code):
                findings.extend(make_finding(rules[code], form, hit, config) for hit in hits)
    return findings
