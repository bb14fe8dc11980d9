"""I — the indicator set against the project: relevance, names, goals, construction (I08–I11)."""

from __future__ import annotations

import re
from functools import lru_cache

from .. import vocab
from ..text import squash
from .base import INFO, Hit, rule
from .classification import (
    is_construction, is_cost_row, row as _row, table_hit,
)

from .indicators import _CJK_RUN, bigrams, name_key, text_bigrams  # noqa: F401


_SATISFACTION = re.compile(r"满意(?:度|率|程度)?")
# Who is satisfied, in words that fit any project: stripped before the overlap test.
_GENERIC_ROLES = (
    "项目管理者", "管理人员", "管理者", "使用人员", "使用者", "使用人", "服务对象", "社会公众",
    "工作人员", "参与者", "受益者", "群众", "公众", "用户", "人员", "对象", "部门", "单位",
    "职工", "员工", "项目", "者", "的",
)


@lru_cache(maxsize=16384)
def _satisfaction_subject(name: str) -> str:
    subject = _SATISFACTION.sub("", name_key(name))
    for word in _GENERIC_ROLES:
        subject = subject.replace(word, "")
    return subject


def _is_satisfaction_name(name: str) -> bool:
    """A name ``_SATISFACTION`` finds something in (its suffixes are optional: 满意 is enough)."""
    return "满意" in name


@rule(
    code="I08",
    name="indicators.unrelated",
    severity=INFO,
    message_zh="满意度指标「{name}」中的「{subject}」在项目名称、目标和其他指标中都没有出现，是否与本项目无关",
    message_en="satisfaction indicator '{name}': '{subject}' appears nowhere in the project "
               "name, goals or other indicators; is it about this project?",
    fix_zh="满意度指标应针对本项目的服务对象（如本项目的就餐者、参观者）。",
    fix_en="Ask the satisfaction of this project's own users (e.g. its diners or visitors).",
    source="[O] SAMPLE 机关服务 (公务用车使用者的满意度 on a canteen / assistant-staff project)",
    needs_indicators=True,
    bad={"add_indicators": [_row("满意度指标", "服务对象满意度指标", "公务用车使用者的满意度",
                                 "≥95(%)")]},
    good={"add_indicators": [_row("满意度指标", "服务对象满意度指标", "养老服务设施使用者的满意度",
                                  "≥95(%)")]},
)
def unrelated(form, config):
    satisfaction_rows = [i for i in form.indicators if _is_satisfaction_name(i.name)]
    context_pairs = None  # the pairs of the project name, the goals and the other names
    for indicator in satisfaction_rows:
        subject = _satisfaction_subject(indicator.name)
        pairs = text_bigrams(subject)
        if not pairs:
            continue
        if context_pairs is None:
            context_pairs = _context_bigrams(form)
        if pairs.isdisjoint(context_pairs):
            yield Hit("name", {"name": indicator.name, "subject": subject}, indicator=indicator)


def _context_bigrams(form) -> frozenset[str]:
    """The pairs I08 looks for a subject in: project name, goals, the names that do not
    ask about satisfaction."""
    parts = [form.project.name, form.goals.overall, form.goals.annual]
    parts += [i.name for i in form.indicators if not _is_satisfaction_name(i.name)]
    return frozenset().union(*map(text_bigrams, parts))


_OPERATOR_IN_NAME = re.compile(r"[≥≤<>=%‰]")
_UNIT_SUFFIX = re.compile(r"[(（]([^()（）]+)[)）]$")


@lru_cache(maxsize=16384)
def _unit_in_name(name: str) -> bool:
    text = squash(name)
    if _OPERATOR_IN_NAME.search(text):
        return True
    match = _UNIT_SUFFIX.search(text)
    if not match:
        return False
    unit = vocab.UNIT_SYNONYMS.get(match[1], match[1])
    return unit in vocab.UNITS


@rule(
    code="I09",
    name="indicators.name_form",
    severity=INFO,
    message_zh={"default": "三级指标名称「{name}」含有单位或运算符",
                "long": "三级指标名称有{length}个字，超过{limit}个字"},
    message_en={"default": "indicator name '{name}' contains a unit or an operator",
                "long": "indicator name has {length} characters, more than {limit}"},
    fix_zh="名称只写衡量什么（如“补贴发放准确率”），运算符、数值和单位写在指标值里。",
    fix_en="The name says what is measured (e.g. 补贴发放准确率); operator, number and unit "
           "go in the target value.",
    source="S-pmkpi [V] (三级指标 name ≤ 100 characters); [O] other published forms (…及时率%)",
    needs_indicators=True,
    bad={"add_indicators": [_row("产出指标", "时效指标", "补贴发放及时率%", "=100(%)")]},
    good={"add_indicators": [_row("产出指标", "时效指标", "补贴发放及时率", "=100(%)")]},
)
def name_form(form, config):
    for indicator in form.indicators:
        length, unit_in_name = _name_shape(indicator.name)
        if length > config.name_max_length:
            values = {"name": indicator.name, "length": length, "limit": config.name_max_length}
            yield Hit("name", values, indicator=indicator, variant="long")
        elif unit_in_name:
            yield Hit("name", {"name": indicator.name}, indicator=indicator)


@lru_cache(maxsize=16384)
def _name_shape(name: str) -> tuple[int, bool]:
    """A name's length as counted (squashed) and whether it holds a unit or an operator,
    kept per name: names repeat across forms."""
    return len(squash(name)), bool(name) and _unit_in_name(name)


_SENTENCE_BREAK = re.compile(
    r"[。；;！!？?\n]|(?:^|(?<=[\s，,。；;]))(?:\d{1,2}\s*[.、．)）](?!\d)|[(（]\d{1,2}[)）]|[一二三四五六七八九十]、)"
)
# Pairs that say how, not what: they match any indicator and cover nothing.
_GOAL_STOP = frozenset((
    "有效", "支撑", "需求", "保持", "提升", "提高", "全面", "进一", "一步", "营造", "良好", "确保",
    "通过", "相关", "开展", "加强", "推进", "实现", "取得", "积极", "促进", "不断", "完成", "工作",
    "项目", "本单", "单位", "年度", "保障", "满足", "协助", "发挥", "努力",
))


def goal_sentences(goal: str) -> list[str]:
    """The items of a goal text: split at 。；, line breaks and numbering (1. 2. / 一、)."""
    parts = (p.strip(" ，,、") for p in _SENTENCE_BREAK.split(goal or ""))
    return [p for p in parts if len("".join(_CJK_RUN.findall(p))) >= 4]


@lru_cache(maxsize=256)
def _goal_items(goal: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """The items of a goal text with their pairs that say what (``_GOAL_STOP`` left out);
    kept, since one department's forms share their goal texts."""
    return tuple((sentence, frozenset(bigrams(sentence, _GOAL_STOP)))
                 for sentence in goal_sentences(goal))


@rule(
    code="I10",
    name="indicators.goal_coverage",
    severity=INFO,
    message_zh="年度总体目标中“{sentence}”没有对应的绩效指标",
    message_en="no indicator measures the annual goal item “{sentence}”",
    fix_zh="为年度总体目标的每一项设置至少一个指标，或删去无法衡量的目标表述。",
    fix_en="Give each item of the annual goal at least one indicator, or drop goal wording "
           "that nothing measures.",
    source="S88 [R] (目标与指标相应匹配); [I] keyword overlap",
    needs_indicators=True,
    bad={"goals": {"annual": "为社区养老服务设施提供运营补贴，服务老年人。开展志愿者培训活动。"}},
    good={"goals": {"annual": "为社区养老服务设施提供运营补贴。服务老年人，提升老年人满意度。"}},
)
def goal_coverage(form, config):
    items = _goal_items(form.goals.annual or "")
    if len(items) < 2:
        return  # a one-sentence goal sums up the project; the whole table answers it
    measured = None  # the pairs of the indicator names and qualitative values
    for sentence, pairs in items:
        if not pairs:
            continue
        if measured is None:
            measured = _measured_bigrams(form)
        if pairs.isdisjoint(measured):
            yield Hit("goals.annual", {"sentence": sentence})


def _measured_bigrams(form) -> frozenset[str]:
    """The pairs of what the indicators measure: their names and qualitative values."""
    texts = [text for i in form.indicators for text in (i.name, i.target.text or "")]
    return frozenset().union(*map(text_bigrams, texts))


@rule(
    code="I11",
    name="indicators.construction_cost",
    severity=INFO,
    message_zh="工程建设、改造或采购类项目“{project}”没有成本指标",
    message_en="construction, renovation or procurement project '{project}' has no cost "
               "indicator",
    fix_zh="设置成本指标，单位成本无法拆分核算的，可设定分项成本控制数（如 ≤120(万元)）。",
    fix_en="Add cost indicators; where unit costs cannot be separated, give a cost limit per "
           "item (e.g. ≤120(万元)).",
    source="S101c [V] (对单位成本无法拆分核算的任务，可设定分项成本控制数); [I]",
    needs_indicators=True,
    bad={"project": {"name": "社区养老服务设施改造工程"},
         "indicators": [_row("产出指标", "数量指标", "改造养老服务设施数", "≥20(家)"),
                        _row("效益指标", "社会效益指标", "服务老年人数", "≥5000(人)")]},
    good={"project": {"name": "社区养老服务设施改造工程"}},
)
def construction_cost(form, config):
    if form.indicators and is_construction(form) and not any(map(is_cost_row, form.indicators)):
        yield table_hit(form, project=form.project.name)
