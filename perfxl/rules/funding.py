"""F — funding arithmetic (amounts in 元, exact to the fen).

The left block of the form is the whole project (项目资金总额 = 财政资金 + 其他资金), the
right block this budget year (年度资金申请总额 = 当年财政拨款 + 上年结转资金 + 其他资金).
A multi-year project's total is cumulative: it is never compared with a one-year
figure, only split into this year and the other years (F05).
"""

from __future__ import annotations

from decimal import Decimal

from ..formdict import remaining_of
from ..money import format_yuan
from .base import ERROR, INFO, WARNING, Hit, rule

ZERO = Decimal(0)

# The name of each amount as the form prints it; the two 其他资金 told apart by side.
AMOUNT_ZH = {
    "total": "项目资金总额",
    "fiscal": "财政资金",
    "other_total": "其他资金（项目总额栏）",
    "annual": "年度资金申请总额",
    "appropriation": "当年财政拨款",
    "carryover": "上年结转资金",
    "other_annual": "其他资金（年度栏）",
}
AMOUNT_EN = {
    "total": "project total",
    "fiscal": "fiscal funds",
    "other_total": "other funds (project column)",
    "annual": "annual request",
    "appropriation": "current-year appropriation",
    "carryover": "carry-over",
    "other_annual": "other funds (annual column)",
}


def amount_names(name: str) -> dict[str, str]:
    return {"label_zh": AMOUNT_ZH[name], "label_en": AMOUNT_EN[name]}


def sum_of(*parts: Decimal | None) -> Decimal:
    """A sum in which a blank part counts as 0 (rules.md F01)."""
    return sum((p for p in parts if p is not None), start=ZERO)


def budget_year_only(form) -> bool:
    """Start and end both fall in the budget year (the form year, else each other's)."""
    start, end = form.project.start, form.project.end
    if start is None or end is None or start.year != end.year:
        return False
    return form.year is None or start.year == form.year


def _two_years(total: str, fiscal: str, other_total: str) -> dict:
    """An example fragment: the baseline run over 2023–2024 with this project column."""
    return {"project": {"end": "2024-12-31"},
            "funding": {"total": total, "fiscal": fiscal, "other_total": other_total}}


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


@rule(
    code="F02",
    name="funding.project_sum",
    severity=ERROR,
    message_zh={
        "default": "项目资金总额 {total}元 ≠ 财政资金 {fiscal}元 + 其他资金 {other}元 = {expected}元",
        "total_blank": "项目资金总额未填写，但财政资金 {fiscal}元 + 其他资金 {other}元 = {expected}元",
    },
    message_en={
        "default": "project total {total} yuan ≠ fiscal funds {fiscal} yuan + other funds {other} yuan = {expected} yuan",
        "total_blank": "project total is blank, but fiscal funds {fiscal} yuan + other funds {other} yuan = {expected} yuan",
    },
    fix_zh="核对项目资金总额栏：项目资金总额应等于财政资金与其他资金之和（精确到分）。",
    fix_en="Check the project-total column: the project total must equal fiscal plus other funds (to the fen).",
    summary_zh="项目资金总额 = 财政资金 + 其他资金（填写了项目资金总额栏时）",
    summary_en="project total = fiscal + other funds (when the project column is filled)",
    source="[O] SAMPLE multi-year forms; S-tbsm1 [V] 资金总额=申请市财政资金+项目用款单位自筹+其他",
    bad=_two_years("2,400,000.00", "2,000,000.00", "400,000.01"),
    good=_two_years("2,400,000.00", "2,000,000.00", "400,000.00"),
)
def project_sum(form, config):
    f = form.funding
    if f.fiscal is None and f.other_total is None:
        return
    expected = sum_of(f.fiscal, f.other_total)
    values = {"fiscal": format_yuan(f.fiscal or ZERO), "other": format_yuan(f.other_total or ZERO),
              "expected": format_yuan(expected)}
    if f.total is None:
        if expected != ZERO:
            yield Hit("funding.total", values, variant="total_blank")
    elif expected != f.total:
        yield Hit("funding.total", {**values, "total": format_yuan(f.total)})


@rule(
    code="F03",
    name="funding.annual_within_total",
    severity=ERROR,
    message_zh="年度资金申请总额 {annual}元大于项目资金总额 {total}元，超出 {excess}元",
    message_en="annual request {annual} yuan exceeds the project total {total} yuan by {excess} yuan",
    fix_zh="年度申请额是项目资金的一部分：核对两者，使年度资金申请总额不超过项目资金总额。",
    fix_en="The annual request is part of the project's money: correct one of them so it does not exceed the total.",
    summary_zh="年度资金申请总额不能大于项目资金总额",
    summary_en="the annual request cannot exceed the project total",
    source="[I] the annual request is a part of the project",
    bad=_two_years("1,000,000.00", "800,000.00", "200,000.00"),
    good=_two_years("2,400,000.00", "2,000,000.00", "400,000.00"),
)
def annual_within_total(form, config):
    f = form.funding
    if f.total is None or f.annual is None or f.annual <= f.total:
        return
    yield Hit("funding.annual", {"annual": format_yuan(f.annual), "total": format_yuan(f.total),
                                 "excess": format_yuan(f.annual - f.total)})


_SINGLE_YEAR_PAIRS = (
    # (total-side field, its annual counterpart(s), zh / en name of the counterpart)
    ("total", ("annual",), "年度资金申请总额", "the annual request"),
    ("fiscal", ("appropriation", "carryover"), "当年财政拨款与上年结转资金之和",
     "appropriation plus carry-over"),
    ("other_total", ("other_annual",), "其他资金（年度栏）", "other funds (annual column)"),
)


@rule(
    code="F04",
    name="funding.single_year_total",
    severity=WARNING,
    message_zh={
        "default": "单年度项目的{label_zh} {total}元与{counterpart_zh} {annual}元不一致",
        "blank": "单年度项目未填写项目资金总额栏（项目资金总额、财政资金、其他资金），视同等于年度资金申请总额 {annual}元",
    },
    message_en={
        "default": "single-year project: {label_en} {total} yuan differs from {counterpart_en} {annual} yuan",
        "blank": "single-year project with a blank project-total column; taken as equal to the annual request {annual} yuan",
    },
    fix_zh="项目只在本年度实施时，项目资金总额栏应留空或与年度资金各栏相同。",
    fix_en="For a project run within the budget year, leave the project-total column blank or equal to the annual column.",
    summary_zh="单年度项目的项目资金总额栏应留空或与年度资金一致",
    summary_en="single-year project: the project-total column is blank or equals the annual column",
    source="[O] SAMPLE leaves it blank; [I]",
    bad={"funding": {"total": "1,300,000.00", "fiscal": "1,100,000.00"}},
    good={"funding": {"total": "1,200,000.00", "fiscal": "1,000,000.00"}},
)
def single_year_total(form, config):
    f = form.funding
    if not budget_year_only(form):
        return
    if not f.has_total_block:
        if f.annual is not None:
            yield Hit("funding.total", {"annual": format_yuan(f.annual)}, variant="blank",
                      severity=INFO)
        return
    for name, counterparts, counterpart_zh, counterpart_en in _SINGLE_YEAR_PAIRS:
        total = getattr(f, name)
        annual = sum_of(*(getattr(f, c) for c in counterparts))
        if sum_of(total) != annual:
            yield Hit(f"funding.{name}", {
                **amount_names(name), "counterpart_zh": counterpart_zh,
                "counterpart_en": counterpart_en, "total": format_yuan(sum_of(total)),
                "annual": format_yuan(annual)})


@rule(
    code="F05",
    name="funding.other_years",
    severity=INFO,
    message_zh={
        "default": "跨年度项目（{start_year}年至{end_year}年）：项目资金总额 {total}元 − 年度资金申请总额 {annual}元 = {when_zh} {remaining}元",
        "equal": "跨年度项目（{start_year}年至{end_year}年）的项目资金总额等于年度资金申请总额 {total}元，其他年度没有安排资金",
        "no_total": "跨年度项目（{start_year}年至{end_year}年）未填写项目资金总额，无法计算其他年度的资金",
    },
    message_en={
        "default": "multi-year project ({start_year}–{end_year}): project total {total} yuan − annual request {annual} yuan = {when_en} {remaining} yuan",
        "equal": "multi-year project ({start_year}–{end_year}): the project total equals the annual request {total} yuan; no money in the other years",
        "no_total": "multi-year project ({start_year}–{end_year}) without a project total: the other years' money cannot be computed",
    },
    fix_zh="项目资金总额是整个实施期的累计数，不要与单个年度的金额相加或比较；核对其他年度的资金安排。",
    fix_en="The project total covers the whole period: never add it to or compare it with one year's figures; check the other years' money.",
    summary_zh="跨年度项目：项目资金总额 − 年度资金申请总额 = 以前/以后年度资金",
    summary_en="multi-year project: project total − annual request = the other years' money",
    source="S-GBC [V] 项目资金总额 is cumulative on phased projects; [O] other published forms",
    bad=_two_years("2,400,000.00", "2,000,000.00", "400,000.00"),
    good={},
)
def other_years(form, config):
    project, f = form.project, form.funding
    if not project.is_multi_year or f.annual is None:
        return
    years = {"start_year": project.start.year, "end_year": project.end.year}
    if f.total is None:
        yield Hit("funding.total", years, variant="no_total")
        return
    rest = remaining_of(form)
    if rest is None or rest.amount < 0:  # a negative remainder is F03's error
        return
    values = {**years, "total": format_yuan(f.total), "annual": format_yuan(f.annual),
              "remaining": format_yuan(rest.amount), "when_zh": rest.label_zh,
              "when_en": rest.label_en}
    yield Hit("funding.total", values, variant="equal" if rest.amount == 0 else "default")


_PART_OF_TOTAL = (("appropriation", "fiscal"), ("other_annual", "other_total"))


@rule(
    code="F06",
    name="funding.part_within_total",
    severity=WARNING,
    message_zh="{part_zh} {part}元大于项目资金总额栏的{whole_zh} {whole}元",
    message_en="{part_en} {part} yuan exceeds the project column's {whole_en} {whole} yuan",
    fix_zh="年度资金是项目资金的一部分：核对两栏，使年度栏的各项不超过项目资金总额栏的对应项。",
    fix_en="The year's money is part of the project's: no annual item may exceed its project-column counterpart.",
    summary_zh="当年财政拨款不超过财政资金，年度其他资金不超过项目其他资金",
    summary_en="appropriation ≤ fiscal funds; annual other funds ≤ project other funds",
    source="[I]",
    bad=_two_years("2,400,000.00", "900,000.00", "1,500,000.00"),
    good=_two_years("2,400,000.00", "2,000,000.00", "400,000.00"),
)
def part_within_total(form, config):
    f = form.funding
    for part_name, whole_name in _PART_OF_TOTAL:
        part, whole = getattr(f, part_name), getattr(f, whole_name)
        if part is None or whole is None or part <= whole:
            continue
        yield Hit(f"funding.{part_name}", {
            "part_zh": AMOUNT_ZH[part_name], "part_en": AMOUNT_EN[part_name],
            "whole_zh": AMOUNT_ZH[whole_name], "whole_en": AMOUNT_EN[whole_name],
            "part": format_yuan(part), "whole": format_yuan(whole)})


@rule(
    code="F07",
    name="funding.sign",
    severity=ERROR,
    message_zh={
        "default": "{label_zh}为负数：{amount}元",
        "annual_zero": "年度资金申请总额为 0",
        "annual_blank": "年度资金申请总额未填写",
    },
    message_en={
        "default": "{label_en} is negative: {amount} yuan",
        "annual_zero": "the annual request is 0",
        "annual_blank": "the annual request is blank",
    },
    fix_zh="金额不能为负数；年度资金申请总额应填写本年度申请的金额（大于 0）。",
    fix_en="Amounts cannot be negative; the annual request must be the amount asked for this year (above 0).",
    summary_zh="金额不能为负数，年度资金申请总额应大于 0",
    summary_en="amounts are not negative and the annual request is above 0",
    source="[I]",
    bad={"funding": {"carryover": "-100.00", "appropriation": "1,000,100.00"}},
    good={"funding": {"carryover": "0.00", "appropriation": "1,000,000.00"}},
)
def sign(form, config):
    f = form.funding
    for name in AMOUNT_ZH:
        value = getattr(f, name)
        if value is not None and value < 0:
            yield Hit(f"funding.{name}", {**amount_names(name), "amount": format_yuan(value)})
    if f.annual == 0:
        yield Hit("funding.annual", variant="annual_zero", severity=WARNING)
    elif f.annual is None and not form.raw.get("funding.annual"):
        yield Hit("funding.annual", variant="annual_blank", severity=WARNING)


@rule(
    code="F11",
    name="funding.carryover_on_new_project",
    severity=WARNING,
    message_zh="计划开始日期 {start} 在本预算年度（{year}年）内，是新开始的项目，却填有上年结转资金 {carryover}元",
    message_en="the project starts on {start}, within the budget year {year}, yet shows a carry-over of {carryover} yuan",
    fix_zh="新开始的项目没有上年结转资金：核对计划开始日期，或把该金额改列为当年财政拨款。",
    fix_en="A project that starts this year has nothing to carry over: check the start date, or book the amount as this year's appropriation.",
    summary_zh="新开始的项目（计划开始日期在预算年度内）不应有上年结转资金",
    summary_en="a project starting in the budget year has no carry-over",
    source="[I]",
    bad={"funding": {"appropriation": "900,000.00", "carryover": "100,000.00"}},
    good={"project": {"start": "2022-01-01"},
          "funding": {"appropriation": "900,000.00", "carryover": "100,000.00"}},
)
def carryover_on_new_project(form, config):
    start, carryover = form.project.start, form.funding.carryover
    if start is None or form.year is None or carryover is None or carryover <= 0:
        return
    if start.year == form.year:
        yield Hit("funding.carryover", {"start": start.isoformat(), "year": form.year,
                                        "carryover": format_yuan(carryover)})
