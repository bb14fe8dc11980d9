"""F — funding arithmetic (amounts in 元, exact to the fen)."""

from __future__ import annotations

from ..money import format_yuan
from .base import ERROR, Hit, rule


@rule(
    code="F01",
    name="funding.annual_sum",
    severity=ERROR,
    message_zh="年度资金申请总额 {annual} ≠ 当年财政拨款 {appropriation} + 上年结转资金 {carryover} + 其他资金 {other} = {expected}",
    message_en="annual request {annual} ≠ appropriation {appropriation} + carry-over {carryover} + other funds {other} = {expected}",
    fix_zh="核对年度资金申请总额及其三项构成，使总额等于三项之和（精确到分）。",
    fix_en="Check the annual request and its three parts so that the total equals their sum (to the fen).",
    source="[O] holds in all Shanghai sample forms; S-tbsm1 [V] 资金总额=各来源之和",
    bad={"funding": {"annual": "1,200,000.01"}},
    good={"funding": {"annual": "1,200,000.00"}},
)
def annual_sum(form, config):
    f = form.funding
    if f.annual is None:
        return
    parts = (f.appropriation, f.carryover, f.other_annual)
    if all(p is None for p in parts):
        return
    expected = sum((p for p in parts if p is not None), start=f.annual * 0)
    if expected != f.annual:
        yield Hit(
            "funding.annual",
            {
                "annual": format_yuan(f.annual),
                "appropriation": format_yuan(f.appropriation or 0 * f.annual),
                "carryover": format_yuan(f.carryover or 0 * f.annual),
                "other": format_yuan(f.other_annual or 0 * f.annual),
                "expected": format_yuan(expected),
            },
        )
