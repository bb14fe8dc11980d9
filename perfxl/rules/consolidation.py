"""C — consolidation across a department's forms (rules.md C01–C04).

C01 and C03 look at a set of forms and are registered like every other rule (scope
"forms"): each is handed the forms one at a time and keeps only its sums (C01) or the
copies it found (C03); ``Copies`` tells the copies apart for both, and for the summary. C02 and C04 do not look at forms: C02 compares the summary with one line of the
department's published budget document (an input the caller passes), C04 audits the
formulas of a summary sheet. They are declared here with the same fields (code, name,
severity, zh/en messages, fix, source) and turned into findings by ``published_line`` and
``formula_audit``; they are not in the registry because the registry's examples are forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Iterator

from ..errors import InputError
from ..grid import column_letter, parse_a1
from ..model import Form
from ..money import format_yuan, same_in_wan, yuan_to_wan
from ..report import Finding
from ..text import squash, squash_once
from .base import ERROR, INFO, WARNING, Hit, Message, rule


def department_key(form: Form) -> str:
    """How forms are grouped by 主管部门: spelling differences in spaces and widths ignored."""
    return squash(form.project.department)


def project_key(form: Form) -> tuple[str, str, int | None]:
    """Rule C03's identity of a project: 项目名称 + 实施单位 + year."""
    return (squash_once(form.project.name), squash_once(form.project.unit), form.year)


class Copies:
    """Which forms of a set, taken in order, are later copies of an earlier one (C03)."""

    def __init__(self) -> None:
        self._first: dict[str, int] = {}  # a project's identity, as one text → first index
        self.of: dict[int, int] = {}  # index of a later copy → index of its first copy

    def add(self, index: int, form: Form) -> int | None:
        """The index of the form this one copies, or None (a form without a name copies none)."""
        name, unit, year = project_key(form)
        if not name:
            return None
        first = self._first.setdefault(f"{name}\0{unit}\0{year}", index)
        if first == index:
            return None
        self.of[index] = first
        return first


def _where(form: Form) -> str:
    source = form.source
    return " ".join(part for part in (source.file, source.sheet) if part) or form.label


_ZERO = Decimal("0.00")
_PARTS = ("annual", "appropriation", "carryover", "other_annual")


@dataclass
class _Department:
    """What C01 keeps of one department: its first form, its forms, sums and spellings."""

    first: int
    forms: int = 0
    sums: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(_PARTS, _ZERO))
    spellings: dict[str, None] = field(default_factory=dict)


@rule(
    code="C01",
    name="consolidation.department_totals",
    severity=INFO,
    scope="forms",
    message_zh={
        "default": "主管部门“{department}”共{forms}个项目，年度资金申请总额合计{annual}元"
        "（当年财政拨款{appropriation}，上年结转资金{carryover}，其他资金{other}）",
        "spellings": "主管部门“{department}”共{forms}个项目，年度资金申请总额合计{annual}元"
        "（当年财政拨款{appropriation}，上年结转资金{carryover}，其他资金{other}）；"
        "部门名称有{count}种写法：{spellings}",
    },
    message_en={
        "default": "department “{department}”: {forms} projects, annual request {annual} 元 in total "
        "(appropriation {appropriation}, carry-over {carryover}, other funds {other})",
        "spellings": "department “{department}”: {forms} projects, annual request {annual} 元 in "
        "total (appropriation {appropriation}, carry-over {carryover}, other funds {other}); "
        "the department is spelled {count} ways: {spellings}",
    },
    fix_zh="核对部门合计；如部门名称写法不一，请统一为一级预算单位全称。",
    fix_en="Check the department total; where its name is spelled differently, use the full "
    "official name everywhere.",
    source="[I] rules.md C01 (group by 主管部门 after E08 normalisation)",
    summary_zh="按主管部门合计年度资金申请总额及其构成（同一部门有多个项目时报告）",
    summary_en="Department totals of the annual request and its parts (reported for departments "
    "with more than one project)",
    bad={"forms": [{}, {"project": {"name": "老年助餐点运营补贴"}}]},
    good={"forms": [{}, {"project": {"name": "老年助餐点运营补贴", "department": "上海市卫生健康委员会"}}]},
)
class DepartmentTotals:
    """The counted forms (first copies) grouped by department, summed as they come."""

    def __init__(self, config) -> None:
        self._departments: dict[str, _Department] = {}

    def add(self, index: int, form: Form, first: int | None) -> None:
        key = department_key(form)
        if first is not None or not key:
            return
        department = self._departments.get(key)
        if department is None:
            department = self._departments[key] = _Department(index)
        department.forms += 1
        department.spellings[form.project.department] = None
        sums, funding = department.sums, form.funding
        for part in _PARTS:
            value = getattr(funding, part)
            if value is not None:
                sums[part] += value

    def hits(self, form_at) -> Iterator[tuple[int, Hit]]:
        for department in self._departments.values():
            if department.forms < 2:
                continue
            spellings, sums = list(department.spellings), department.sums
            values = {
                "department": spellings[0],
                "forms": department.forms,
                "annual": format_yuan(sums["annual"]),
                "appropriation": format_yuan(sums["appropriation"]),
                "carryover": format_yuan(sums["carryover"]),
                "other": format_yuan(sums["other_annual"]),
                "count": len(spellings),
                "spellings": "、".join(f"“{s}”" for s in spellings),
            }
            variant = "spellings" if len(spellings) > 1 else "default"
            yield department.first, Hit("project.department", values, variant=variant)


@rule(
    code="C03",
    name="consolidation.duplicate_project",
    severity=WARNING,
    scope="forms",
    message_zh={
        "default": "项目“{name}”（{unit}，{year}年度）与{first}重复：项目名称、实施单位、年度相同",
        "differs": "项目“{name}”（{unit}，{year}年度）与{first}重复，但年度资金申请总额不同"
        "（{annual} 与 {first_annual}）",
    },
    message_en={
        "default": "project “{name}” ({unit}, {year}) duplicates the one in {first}: same name, "
        "implementing unit and year",
        "differs": "project “{name}” ({unit}, {year}) duplicates the one in {first} but its annual "
        "request differs ({annual} vs {first_annual})",
    },
    fix_zh="删除重复的申报表；如是修改后的新版本，只保留最终版本。汇总只计入第一次出现的那一张。",
    fix_en="Remove the duplicate form; if it is a revised version keep only the final one. "
    "The summary counts the first copy only.",
    source="[I] rules.md C03 (same 项目名称 + 实施单位 + year across sheets)",
    bad={"forms": [{}, {}]},
    good={"forms": [{}, {"project": {"name": "老年助餐点运营补贴"}}]},
)
class DuplicateProjects:
    """Every later copy, told against its first copy (the one the summary counts)."""

    def __init__(self, config) -> None:
        self._copies: dict[int, int] = {}

    def add(self, index: int, form: Form, first: int | None) -> None:
        if first is not None:
            self._copies[index] = first

    def hits(self, form_at) -> Iterator[tuple[int, Hit]]:
        for index, first_index in self._copies.items():
            form, first = form_at(index), form_at(first_index)
            values = {
                "name": form.project.name,
                "unit": form.project.unit or "—",
                "year": form.year or "—",
                "first": _where(first),
                "annual": format_yuan(form.funding.annual),
                "first_annual": format_yuan(first.funding.annual),
            }
            variant = "default" if form.funding.annual == first.funding.annual else "differs"
            yield index, Hit("project.name", values, variant=variant)


# --- C02: the department's published line -------------------------------------------------

PUBLISHED_LINE = {
    "code": "C02",
    "name": "consolidation.published_line",
    "severity": WARNING,
    "message": Message(
        "部门公开的“绩效目标设置情况”为{published_forms}个项目、{published_wan}万元，"
        "汇总为{forms}个项目、{annual_wan}万元（{annual}元）",
        "the department's published line says {published_forms} projects and "
        "{published_wan} 万元; the summary has {forms} projects and {annual_wan} 万元 ({annual} 元)",
    ),
    "fix": Message(
        "核对是否漏报或多报了申报表，或公开文本中的项目个数、金额是否有误（按万元精度比较）。",
        "Check for missing or extra forms, or a wrong count or amount in the published text "
        "(compared at the 万元 precision).",
    ),
    "source": "[O] Putuo 2026 budget documents (rules.md C02); F09 rounding",
}

_COUNT = re.compile(r"项目\s*(\d+)\s*个")
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(万元|元)")


def parse_published_line(line: str) -> tuple[int, Decimal, str]:
    """``编报绩效目标的项目14个，涉及项目预算资金1099.22万元`` → (14, 1099.22, "万元")."""
    count, amount = _COUNT.search(line or ""), _AMOUNT.search(line or "")
    if not count or not amount:
        raise InputError(
            f"无法识别部门公开的绩效目标设置情况：“{line}”（应形如“编报绩效目标的项目14个，"
            "涉及项目预算资金1099.22万元”）",
            f"cannot read the department's published line “{line}” (expected e.g. "
            "“编报绩效目标的项目14个，涉及项目预算资金1099.22万元”)",
        )
    return int(count.group(1)), Decimal(amount.group(1).replace(",", "")), amount.group(2)


def published_line(line: str, forms: int, annual: Decimal, config=None) -> list[Finding]:
    """C02: does the published count and 万元 amount match the summary (F09 rounding)?"""
    if config is not None and not config.enabled(PUBLISHED_LINE["code"]):
        return []
    published_forms, amount, unit = parse_published_line(line)
    same_amount = same_in_wan(annual, amount) if unit == "万元" else annual == amount
    if published_forms == forms and same_amount:
        return []
    places = max(2, -amount.as_tuple().exponent) if unit == "万元" else 2
    values = {
        "published_forms": published_forms,
        "published_wan": f"{amount if unit == '万元' else yuan_to_wan(amount, places)}",
        "forms": forms,
        "annual_wan": f"{yuan_to_wan(annual, places)}",
        "annual": format_yuan(annual),
    }
    return [_declared_finding(PUBLISHED_LINE, values, config=config)]


# --- C04: formulas that add 项目资金总额 to annual figures -------------------------------

FORMULA_AUDIT = {
    "code": "C04",
    "name": "consolidation.total_in_annual_formula",
    "severity": ERROR,
    "message": Message(
        "公式 {formula} 把跨年度的{multi}与年度金额（{annual}）放在一起计算",
        "formula {formula} mixes the multi-year {multi} with annual amounts ({annual})",
    ),
    "fix": Message(
        "项目资金总额（含财政资金、其他资金总额）是多年累计数，只能单独合计，不能与年度资金相加或比较。",
        "项目资金总额 (and its fiscal / other parts) is a multi-year total: sum it in its own "
        "column, never together with annual amounts.",
    ),
    "source": "S-GBC [V] (rules.md C04, F05)",
}

# A1 references and ranges; not function names such as LOG10( (digits followed by "(").
_REF = re.compile(r"(?<![A-Za-z_\d])\$?([A-Z]{1,3})\$?(\d+)(?![\d(])(?::\$?([A-Z]{1,3})\$?\d+)?")


def _columns_of(formula: str) -> set[str]:
    letters: set[str] = set()
    for match in _REF.finditer(formula.upper()):
        start, end = match.group(1), match.group(3) or match.group(1)
        letters.update(_span(start, end))
    return letters


def _span(start: str, end: str) -> list[str]:
    first, last = parse_a1(start + "1")[1], parse_a1(end + "1")[1]
    return [column_letter(i) for i in range(min(first, last), max(first, last) + 1)]


def formula_audit(
    cells: Iterable[tuple[str, str, str]], multi: dict[str, str], annual: dict[str, str],
    *, file: str = "", sheet: str = "", config=None,
) -> list[Finding]:
    """C04 over ``(cell, column letter, formula)``; ``multi``/``annual``: {letter: heading}."""
    if config is not None and not config.enabled(FORMULA_AUDIT["code"]):
        return []
    findings = []
    for cell, letter, formula in cells:
        touched = _columns_of(formula) | {letter}
        multi_hit = [multi[c] for c in sorted(touched) if c in multi]
        annual_hit = [annual[c] for c in sorted(touched) if c in annual]
        if multi_hit and annual_hit:
            values = {"formula": formula, "multi": "、".join(dict.fromkeys(multi_hit)),
                      "annual": "、".join(dict.fromkeys(annual_hit))}
            findings.append(_declared_finding(FORMULA_AUDIT, values, file, sheet, cell, config))
    return findings


def _declared_finding(declared, values, file: str = "", sheet: str = "", cell: str = "",
                      config=None):
    message, fix = declared["message"], declared["fix"]
    severity = config.severity_of(declared["code"], declared["severity"]) if config else \
        declared["severity"]
    return Finding(
        code=declared["code"], name=declared["name"], severity=severity, form="",
        file=file, sheet=sheet, cell=cell,
        message_zh=message.zh.format(**values), message_en=message.en.format(**values),
        fix_zh=fix.zh, fix_en=fix.en, values=values,
    )
