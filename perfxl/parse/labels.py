"""The labels of the form and their aliases (rules.md §2 and P08).

A label cell is matched after ``squash`` (no whitespace, NFKC) and without a leading
``其中:`` and trailing colons. Each label names the field path its value fills.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..text import squash

FIELD_LABELS: dict[str, str] = {
    "项目名称": "project.name",
    "项目支出名称": "project.name",
    "二级项目名称": "project.name",
    "项目性质": "project.nature",
    "项目类别": "project.category",
    "主管部门": "project.department",
    "预算部门": "project.department",
    "实施单位": "project.unit",
    "项目实施单位": "project.unit",
    "计划开始日期": "project.start",
    "计划完成日期": "project.end",
    "项目资金总额": "funding.total",
    "年度资金申请总额": "funding.annual",
    "年度本级预算金额": "funding.annual",
    "预算申报数": "funding.annual",
    "财政资金": "funding.fiscal",
    "当年财政拨款": "funding.appropriation",
    "上年结转资金": "funding.carryover",
    "其他资金": "funding.other",  # total or annual side: told apart by position (P04)
}

# Labels that head a block and carry no value of their own.
BLOCK_LABELS = {
    "项目资金", "项目资金(元)", "项目资金(万元)", "资金", "项目绩效目标", "绩效目标",
    "绩效指标", "项目绩效指标", "年度绩效指标",
}

INDICATOR_HEADERS = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "name",
    "符号": "op",
    "运算符": "op",
    "数值": "number",
    "计量单位": "unit",
    "单位": "unit",
}

FOOTER_LABELS = ("填报人", "联系人", "联系电话", "填报日期", "单位负责人", "审核意见", "备注")

TITLE_MARK = "绩效目标申报表"
_OVERALL_GOAL = re.compile(r"^项目总(?:体)?目标(?:\((\d{4})年?-(\d{4})年?\))?$")
_ANNUAL_GOAL = re.compile(r"^(?:年度总体目标|年度目标|年度绩效目标)$")
_YEAR = re.compile(r"[(（]?(\d{4})年度[)）]?")
_MONEY_BLOCK = re.compile(r"项目资金(?:\([^()]{0,8}\))?")  # 项目资金 (元) — not a sentence
_UNIT_HEADER = re.compile(r"单位[:：]?(万元|元)")


def label_key(text: object) -> str:
    """The key a cell is matched by: squashed, without 其中: and trailing colons."""
    if text is None:
        return ""
    if text.__class__ is not str:
        text = str(text)  # a number or a date in a label's place
    return _label_key(text) if len(text) <= 64 else _label_key.__wrapped__(text)


@lru_cache(maxsize=16384)
def _label_key(text: str) -> str:
    key = squash(text)
    if key.startswith("其中:"):
        key = key[3:]
    return key.rstrip(":")


def field_of(text: object) -> str | None:
    if not isinstance(text, str) or len(text) > 64:
        return None
    return FIELD_LABELS.get(label_key(text))


def is_label(text: object) -> bool:
    """Any label: a field label, a block label, a goal or indicator header."""
    if not isinstance(text, str) or len(text) > 64:
        return False
    return _is_label_key(label_key(text))


@lru_cache(maxsize=16384)
def _is_label_key(key: str) -> bool:
    return (
        key in FIELD_LABELS
        or key in BLOCK_LABELS
        or key in INDICATOR_HEADERS
        or "指标值" in key
        or goal_label(key) is not None
        or _MONEY_BLOCK.fullmatch(key) is not None
    )


def header_label(text: str) -> tuple[str | None, tuple[str, tuple[int, int] | None] | None]:
    """What a text cell above the indicator table names: (field path, goal label)."""
    return _header_label(text) if len(text) <= 64 else (None, goal_label(label_key(text)))


@lru_cache(maxsize=16384)
def _header_label(text: str) -> tuple[str | None, tuple[str, tuple[int, int] | None] | None]:
    key = label_key(text)
    if not key:
        return None, None
    return FIELD_LABELS.get(key), goal_label(key)


def goal_label(key: str) -> tuple[str, tuple[int, int] | None] | None:
    """``("overall", (2023, 2024))`` for 项目总目标 (2023年-2024年); ``("annual", None)``."""
    key = key.replace("至", "-").replace("~", "-").replace("—", "-").replace("–", "-")
    match = _OVERALL_GOAL.match(key)
    if match:
        period = (int(match[1]), int(match[2])) if match[1] else None
        return "overall", period
    if _ANNUAL_GOAL.match(key):
        return "annual", None
    return None


def year_in(text: object) -> int | None:
    if not isinstance(text, str) or "年度" not in text:
        return None
    match = _YEAR.search(squash(text))
    return int(match[1]) if match and "年度" in text else None


def money_unit_in(text: object) -> str | None:
    """元 or 万元 when a label or header declares it (rule F10)."""
    if not isinstance(text, str) or "元" not in text or len(text) > 64:
        return None
    key = label_key(text)
    if _MONEY_BLOCK.fullmatch(key):
        if "万元" in key:
            return "万元"
        if "元" in key:
            return "元"
    match = _UNIT_HEADER.search(key)
    return match[1] if match else None
