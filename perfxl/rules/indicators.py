"""I — the indicator set: count, completeness, duplicates, kind and fit of the indicators."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from operator import add

from ..text import squash
from .base import ERROR, INFO, WARNING, Hit, rule
from .classification import (
    SATISFACTION_LEVEL2, is_cost_row, row as _row, table_hit,
)

_PUNCT = re.compile(r"[\s,，.。、:：;；!！?？()（）\[\]【】<>《》“”\"'‘’`·・/\\_\-—–~～]+")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """An indicator name for comparison: folded, without whitespace or punctuation (cached:
    names repeat across the forms of a folder)."""
    return _PUNCT.sub("", squash(name))


def bigrams(text: str, stop: frozenset[str] = frozenset()) -> set[str]:
    """The CJK character pairs of a text (the unit of the keyword-overlap heuristics)."""
    pairs = set()
    for run in _CJK_RUN.findall(text):
        pairs.update(map(add, run, run[1:]))  # each character joined to the next
    return pairs - stop


@lru_cache(maxsize=32768)
def text_bigrams(text: str) -> frozenset[str]:
    """``bigrams(text)``, kept: names and goals repeat across forms.

    Texts joined with a space have the union of their parts' pairs (a space ends a run
    of CJK characters), so a rule can combine the kept sets of the parts.
    """
    return frozenset(bigrams(text))


@rule(
    code="I01",
    name="indicators.count",
    severity=WARNING,
    message_zh="只有{count}个三级指标，少于{minimum}个",
    message_en="only {count} third-level indicators; at least {minimum} expected",
    fix_zh="补充能反映项目产出和效益的三级指标。",
    fix_en="Add third-level indicators that measure the project's outputs and effects.",
    source="[I]; weak hint “…总数不得少于3个” (http://m.dybbs8.com/excel/974350.html); "
           "[O] Shanghai forms have 5–14",
    needs_indicators=True,
    bad={"indicators": [_row("产出指标", "数量指标", "补贴养老服务设施数", "≥20(家)"),
                        _row("效益指标", "社会效益指标", "服务老年人数", "≥5000(人)")]},
    good={},
)
def count(form, config):
    named = [i for i in form.indicators if i.name]
    if len(named) < config.min_indicators:
        yield table_hit(form, count=len(named), minimum=config.min_indicators)


@rule(
    code="I02",
    name="indicators.incomplete",
    severity=ERROR,
    message_zh={"default": "三级指标「{name}」没有指标值",
                "no_name": "指标值「{value}」没有三级指标名称"},
    message_en={"default": "indicator '{name}' has no target value",
                "no_name": "target value '{value}' has no indicator name"},
    fix_zh="每行绩效指标都要填写三级指标名称和指标值。",
    fix_en="Every indicator row needs both a third-level name and a target value.",
    source="S-pmkpi [V] (mandatory-field checks); [O] other published forms",
    needs_indicators=True,
    bad={"add_indicators": [_row("产出指标", "数量指标", "培训场次", "")]},
    good={"add_indicators": [_row("产出指标", "数量指标", "培训场次", "≥4(场)")]},
)
def incomplete(form, config):
    for indicator in form.indicators:
        has_value = indicator.target.kind != "empty"
        if indicator.name and not has_value:
            yield Hit("name", {"name": indicator.name}, indicator=indicator)
        elif has_value and not indicator.name:
            yield Hit("value", {"value": indicator.raw}, indicator=indicator, variant="no_name")


@lru_cache(maxsize=65536)
def _near(a: str, b: str) -> bool:
    """Near-duplicates: one edit apart (one substitution, insertion or deletion), but not
    names differing only in their measure (the last two characters: 参观人数 / 参观次数 are
    two indicators). Cached: the same pairs of names meet in form after form."""
    if len(a) > len(b):
        a, b = b, a
    if len(a) < 4 or len(b) - len(a) > 1 or a == b:
        return False
    first_difference = _common_prefix_length(a, b)
    if first_difference >= len(b) - 2:
        return False
    return a[first_difference + (len(a) == len(b)):] == b[first_difference + 1:]


def _common_prefix_length(a: str, b: str) -> int:
    """How many leading characters ``a`` and ``b`` share."""
    shared = 0
    for x, y in zip(a, b):
        if x != y:
            break
        shared += 1
    return shared


@rule(
    code="I03",
    name="indicators.duplicate",
    severity=WARNING,
    message_zh={"default": "三级指标「{name}」与前面的「{other}」重复",
                "near": "三级指标「{name}」与前面的「{other}」只差一个字，是否重复或笔误"},
    message_en={"default": "indicator '{name}' duplicates the earlier '{other}'",
                "near": "indicator '{name}' differs from the earlier '{other}' by one "
                        "character: a duplicate or a typo?"},
    fix_zh="删除重复的指标，或把名称改成能区分两者的写法。",
    fix_en="Remove the duplicate, or rename the indicators so they can be told apart.",
    source="[I]; [O] SAMPLE (房租租赁 / 房屋租赁)",
    needs_indicators=True,
    bad={"add_indicators": [_row("产出指标", "数量指标", "补贴养老服务 设施数", "≥20(家)")]},
    good={"add_indicators": [_row("产出指标", "数量指标", "补贴养老服务设施床位数", "≥200(床)")]},
)
def duplicate(form, config):
    first_of: dict[str, str] = {}  # name key → the first name with it
    near_candidates: dict[str, list[tuple[int, str, str]]] = {}  # see _earliest_near
    for indicator in form.indicators:
        key = name_key(indicator.name)
        if not key:
            continue
        same = first_of.get(key)
        if same is not None:
            yield Hit("name", {"name": indicator.name, "other": same}, indicator=indicator)
            continue
        first_of[key] = indicator.name
        if len(key) < _NEAR_MIN_LENGTH:
            continue
        ending = key[-2:]
        candidates = near_candidates.get(ending)
        if candidates is None:
            near_candidates[ending] = [(len(key), key, indicator.name)]
            continue
        near = _earliest_near(key, candidates)
        if near is not None:
            yield Hit("name", {"name": indicator.name, "other": near}, indicator=indicator,
                      variant="near", severity=INFO)
        candidates.append((len(key), key, indicator.name))


_NEAR_MIN_LENGTH = 4  # _near never holds for a shorter key


def _earliest_near(key: str, candidates: list[tuple[int, str, str]]) -> str | None:
    """The name of the first earlier key that ``_near`` pairs with ``key``, else None.

    ``candidates`` holds (length, key, name) of the earlier distinct keys of four or more
    characters that end in the same two characters as ``key``, in table order (a repeated
    key comes after its first occurrence and so is never the earliest near one). Keys
    ending otherwise are never near: one edit before the last two characters leaves them
    alone. Before ``_near``, the lengths must be within one.
    """
    length = len(key)
    for other_length, other, name in candidates:
        if -1 <= other_length - length <= 1 and _near(other, key):
            return name
    return None


@rule(
    code="I04",
    name="indicators.qualitative_share",
    severity=WARNING,
    message_zh="{total}个指标值中有{qualitative}个是定性表述（{share}），超过{limit}",
    message_en="{qualitative} of {total} target values are qualitative ({share}), above {limit}",
    fix_zh="能量化的指标尽量用“符号+数值+单位”表述（如 ≥95(%)），定性指标用分级表述。",
    fix_en="Express targets as operator + number + unit (e.g. ≥95(%)) where possible; use "
           "graded wording for the rest.",
    source="S88 [R] (细化量化，尽量定量表述); S-tbsm1 [V] (目标实现程度应用具体数据来衡量); "
           "[O] other published forms (6/9 qualitative)",
    needs_indicators=True,
    bad={"indicators": [_row("产出指标", "数量指标", "补贴养老服务设施数", "≥20(家)"),
                        _row("产出指标", "质量指标", "补贴发放质量", "按规定发放"),
                        _row("效益指标", "社会效益指标", "养老服务水平", "明显提升")]},
    good={},
)
def qualitative_share(form, config):
    kinds = [i.target.kind for i in form.indicators]
    qualitative = kinds.count("qualitative")
    total = qualitative + kinds.count("quantitative")
    if not total:
        return
    share = Decimal(qualitative) / Decimal(total)
    if share > config.qualitative_share_max:
        first = next(i for i in form.indicators if i.target.kind == "qualitative")
        values = {"qualitative": qualitative, "total": total, "share": f"{share:.0%}",
                  "limit": f"{config.qualitative_share_max:.0%}"}
        yield Hit("value", values, indicator=first)


_GENERIC_PREFIX = re.compile(r"^(?:本年度|年度|本年|当年|全年)")


@lru_cache(maxsize=65536)
def _generic_key(name: str) -> str:
    key = name_key(re.sub(r"[(（][^()（）]*[)）]\s*$|%$", "", squash(name)))
    return _GENERIC_PREFIX.sub("", key)


@rule(
    code="I05",
    name="indicators.generic",
    severity=WARNING,
    message_zh="「{name}」是通用管理指标，不反映本项目的产出或效益，建议改用项目特有的指标",
    message_en="'{name}' is a generic management indicator that says nothing about this "
               "project's outputs or effects; consider a project-specific one",
    fix_zh="写明完成了什么、达到什么标准（如“补贴养老服务设施数 ≥20家”），预算执行率等在绩效评价中另行考核。",
    fix_en="Say what is delivered and to what standard (e.g. 补贴养老服务设施数 ≥20家); budget "
           "execution is scored separately in the evaluation.",
    source="[I]; S10 [R] (预算执行率 scored separately, 10 %); S-2021tpl [V] (资金到位率 / "
           "预算支出进度 as 投入/过程 measures); no verbatim ban found",
    needs_indicators=True,
    bad={"add_indicators": [_row("产出指标", "质量指标", "项目完成率", "≥95(%)")]},
    good={"add_indicators": [_row("产出指标", "质量指标", "设施运营合格率", "≥95(%)")]},
)
def generic(form, config):
    generic_keys = _generic_keys(tuple(config.generic_indicators))
    for indicator in form.indicators:
        if indicator.name and _generic_key(indicator.name) in generic_keys:
            yield Hit("name", {"name": indicator.name}, indicator=indicator)


@lru_cache(maxsize=8)
def _generic_keys(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_generic_key(name) for name in names)


# Keyword groups of I06: where a name with these words is expected, in order of priority.
_PLACEMENT = (
    ("satisfaction", ("满意",), SATISFACTION_LEVEL2),
    ("timeliness", ("及时", "时限", "时间", "周期", "按时", "准时"), ("时效指标",)),
    ("cost", ("成本", "费用", "单价", "经费"), ()),  # by 一级: anywhere under 成本指标
    ("quality", ("故障", "差错", "验收"), ("质量指标",)),
)
_EXPECTED_ZH = {"satisfaction": "服务对象满意度指标", "timeliness": "时效指标",
                "cost": "成本指标", "quality": "质量指标"}


def _placement_groups(indicator) -> list[tuple[str, bool]]:
    """The keyword groups a name matches, each with whether the row is where it belongs."""
    groups = []
    for group, level2s in _placement_keywords(indicator.name):
        at_home = is_cost_row(indicator) if group == "cost" else indicator.level2 in level2s
        groups.append((group, at_home))
    return groups


@lru_cache(maxsize=16384)
def _placement_keywords(name: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The keyword groups of ``_PLACEMENT`` a name has words of, as (group, 二级 names), in
    priority order (kept: names repeat across forms)."""
    key = name_key(name)
    return tuple((group, level2s) for group, words, level2s in _PLACEMENT
                 if any(w in key for w in words))


@rule(
    code="I06",
    name="indicators.placement",
    severity=INFO,
    message_zh={"default": "「{name}」放在「{level2}」下，按名称应属于{expected}",
                "satisfaction": "满意度类指标「{name}」放在「{level2}」下，应属于{expected}"},
    message_en={"default": "'{name}' is filed under '{level2}'; by its name it belongs to "
                           "{expected}",
                "satisfaction": "satisfaction indicator '{name}' is filed under '{level2}'; "
                                "it belongs to {expected}"},
    fix_zh="把指标移到与其内容相符的二级指标下。",
    fix_en="Move the indicator under the second level that matches what it measures.",
    source="[I]; [O] other published forms (满意程度 under 社会效益), SAMPLE (故障重复发生率 "
           "under 社会效益指标)",
    needs_indicators=True,
    bad={"add_indicators": [_row("效益指标", "社会效益指标", "服务对象满意程度", "≥90(%)")]},
    good={"add_indicators": [_row("满意度指标", "服务对象满意度指标", "服务对象满意程度", "≥90(%)")]},
)
def placement(form, config):
    for indicator in form.indicators:
        if not _placement_keywords(indicator.name):
            continue  # most names: no keyword of any group
        groups = _placement_groups(indicator)
        if any(at_home for _, at_home in groups):
            continue
        group = groups[0][0]
        values = {"name": indicator.name, "level2": indicator.level2 or indicator.level1,
                  "expected": _EXPECTED_ZH[group]}
        if group == "satisfaction":
            yield Hit("name", values, indicator=indicator, variant="satisfaction",
                      severity=WARNING)
        else:
            yield Hit("name", values, indicator=indicator)


_MONEY_UNIT = re.compile(r"元")
_COST_CONTROL = ("控制", "不超", "不高于", "不突破", "以内", "以下", "低于", "节约", "节省",
                 "压缩", "降低", "下降", "减少", "预算", "标准", "限额", "可控", "合理")


def _cost_value_ok(indicator) -> bool:
    target, name = indicator.target, name_key(indicator.name)
    if target.kind == "quantitative":
        if (target.unit and _MONEY_UNIT.search(target.unit)) or target.op in ("≤", "<"):
            return True
        return any(w in name for w in _COST_CONTROL)  # e.g. 成本节约率 ≥5%
    if target.kind == "qualitative":
        return any(w in (target.text or "") for w in _COST_CONTROL)
    return True  # empty or malformed: I02 / V01


@rule(
    code="I07",
    name="indicators.cost_value",
    severity=WARNING,
    message_zh="成本指标「{name}」的指标值「{value}」不是金额、单位成本或控制上限",
    message_en="cost indicator '{name}' has target '{value}', which is neither an amount, a "
               "unit cost nor a control limit",
    fix_zh="成本指标填写成本控制数（如 ≤500(元/人)、≤120(万元)）或成本控制表述（如“控制在预算内”）。",
    fix_en="Give a cost limit (e.g. ≤500(元/人), ≤120(万元)) or a cost-control statement "
           "(e.g. 控制在预算内).",
    source="S101c [V] (成本指标 reflect the “预期控制范围” of costs); [O] other published forms",
    needs_indicators=True,
    bad={"add_indicators": [_row("成本指标", "经济成本指标", "补贴资金使用效率", "=100(%)")]},
    good={"add_indicators": [_row("成本指标", "经济成本指标", "设施运营补贴总额", "≤120(万元)")]},
)
def cost_value(form, config):
    for indicator in form.indicators:
        if is_cost_row(indicator) and not _cost_value_ok(indicator):
            yield Hit("value", {"name": indicator.name, "value": indicator.raw},
                      indicator=indicator)
