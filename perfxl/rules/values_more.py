"""V — what a value means for its indicator: ranges, direction, satisfaction, vagueness, units.

Rules V04–V09, V12 (a date written as a value must exist) and V13; the keyword lists and
name tests are in ``values``.
"""

from __future__ import annotations

import calendar
import re
from functools import lru_cache

from ..targets import is_date_text
from ..text import squash
from .base import ERROR, INFO, WARNING, rule
from .values import (
    _row, direction, is_growth, is_money_name, is_satisfaction, quantitative_rows,
    suggested, unit_known, value_hit,
)

_PERCENT = ("%",)
_RATE_WORDS = ("率", "满意", "占比", "比例", "比重")


@lru_cache(maxsize=16384)
def _is_rate(name: str) -> bool:
    return any(w in name for w in _RATE_WORDS) or name.endswith("度")


@rule(
    code="V04",
    name="values.percent_range",
    severity=ERROR,
    message_zh="“{name}”是比率，指标值“{value}”超出 0–100%",
    message_en="“{name}” is a rate; value “{value}” lies outside 0–100 %",
    fix_zh="比率、占比和满意度取 0–100%；超过 100% 只用于增长率、同比等比较类指标。",
    fix_en="Rates, shares and satisfaction lie in 0–100 %; above 100 % only for growth indicators.",
    source="[O] other published forms (292%)",
    bad=_row("设备验收合格率", "≥292(%)"),
    good=_row("设备验收合格率", "≥92(%)"),
    needs_indicators=True,
)
def percent_range(form, config):
    for ind, target, name, unit in quantitative_rows(form):
        if unit not in _PERCENT or is_growth(name):
            continue
        if _is_rate(name) and not 0 <= target.number <= 100:
            yield value_hit(ind)
        elif target.number > 100:
            yield value_hit(ind, severity=WARNING)


@rule(
    code="V05",
    name="values.trivial",
    severity=WARNING,
    message_zh={
        "default": "“{name}”的指标值“{value}”不设下限（≥0），一定能达到",
        "ceiling": "“{name}”的指标值“{value}”上限为 100%，一定能达到",
        "zero": "“{name}”的指标值“{value}”为 0，作为{kind}没有意义",
    },
    message_en={
        "default": "value “{value}” of “{name}” (≥0) is met whatever happens",
        "ceiling": "value “{value}” of “{name}” caps a percentage at 100 %, which is always met",
        "zero": "value “{value}” of “{name}” is 0, meaningless for a {kind_en}",
    },
    fix_zh="设定能衡量工作成效的目标值（如“≥1(次)”“≥95(%)”），不设“一定能达到”的目标。",
    fix_en="Set a target that measures the work (≥1 visit, ≥95 %), not one that is always met.",
    source="S10 [R] (targets set obviously low are penalised); [O] SAMPLE (展厅每日巡检次数 "
           "≥0.00(次)), other published forms (出差单位成本 = 0 万元/人)",
    bad=_row("展厅每日巡检次数", "≥0.00(次)", level2="数量指标"),
    good=_row("展厅每日巡检次数", "≥1.00(次)", level2="数量指标"),
    needs_indicators=True,
)
def trivial(form, config):
    for ind, target, name, unit in quantitative_rows(form):
        if target.op == "≥" and target.number == 0:
            yield value_hit(ind)
        elif target.op == "≤" and unit in _PERCENT and target.number >= 100 and not is_growth(name):
            yield value_hit(ind, "ceiling")
        elif target.op in ("=", "≤") and target.number == 0:
            kind = _zero_meaningless(ind, name)
            if kind:
                yield value_hit(ind, "zero", kind=kind[0], kind_en=kind[1])


_LOSS_WORDS = ("损失", "罚款", "赔偿", "超支", "浪费", "欠款", "拖欠")


def _zero_meaningless(ind, name: str) -> tuple[str, str] | None:
    """0 as a cost, or as an output count (not 事故数, 投诉次数 and the like)."""
    unit = ind.target.unit or ""
    money = "元" in unit or (is_money_name(name) and unit not in _PERCENT)
    if money and not any(w in name for w in _LOSS_WORDS):
        return "成本或金额", "cost or amount"
    count_name = ind.level2 == "数量指标" or name.endswith("数") or name.endswith("数量")
    if count_name and unit not in _PERCENT and direction(name) != "lower":
        return "产出数量", "output count"
    return None


@rule(
    code="V06",
    name="values.negative_direction",
    severity=ERROR,
    message_zh={
        "default": "“{name}”越低越好，指标值“{value}”却用了“{op}”",
        "loose": "“{name}”越低越好，上限“{value}”高于 {ceiling}%，约束过松",
    },
    message_en={
        "default": "“{name}” is lower-is-better but its value “{value}” uses “{op}”",
        "loose": "“{name}” is lower-is-better; the ceiling “{value}” is above {ceiling} %",
    },
    fix_zh="越低越好的指标用“≤”或“<”设上限，或写“=0”；比率的上限应收紧，如“≤5(%)”。",
    fix_en="Give lower-is-better indicators a ceiling with ≤ or < (or =0), e.g. ≤5(%).",
    source="S-pmkpi [V] (反向指标 scored separately); [O] SAMPLE (系统故障率 ≤95.00(%)), "
           "other published forms; ceiling: Config negative_rate_ceiling [I]",
    bad=_row("系统故障率", "≥5(%)"),
    good=_row("系统故障率", "≤5(%)"),
    needs_indicators=True,
)
def negative_direction(form, config):
    ceiling = config.negative_rate_ceiling
    for ind, target, name, unit in quantitative_rows(form):
        if direction(name) != "lower":
            continue
        if target.op in ("≥", ">"):
            yield value_hit(ind, op=target.op)
        elif (target.op in ("≤", "<", "=") and unit in _PERCENT and "率" in name
              and target.number > ceiling):
            yield value_hit(ind, "loose", WARNING, ceiling=ceiling)


@rule(
    code="V07",
    name="values.positive_direction",
    severity=WARNING,
    message_zh="“{name}”越高越好，指标值“{value}”却用了“{op}”（设了上限）",
    message_en="“{name}” is higher-is-better but its value “{value}” uses “{op}” (a ceiling)",
    fix_zh="越高越好的指标用“≥”设下限，如“{suggestion}”。",
    fix_en="Give higher-is-better indicators a floor with ≥, e.g. “{suggestion}”.",
    source="[O] 档案存储设施稳定运行率 ≤99% (2026 申报表 in a public test fixture); [I]",
    bad=_row("档案存储设施稳定运行率", "≤99%"),
    good=_row("档案存储设施稳定运行率", "≥99(%)"),
    needs_indicators=True,
)
def positive_direction(form, config):
    for ind, target, name, _ in quantitative_rows(form):
        if target.op in ("≤", "<") and direction(name) == "higher":
            yield value_hit(ind, op=target.op, suggestion=suggested(ind, op="≥"))


@rule(
    code="V08",
    name="values.satisfaction",
    severity=WARNING,
    message_zh={
        "default": "满意度指标“{name}”的目标“{value}”低于 {floor}%",
        "low": "满意度指标“{name}”的目标“{value}”低于常见水平 {floor}%",
        "equals": "满意度指标“{name}”的目标“{value}”用了“=”，满意度通常设下限“≥”",
    },
    message_en={
        "default": "satisfaction target “{value}” of “{name}” is below {floor} %",
        "low": "satisfaction target “{value}” of “{name}” is below the usual {floor} %",
        "equals": "satisfaction target “{value}” of “{name}” uses “=”; satisfaction takes a "
                  "floor (≥)",
    },
    fix_zh="满意度写成“≥90(%)”这样的下限（阈值可在配置中调整，未见官方最低值）。",
    fix_en="Write satisfaction as a floor such as ≥90(%) (thresholds are configurable; "
           "no official minimum was found).",
    source="[I] no official minimum found; [O] SAMPLE (≥90, ≥95), other published forms "
           "(≥85, ≥90, =99); thresholds: Config satisfaction_floor / satisfaction_info_floor",
    bad=_row("老年人满意度", "≥70(%)", level2="服务对象满意度指标", level1="满意度指标"),
    good=_row("老年人满意度", "≥90(%)", level2="服务对象满意度指标", level1="满意度指标"),
    needs_indicators=True,
)
def satisfaction(form, config):
    for ind, target, name, unit in quantitative_rows(form):
        if not is_satisfaction(name):
            continue
        if target.unit is not None and unit not in _PERCENT:
            continue  # a score or a count: V13's finding
        if target.op in ("≤", "<") or target.number > 100:
            continue  # V07 / V04
        if target.number < config.satisfaction_floor:
            yield value_hit(ind, floor=config.satisfaction_floor)
        elif target.number < config.satisfaction_info_floor:
            yield value_hit(ind, "low", INFO, floor=config.satisfaction_info_floor)
        elif target.op == "=":
            yield value_hit(ind, "equals", INFO, floor=config.satisfaction_floor)


_VAGUE_WORDS = ("提升", "提高", "增加", "减少", "降低", "下降", "改善", "增强", "加强", "促进",
                "推动", "优化", "扩大", "好转", "长远", "明显", "显著")
_VAGUE_FILLERS = ("有所", "逐步", "进一步", "不断", "持续", "大幅", "稳步", "得到", "一定",
                  "较大", "大大", "全面", "有效", "效果", "作用", "程度", "水平", "成效", "的",
                  "了", "地", "度")
_VAGUE = re.compile(
    "^(?:" + "|".join(sorted(_VAGUE_WORDS + _VAGUE_FILLERS, key=len, reverse=True)) + ")+$"
)
_PUNCT = re.compile(r"[\s，,。.；;、!！]")


@lru_cache(maxsize=4096)
def is_vague(text: str) -> bool:
    """Only direction words and fillers: 提升, 有所改善, 明显提高 — no state, no number
    (kept per text: qualitative values repeat across forms)."""
    bare = _PUNCT.sub("", squash(text))
    return bool(_VAGUE.match(bare)) and any(w in bare for w in _VAGUE_WORDS)


@rule(
    code="V09",
    name="values.vague_qualitative",
    severity=WARNING,
    message_zh="“{name}”的指标值“{value}”只说了方向，无法判断是否达成",
    message_en="value “{value}” of “{name}” names a direction only; it cannot be judged as met",
    fix_zh="改为数值（如“≥5(%)”），或分级描述（好/较好/一般/较差/差；达成年度指标），"
           "或具体状态（如“全年正常运营”）。",
    fix_en="Use a number (≥5(%)), a graded scale (好/较好/一般/较差/差) or a concrete state "
           "(全年正常运营).",
    source="S88 [R] (细化量化, 定性的分级分档形式); S10/S-pmkpi [R]/[V] (three-grade "
           "qualitative values); [O] other published forms (新增违建发生数 降低)",
    bad=_row("居民生活环境", "有所改善", level2="社会效益指标", level1="效益指标"),
    good=_row("居民生活环境", "较好", level2="社会效益指标", level1="效益指标"),
    needs_indicators=True,
)
def vague_qualitative(form, config):
    for ind in form.indicators:
        if ind.target.kind == "qualitative" and is_vague(ind.target.text or ""):
            yield value_hit(ind)


_PHYSICAL_DEGREES = ("温度", "湿度", "强度", "密度", "精度", "速度", "长度", "高度", "深度",
                     "宽度", "厚度", "亮度", "浓度", "硬度", "坡度", "角度", "年度", "季度")
_MONEY_SUFFIXES = ("金额", "成本", "费用", "资金", "经费")
_COUNT_SUFFIXES = ("数", "数量")


@lru_cache(maxsize=16384)
def expected_unit(name: str) -> tuple[str, str] | None:
    """What a name's ending asks for: ("percent"|"money"|"count", the word it ends with)."""
    if name.endswith("率") or (name.endswith("度") and not name.endswith(_PHYSICAL_DEGREES)):
        return "percent", name[-1]
    for suffix in _MONEY_SUFFIXES:
        if name.endswith(suffix):
            return "money", suffix
    for suffix in _COUNT_SUFFIXES:
        if name.endswith(suffix):
            return "count", suffix
    return None


def _unit_fits(kind: str, unit: str) -> bool:
    if kind == "percent":
        return unit in ("%", "‰", "个百分点") or "/" in unit
    if kind == "money":
        return "元" in unit
    return unit not in ("%", "‰", "个百分点")


_EXPECTED = {"percent": ("%", "%"), "money": ("元或万元", "元 or 万元"),
             "count": ("计数单位（个、次、人…）", "a count unit (个, 次, 人…)")}


@rule(
    code="V13",
    name="values.unit_mismatch",
    severity=WARNING,
    message_zh="“{name}”以“{suffix}”结尾，单位应为{expected}，而不是“{unit}”",
    message_en="“{name}” ends in “{suffix}”, so its unit should be {expected_en}, not “{unit}”",
    fix_zh="按指标名称选择单位：…率/…度 用 %，…数 用个、次、人等，…金额/成本/费用 用元或万元；"
           "或改指标名称。",
    fix_en="Match the unit to the name: rates → %, counts → 个/次/人, amounts → 元/万元; "
           "or rename the indicator.",
    source="[I]; [O] a 2023 岳阳楼区 整体绩效目标表 (业务工作支出安排金额 with unit %)",
    bad=_row("业务工作支出安排金额", "≤28.8(%)", level2="经济成本指标", level1="成本指标"),
    good=_row("业务工作支出安排金额", "≤28.8(万元)", level2="经济成本指标", level1="成本指标"),
    needs_indicators=True,
)
def unit_mismatch(form, config):
    for ind, target, name, unit in quantitative_rows(form):
        if target.unit is None:
            continue
        wanted = expected_unit(name)
        if wanted and unit_known(unit) and not _unit_fits(wanted[0], unit):
            zh, en = _EXPECTED[wanted[0]]
            yield value_hit(ind, suffix=wanted[1], expected=zh, expected_en=en, unit=target.unit)


_DATE_PARTS = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})[年./-])?(?P<m>\d{1,2})(?:月|(?!\d))"
    r"(?:[./-]?(?P<d>\d{1,2})(?!\d)[日号]?)?"
)


def impossible_date(text: str) -> str | None:
    """The first date in a date value that no calendar has (2023年2月30日, 13月底), else None."""
    for match in _DATE_PARTS.finditer(squash(text)):
        if match["y"] is None and "月" not in match.group(0):
            continue
        year = int(match["y"] or 2024)  # no year: allow 29 February
        month = int(match["m"])
        day = int(match["d"]) if match["d"] else 1
        if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
            return match.group(0)
    return None


@rule(
    code="V12",
    name="values.date",
    severity=ERROR,
    message_zh="“{name}”的指标值“{value}”中的日期“{date}”不存在",
    message_en="value “{value}” of “{name}” names a date that does not exist: “{date}”",
    fix_zh="改为实际存在的日期，如“2023年6月30日前”“12月底前”。",
    fix_en="Write a date that exists, e.g. 2023年6月30日前 or 12月底前.",
    source="[O] other published forms (2023.07-2024.01, 2021年12月31日前, 12月底前 are valid "
           "values); [I] a date must exist. Excel serials (44,561) are D08's finding",
    bad=_row("系统上线时间", "2023年6月31日前", level2="时效指标"),
    good=_row("系统上线时间", "2023年6月30日前", level2="时效指标"),
    needs_indicators=True,
)
def date_value(form, config):
    for ind in form.indicators:
        target = ind.target
        if target.kind == "qualitative":
            date = _impossible_date_value(target.raw)
            if date:
                yield value_hit(ind, date=date)


@lru_cache(maxsize=4096)
def _impossible_date_value(raw: str) -> str | None:
    """V12's finding on a qualitative value: the date that does not exist, if it is a date
    (kept per text: qualitative values repeat across forms)."""
    return impossible_date(raw) if is_date_text(raw) else None
