"""F — how amounts are written: decimals and separators (F08), 万元 ↔ 元 (F09), the unit (F10)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from ..money import FEN, WAN, fen, format_yuan, parse_amount
from .base import ERROR, INFO, WARNING, Hit, rule
from .funding import AMOUNT_EN, AMOUNT_ZH, amount_names

# The Shanghai system prints 元 amounts as 27,315,700.00; 0 is written 0 or 0.00.
_SYSTEM_STYLE = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d{2}$|^0$")
_TEXT_CELL = re.compile(r"^R\d+C\d+$")  # a cell of published text, not of a sheet


def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _from_text(form, path: str) -> bool:
    """Published text keeps an amount as printed; a sheet cell's number carries no format."""
    return bool(_TEXT_CELL.match(form.ref(path).cell))


@rule(
    code="F08",
    name="funding.amount_format",
    severity=ERROR,
    message_zh={
        "default": "{label_zh}“{text}”超过两位小数，金额应精确到分",
        "below_fen": "{label_zh}“{text}”万元折合 {yuan}元，含不足一分的尾数，金额应精确到分",
        "not_a_number": "{label_zh}“{text}”不是金额",
        "style": "{label_zh}“{text}”的写法与系统格式不同，规范写法为 {normal}",
    },
    message_en={
        "default": "{label_en} '{text}' has more than two decimals; amounts are exact to the fen",
        "below_fen": "{label_en} '{text}' 万元 is {yuan} yuan, below the fen; amounts are exact to the fen",
        "not_a_number": "{label_en} '{text}' is not an amount",
        "style": "{label_en} '{text}' is not written the system's way; normally {normal}",
    },
    fix_zh="金额精确到分：以元为单位时保留两位小数并使用千分位，例如 27,315,700.00（以万元为单位时最多六位小数）；由公式算出的金额请用 ROUND(…,2) 取整到分。",
    fix_en="Amounts are exact to the fen: in 元 write two decimals with thousands separators, e.g. 27,315,700.00 (at most six decimals in 万元); round computed amounts with ROUND(…,2).",
    summary_zh="金额写法：元，两位小数，千分位；超过两位小数或不是数字为错误",
    summary_en="amount format: 元, two decimals, thousands separators; more decimals or non-numbers are errors",
    source="[O] SAMPLE (27,315,700.00, 0.00); [I]",
    bad={"funding": {"carryover": "0.005"}},
    good={"funding": {"carryover": "0.00"}},
)
def amount_format(form, config):
    in_wan = form.funding.unit == "万元"
    for name, path in _AMOUNT_PATHS:
        text = form.raw.get(path, "")
        if not text:
            continue
        value = getattr(form.funding, name)
        if value is None:
            if parse_amount(text).problem:
                yield Hit(path, _text_values(name, text), variant="not_a_number")
        elif in_wan and fen(value) != value:
            yuan = format(value.normalize(), ",f")
            yield Hit(path, {**_text_values(name, text), "yuan": yuan}, variant="below_fen")
        elif not in_wan and _decimals(text) > 2:
            yield Hit(path, _text_values(name, text))
        elif not in_wan and not _SYSTEM_STYLE.match(text) and _from_text(form, path):
            yield Hit(path, {**_text_values(name, text), "normal": format_yuan(value)},
                      variant="style", severity=INFO)


_AMOUNT_PATHS = tuple((name, f"funding.{name}") for name in AMOUNT_ZH)


def _text_values(name: str, text: str) -> dict[str, str]:
    """An amount's labels and its text as written, for F08's messages."""
    return {**amount_names(name), "text": text}


# A figure in a goal text that names the project's money, e.g. 申请项目资金130万元.
# Approximate figures (约, 左右) are left alone.
_NARRATIVE = re.compile(
    r"(?P<key>项目资金总额|年度资金申请总额|项目资金|申请资金|预算资金|项目预算|年度预算"
    r"|预算金额|总预算|总投资|财政资金|财政拨款)(?:总额|合计|共计|总计)?(?:为|共|是|达)?[:：]?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<unit>万元|元)(?!左右)"
)
_GOALS = (("goals.annual", "年度总体目标", "the annual goal"),
          ("goals.overall", "项目总目标", "the overall goal"))


def _step(number_text: str, unit: str) -> Decimal:
    """The display precision of a written figure, in 元 (2-dp 万元 → 100 元)."""
    if unit != "万元":
        return FEN
    return Decimal(1).scaleb(-_decimals(number_text)) * WAN


def _agrees(a: Decimal, a_step: Decimal, b: Decimal, b_step: Decimal) -> bool:
    """Rule F09: two figures agree when the finer rounds (half up) to the coarser."""
    (coarse, coarse_step), (fine, _) = sorted(((a, a_step), (b, b_step)), key=lambda p: -p[1])
    return (fine / coarse_step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * coarse_step == coarse


def _form_figures(form):
    """(value in 元, display precision in 元) of each amount the form fills in."""
    unit = form.funding.unit or "元"
    for name in AMOUNT_ZH:
        value = getattr(form.funding, name)
        if value is not None and value != 0:
            yield value, _step(form.raw.get(f"funding.{name}", "").replace(",", ""), unit)


def _annual_phrases(annual: Decimal | None) -> dict[str, str]:
    if annual is None:
        return {"annual_zh": "年度资金申请总额未填写", "annual_en": "annual request blank"}
    return {"annual_zh": f"年度资金申请总额 {format_yuan(annual)}元",
            "annual_en": f"annual request {format_yuan(annual)} yuan"}


@rule(
    code="F09",
    name="funding.narrative_amount",
    severity=ERROR,
    message_zh="{goal_zh}中的“{phrase}”（合 {yuan}元）与表中填写的各项资金金额都不一致（{annual_zh}）",
    message_en="'{phrase}' in {goal_en} ({yuan} yuan) matches none of the form's amounts ({annual_en})",
    fix_zh="核对目标文字中的金额与项目资金栏：1 万元 = 10,000 元，比较时已按万元的显示精度四舍五入。",
    fix_en="Check the figure in the goal text against the funding block: 1 万元 = 10,000 元, compared at the 万元 display precision.",
    summary_zh="目标文字中写明的项目资金（万元/元）应与表中金额一致（按显示精度）",
    summary_en="a project amount stated in the goal text (万元 or 元) agrees with the form's amounts at display precision",
    source="S-GBC [V] (349.80万元 ↔ 3,498,000.00元); [O] other published forms",
    bad={"goals": {"annual": "本年度申请项目资金130万元，为社区养老服务设施提供运营补贴，保障设施正常运营。"}},
    good={"goals": {"annual": "本年度申请项目资金120万元，为社区养老服务设施提供运营补贴，保障设施正常运营。"}},
)
def narrative_amount(form, config):
    if form.funding.unit is None:  # F10: no declared unit, no cross-unit comparison
        return
    figures = None  # the form's amounts, worked out when a goal names one
    for path, goal_zh, goal_en in _GOALS:
        for phrase, number, unit in _narrative_phrases(getattr(form.goals, path.split(".")[1])):
            if figures is None:
                figures = list(_form_figures(form))
            yuan = Decimal(number) * (WAN if unit == "万元" else 1)
            step = _step(number, unit)
            if any(_agrees(yuan, step, value, value_step) for value, value_step in figures):
                continue
            yield Hit(path, {"goal_zh": goal_zh, "goal_en": goal_en, "phrase": phrase,
                             "yuan": format_yuan(yuan),
                             **_annual_phrases(form.funding.annual)})


@lru_cache(maxsize=256)
def _narrative_phrases(goal: str | None) -> tuple[tuple[str, str, str], ...]:
    """The money figures a goal text states, as (phrase, number without separators, unit);
    kept per text, since one department's forms share their goal texts."""
    text = re.sub(r"\s+", "", goal or "")
    return tuple((match[0], match["num"].replace(",", ""), match["unit"])
                 for match in _NARRATIVE.finditer(text))


@rule(
    code="F10",
    name="funding.unit_declared",
    severity=WARNING,
    message_zh="未声明金额单位（“项目资金（元）”或“单位：万元”），无法确定金额是元还是万元，因此不做元与万元之间的比较",
    message_en="no money unit declared (项目资金（元） or 单位：万元): 元 or 万元 is unknown, so no cross-unit comparison was made",
    fix_zh="在资金栏标签中写明单位，例如“项目资金（元）”。",
    fix_en="Declare the unit in the funding label, e.g. 项目资金（元）.",
    summary_zh="申报表应声明金额单位（元或万元）",
    summary_en="the form declares its money unit (元 or 万元)",
    source="S-GBC [V] 申报表金额单位未声明…归一比较不可完成",
    bad={"money_label": "项目资金"},
    good={"money_label": "项目资金 (元)"},
)
def unit_declared(form, config):
    f = form.funding
    if f.unit is not None:
        return
    if any(getattr(f, name) is not None for name in AMOUNT_EN):
        yield Hit("funding.total")
