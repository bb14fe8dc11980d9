"""C — consolidation across a department's forms (rules.md C01–C04).

C01 and C03 look at a set of forms and are registered like every other rule (scope
"forms"). C02 and C04 do not look at forms: C02 compares the summary with one line of the
department's published budget document (an input the caller passes), C04 audits the
formulas of a summary sheet. They are declared here with the same fields (code, name,
severity, zh/en messages, fix, source) and turned into findings by ``published_line`` and
``formula_audit``; they are not in the registry because the registry's examples are forms.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable, Iterator

from ..errors import InputError
from ..grid import column_letter, parse_a1
from ..model import Form
from ..money import format_yuan, same_in_wan, yuan_to_wan
from ..report import Finding
from ..text import squash
from .base import ERROR, INFO, WARNING, Hit, Message, rule


def department_key(form: Form) -> str:
    """How forms are grouped by 主管部门: spelling differences in spaces and widths ignored."""
    return squash(form.project.department)


def project_key(form: Form) -> tuple[str, str, int | None]:
    """Rule C03's identity of a project: 项目名称 + 实施单位 + year."""
    return (squash(form.project.name), squash(form.project.unit), form.year)


def first_copies(forms: list[Form]) -> tuple[list[int], dict[int, int]]:
    """Indices of the forms that count, and {index of a later copy: index of its first copy}."""
    first: dict[tuple, int] = {}
    counted: list[int] = []
    copies: dict[int, int] = {}
    for index, form in enumerate(forms):
        key = project_key(form)
        if key[0] and key in first:
            copies[index] = first[key]
        else:
            first.setdefault(key, index)
            counted.append(index)
    return counted, copies


def _where(form: Form) -> str:
    source = form.source
    return " ".join(part for part in (source.file, source.sheet) if part) or form.label


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal("0.00"))


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
def department_totals(forms, config) -> Iterator[tuple[Form, Hit]]:
    counted, _ = first_copies(forms)
    groups: dict[str, list[Form]] = {}
    for index in counted:
        form = forms[index]
        if department_key(form):
            groups.setdefault(department_key(form), []).append(form)
    for members in groups.values():
        if len(members) < 2:
            continue
        funding = [m.funding for m in members]
        spellings = list(dict.fromkeys(m.project.department for m in members))
        values = {
            "department": members[0].project.department,
            "forms": len(members),
            "annual": format_yuan(_sum(f.annual for f in funding)),
            "appropriation": format_yuan(_sum(f.appropriation for f in funding)),
            "carryover": format_yuan(_sum(f.carryover for f in funding)),
            "other": format_yuan(_sum(f.other_annual for f in funding)),
            "count": len(spellings),
            "spellings": "、".join(f"“{s}”" for s in spellings),
        }
        variant = "spellings" if len(spellings) > 1 else "default"
        yield members[0], Hit("project.department", values, variant=variant)


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
def duplicate_projects(forms, config) -> Iterator[tuple[Form, Hit]]:
    _, copies = first_copies(forms)
    for index, first_index in copies.items():
        form, first = forms[index], forms[first_index]
        values = {
            "name": form.project.name,
            "unit": form.project.unit or "—",
            "year": form.year or "—",
            "first": _where(first),
            "annual": format_yuan(form.funding.annual),
            "first_annual": format_yuan(first.funding.annual),
        }
        variant = "default" if form.funding.annual == first.funding.annual else "differs"
        yield form, Hit("project.name", values, variant=variant)


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
