"""V — indicator value expressions: the grammar, units and number format (V01–V03, V10, V11).

Dates written as values (``2023.07-2024.01``, ``12月底前``) are valid: the grammar in
``perfxl.targets`` reads them as qualitative; V12 (in ``values_more``) checks that such a
date exists. Excel date serials (``44,561``) in timing indicators are rule D08's finding, so
the V rules skip them.

The rules on what a value means for its indicator (V04–V09, V12, V13) are in ``values_more``;
the keyword lists and name tests both halves share are here, in one place.
V14 (a 正向/反向 column that must agree with the operator) is not implemented: the
Shanghai form has no such column and the model carries no direction to compare.
"""

from __future__ import annotations

from functools import lru_cache

import datetime as dt
from decimal import Decimal

from .. import vocab
from ..parse.dates import SERIAL_RANGE
from ..targets import format_target
from ..text import fold, squash
from .base import ERROR, INFO, WARNING, Hit, per_form, rule

# Lower-is-better names (V06): rules.md's list, then a few plain cases of the same kind [I].
NEGATIVE_KEYWORDS = (
    "故障率", "事故率", "事故发生率", "投诉率", "差错率", "失误率", "违规率", "超支率", "损耗率",
    "发生数", "发生率", "重复发生率", "下降时长", "响应时间", "响应时长", "成本", "费用",
    "不合格率", "不满意率", "错误率", "出错率", "返工率", "返修率", "漏检率", "误报率", "缺陷率",
    "延误率", "延误天数", "逾期率", "超期率", "流失率", "空置率", "闲置率", "事故数", "事故次数",
    "事故起数", "投诉数", "投诉次数", "投诉量", "故障次数", "故障数", "违规数", "违规次数",
    "发生次数", "损失",
)
# Names that say neither (成本控制率 may be ≥95 % or ≤100 % of budget): no direction.
NEUTRAL_KEYWORDS = ("控制率", "变动率", "变化率", "偏离度")
# Higher-is-better names (V07): rules.md's list, then more of the same kind [I].
POSITIVE_KEYWORDS = (
    "合格率", "完成率", "及时率", "满意度", "满意率", "满意程度", "知晓率", "覆盖率", "达标率",
    "通过率", "正确率", "准确率", "利用率", "运行率", "到岗率", "及时性", "完好率", "到位率",
    "执行率", "使用率", "实现率", "参与率", "出勤率", "普及率", "入住率", "保障率", "处理率",
    "办结率", "回复率", "修复率", "解决率", "缴纳率", "支付率", "就业率", "达成率", "成功率",
    "在线率", "可用率", "知晓度", "认可度", "贡献度", "节约率", "降低率", "下降率", "减少率",
    "节约", "节省",
)
SATISFACTION_WORDS = ("满意度", "满意率", "满意程度")
GROWTH_WORDS = ("增长", "增幅", "增速", "同比", "环比", "比上年", "较上年", "倍")
TIME_NAME_WORDS = ("日期", "时间", "时限", "截止")  # as rule D08 reads a timing indicator

_WORDY_OPERATORS = {  # unit followed by words that belong in the operator: 90%以上
    "及以上": "≥", "以上": "≥", "及以下": "≤", "以下": "≤", "以内": "≤", "之内": "≤", "内": "≤",
    "左右": "=",
}
_AMBIGUOUS_UNITS = {"M": "米", "人/次": "人次"}  # mapped, but worth a warning
_MONEY_NAME_WORDS = ("金额", "资金", "成本", "费用", "经费", "预算", "投资", "补贴", "价格", "单价")
_UNITS = frozenset(fold(u) for u in vocab.UNITS)  # as parse_target leaves them: ℃ → °C
_SYNONYMS = {fold(k): v for k, v in vocab.UNIT_SYNONYMS.items() if fold(k) not in _UNITS}
_SYNONYMS.update({"m2": "平方米", "m3": "立方米", "km2": "平方公里"})
# Units canonical_unit gives back as written, whatever the name: listed, neither 万 nor ambiguous.
_AS_WRITTEN = _UNITS - {"万"} - _AMBIGUOUS_UNITS.keys()


def name_of(indicator) -> str:
    return squash(indicator.name)


_SIDES: dict[str, str] = {}  # keyword → side; in two lists: the side max() prefers
for _words, _side in ((NEGATIVE_KEYWORDS, "lower"), (POSITIVE_KEYWORDS, "higher"),
                      (NEUTRAL_KEYWORDS, "")):
    _SIDES.update({w: max(_SIDES.get(w, _side), _side) for w in _words})
_KEYWORDS_BY_LAST: dict[str, list[tuple[str, str]]] = {}  # last character → longest first
for _word in sorted(_SIDES, key=len, reverse=True):
    _KEYWORDS_BY_LAST.setdefault(_word[-1], []).append((_word, _SIDES[_word]))


@lru_cache(maxsize=16384)
def direction(name: str) -> str | None:
    """``lower`` / ``higher`` is better, by the keyword that ends latest in the name.

    成本节约率 ends with a higher-is-better word although it holds 成本; on a tie the
    longer keyword wins (不合格率 over 合格率). The name is read from its end: the first
    position where a keyword ends decides, by the longest keyword ending there.
    """
    for end in range(len(name), 0, -1):
        for word, side in _KEYWORDS_BY_LAST.get(name[end - 1], ()):
            if name.endswith(word, 0, end):
                return side or None
    return None


@lru_cache(maxsize=16384)
def is_satisfaction(name: str) -> bool:
    return any(w in name for w in SATISFACTION_WORDS) and "不满意" not in name


@lru_cache(maxsize=16384)
def is_growth(name: str) -> bool:
    return any(w in name for w in GROWTH_WORDS)


def is_money_name(name: str) -> bool:
    return any(w in name for w in _MONEY_NAME_WORDS)


def unit_known(unit: str) -> bool:
    """A unit of the list, or built from it: 万册, 个月, 场次, 元/平方米."""
    if unit in _UNITS:
        return True
    if "/" in unit:
        return all(part and unit_known(part) for part in unit.split("/"))
    if len(unit) > 1 and unit[0] in "万亿千百个" and unit_known(unit[1:]):
        return True
    return len(unit) > 1 and unit.endswith("次") and unit_known(unit[:-1])


def canonical_unit(unit: str | None, name: str = "") -> str | None:
    """The unit a value means: synonyms mapped (百分比 → %), unknown units as written."""
    if unit == "万":
        return "万元" if is_money_name(name) else unit
    if unit in _AMBIGUOUS_UNITS:
        return _AMBIGUOUS_UNITS[unit]
    if unit is None or unit_known(unit):
        return unit
    return _SYNONYMS.get(unit, unit)


@per_form
def quantitative_rows(form) -> tuple[tuple, ...]:
    """The indicators with a quantitative target, in table order, as (indicator, target,
    name as compared: squashed, unit as meant: ``canonical_unit(target.unit, name)``)."""
    rows = []
    for indicator in form.indicators:
        target = indicator.target
        if target.kind == "quantitative":
            name, unit = squash(indicator.name), target.unit
            if unit is not None and unit not in _AS_WRITTEN:
                unit = canonical_unit(unit, name)
            rows.append((indicator, target, name, unit))
    return tuple(rows)


def wordy_unit(unit: str | None) -> tuple[str, str] | None:
    """A known unit with the operator in words after it (90%以上, 3个工作日内): (unit, op)."""
    if not unit:
        return None
    for words, op in _WORDY_OPERATORS.items():
        stem = unit[: -len(words)]
        if unit.endswith(words) and stem and unit_known(stem):
            return stem, op
    return None


def excel_serial(indicator) -> dt.date | None:
    """The date an Excel serial stands for in a timing indicator's value (44,561 → 2021-12-31).

    Reported by rule D08; the V rules leave such a value alone.
    """
    target = indicator.target
    if not target.is_quantitative or target.unit is not None:
        return None
    name = name_of(indicator)
    if "时效" not in indicator.level2 and not any(w in name for w in TIME_NAME_WORDS):
        return None
    number = target.number
    if not SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        return None
    return dt.date(1899, 12, 30) + dt.timedelta(days=int(number))


def run_together(indicator) -> bool:
    """A rate with no operator and no unit above 100 (88100): digits run together."""
    target = indicator.target
    if not (target.is_quantitative and target.op is None and target.unit is None):
        return False
    name = name_of(indicator)
    return (name.endswith("率") or is_satisfaction(name)) and target.number > 100


def suggested(indicator, unit: str | None = None, op: str | None = None) -> str:
    """The value as it should read: the operator the name calls for, a standard unit."""
    target = indicator.target
    name = name_of(indicator)
    if op is None:
        op = target.op or ("≤" if direction(name) == "lower" else "≥")
    return format_target(op, target.number, unit if unit is not None else target.unit)


def value_hit(indicator, variant: str = "default", severity: str | None = None, **values):
    values = {"name": indicator.name, "value": indicator.raw, **values}
    return Hit("value", values, indicator=indicator, variant=variant, severity=severity)


def _row(name: str, raw: str, level2: str = "质量指标", level1: str = "产出指标") -> dict:
    return {"add_indicators": [{"level1": level1, "level2": level2, "name": name, "raw": raw}]}


@rule(
    code="V01",
    name="values.malformed",
    severity=ERROR,
    message_zh={
        "default": "“{name}”的指标值“{value}”既不是“符号+数值(单位)”，也不是定性描述",
        "operator": "“{name}”的指标值“{value}”有比较符号，但符号后不是“数值(单位)”",
        "mixed": "“{name}”的指标值“{value}”汉字数字与阿拉伯数字混写",
        "run_together": "“{name}”是比率，指标值“{value}”没有符号和单位且超过 100，疑似数字粘连",
        "excel_error": "“{name}”的指标值是 Excel 错误值“{value}”（公式引用失效或计算出错）",
    },
    message_en={
        "default": "value “{value}” of “{name}” is neither `op number(unit)` nor qualitative text",
        "operator": "value “{value}” of “{name}” has an operator not followed by `number(unit)`",
        "mixed": "value “{value}” of “{name}” mixes Chinese numerals with digits",
        "run_together": "“{name}” is a rate; “{value}” has no operator or unit and exceeds 100 "
                        "(two numbers run together?)",
        "excel_error": "value of “{name}” is the Excel error “{value}” (a broken reference or "
                       "a failed calculation)",
    },
    fix_zh="写成“≥95(%)”这样的“符号+数值(单位)”，或写成完整的定性描述（如“全年正常运营”）。",
    fix_en="Write `op number(unit)` such as ≥95(%), or a complete qualitative statement.",
    source="[O] other published forms (二100百分比, 88100); S-pmkpi [V] rejects malformed values",
    bad=_row("设备验收合格率", "二100百分比"),
    good=_row("设备验收合格率", "=100(%)"),
    needs_indicators=True,
)
def malformed(form, config):
    for ind in form.indicators:
        target = ind.target
        if target.kind == "malformed" and target.problem != "placeholder":
            known = ("operator", "mixed", "excel_error")
            variant = target.problem if target.problem in known else "default"
            yield value_hit(ind, variant)
        elif target.op is None and run_together(ind):  # never a value with an operator
            yield value_hit(ind, "run_together")


@rule(
    code="V02",
    name="values.missing_operator",
    severity=WARNING,
    message_zh="“{name}”的指标值“{value}”缺少比较符号（≥、≤、=）",
    message_en="value “{value}” of “{name}” has no comparison operator (≥, ≤, =)",
    fix_zh="加上比较符号，如“{suggestion}”。",
    fix_en="Add an operator, e.g. “{suggestion}”.",
    source="[O] SAMPLE (项目管理者满意度 95(%)), other published forms (985米, 10辆)",
    bad=_row("道路修缮长度", "985米", level2="数量指标"),
    good=_row("道路修缮长度", "≥985(米)", level2="数量指标"),
    needs_indicators=True,
)
def missing_operator(form, config):
    for ind, target, _, _ in quantitative_rows(form):
        if target.op is not None:
            continue
        if excel_serial(ind) or run_together(ind) or wordy_unit(target.unit):
            continue  # D08 / V01 / V03 say what is wrong with these
        yield value_hit(ind, suggestion=suggested(ind))


@rule(
    code="V03",
    name="values.unit",
    severity=WARNING,
    message_zh={
        "default": "“{name}”的指标值“{value}”没有计量单位",
        "unknown": "“{name}”的单位“{unit}”不是常用的计量单位",
        "wordy": "“{name}”的单位“{unit}”带了文字，比较关系应写在符号里：“{suggestion}”",
        "ambiguous": "“{name}”的单位“{unit}”有歧义，按“{canonical}”理解：“{suggestion}”",
        "synonym": "“{name}”的指标值“{value}”用了非标准单位，应写作“{suggestion}”",
    },
    message_en={
        "default": "value “{value}” of “{name}” has no unit",
        "unknown": "unit “{unit}” of “{name}” is not a known unit",
        "wordy": "unit “{unit}” of “{name}” carries words that belong in the operator: "
                 "“{suggestion}”",
        "ambiguous": "unit “{unit}” of “{name}” is ambiguous; read as “{canonical}”: "
                     "“{suggestion}”",
        "synonym": "value “{value}” of “{name}” uses a non-standard unit; write “{suggestion}”",
    },
    fix_zh="从系统提供的计量单位中选择（%、次、人、个、项、万元、小时、天…），同义写法改为标准单位。",
    fix_en="Pick a unit the system offers (%, 次, 人, 个, 项, 万元, 小时, 天…); map synonyms to it.",
    source="S-pmkpi [V] (unit mandatory for quantitative values); [O] SAMPLE, other published "
           "forms",
    bad=_row("课程开设数", "≥12(堂课)", level2="数量指标"),
    good=_row("课程开设数", "≥12(门)", level2="数量指标"),
    needs_indicators=True,
)
def unit(form, config):
    for ind, target, _, canonical in quantitative_rows(form):
        written = target.unit
        if written is not None and written == canonical and unit_known(written):
            continue  # most values: a known unit as written (nor a serial, nor run together)
        if excel_serial(ind) or run_together(ind):
            continue
        hit = _unit_hit(ind, written, canonical)
        if hit is not None:
            yield hit


def _unit_hit(ind, written: str | None, canonical: str | None):
    """V03's finding on a value with the unit ``written``, meaning ``canonical``."""
    if written is None:
        return value_hit(ind)
    if canonical == written and unit_known(written):
        return None
    wordy = wordy_unit(written)
    if wordy:
        stem, op = wordy
        suggestion = suggested(ind, stem, ind.target.op or op)
        return value_hit(ind, "wordy", unit=written, suggestion=suggestion)
    if canonical == written:
        return value_hit(ind, "unknown", unit=written)
    variant, severity = ("ambiguous", WARNING) if written in _AMBIGUOUS_UNITS else ("synonym", INFO)
    return value_hit(ind, variant, severity, unit=written, canonical=canonical,
                     suggestion=suggested(ind, canonical))


_MONEY_DECIMALS = {"万元": 4, "亿元": 8}  # whole 元 written in 万元 / 亿元 (rule F09)


def _decimal_places(number: str) -> int:
    """The decimals a number shows, from its exact text (``str`` of a Decimal keeps its
    exponent: 95.000 has 3): counted in plain digits, else (1E+3) asked of Decimal."""
    whole, _, fraction = number.partition(".")
    if number.isascii() and whole.lstrip("-").isdigit() and (fraction.isdigit() or not fraction):
        return len(fraction)
    return max(0, -Decimal(number).as_tuple().exponent)


@rule(
    code="V10",
    name="values.number_format",
    severity=INFO,
    message_zh={
        "default": "“{name}”的指标值“{value}”有 {places} 位小数，整数或两位小数即可",
        "separator": "“{name}”的百分比“{value}”带千位分隔符",
    },
    message_en={
        "default": "value “{value}” of “{name}” has {places} decimals; integers or 2 decimals "
                   "suffice",
        "separator": "percentage “{value}” of “{name}” has a thousands separator",
    },
    fix_zh="写成整数或两位小数（95 或 95.00），百分比不用千位分隔符。",
    fix_en="Write an integer or 2 decimals (95 or 95.00); no thousands separator in percentages.",
    source="[O] the system prints integers or 2 decimals",
    bad=_row("设备验收合格率", "≥95.000(%)"),
    good=_row("设备验收合格率", "≥95.00(%)"),
    needs_indicators=True,
)
def number_format(form, config):
    for ind, target, _, unit in quantitative_rows(form):
        number = str(target.number)
        places = 0 if number.isdigit() else _decimal_places(number)  # most are whole
        if places > _MONEY_DECIMALS.get(target.unit or "", 2):
            yield value_hit(ind, places=places)
        elif unit in ("%", "‰") and "," in target.raw:  # the name only turns 万 into 万元
            yield value_hit(ind, "separator")


@rule(
    code="V11",
    name="values.placeholder",
    severity=ERROR,
    message_zh="“{name}”的指标值“{value}”是占位符，不是指标值",
    message_en="value “{value}” of “{name}” is a placeholder, not a target",
    fix_zh="填入实际的目标值，如“≥95(%)”或具体的定性描述。",
    fix_en="Fill in the real target, e.g. ≥95(%) or a concrete qualitative statement.",
    source="S-pmkpi [V] (values with *, _ or - are rejected); [O] other published forms (≥**%, =-)",
    bad=_row("设备验收合格率", "≥**%"),
    good=_row("设备验收合格率", "≥98(%)"),
    needs_indicators=True,
)
def placeholder(form, config):
    for ind in form.indicators:
        if ind.target.kind == "malformed" and ind.target.problem == "placeholder":
            yield value_hit(ind)
