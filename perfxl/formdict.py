"""A form as plain data: the stable JSON shape of ``perfxl import --json``, and back to text.

``form_to_dict`` is what other tools read; keep its shape stable. ``render_text`` writes a
dict of that shape in the published layout (tab-separated, as extracted from the PDF), so
any form — or a rule's example fragment — can be run through the real parser.
"""

from __future__ import annotations

from typing import Any

from .model import Form, Indicator, Ref
from .money import format_yuan, plain_yuan, remaining
from .targets import format_number


def _ref_dict(ref: Ref) -> dict[str, str | None]:
    return {"file": ref.file or None, "sheet": ref.sheet or None, "cell": ref.cell or None}


def indicator_to_dict(indicator: Indicator) -> dict[str, Any]:
    target = indicator.target
    return {
        "level1": indicator.level1,
        "level2": indicator.level2,
        "name": indicator.name,
        "raw": target.raw,
        "op": target.op,
        "value": format_number(target.number) if target.number is not None else None,
        "unit": target.unit,
        "text": target.text,
    }


def form_to_dict(form: Form) -> dict[str, Any]:
    project, funding = form.project, form.funding
    rest = remaining_of(form)
    return {
        "source": _ref_dict(form.source),
        "year": form.year,
        "project": {
            "name": project.name,
            "nature": project.nature,
            "category": project.category,
            "department": project.department,
            "unit": project.unit,
            "start": project.start.isoformat() if project.start else None,
            "end": project.end.isoformat() if project.end else None,
        },
        "funding": {
            "total": plain_yuan(funding.total),
            "fiscal": plain_yuan(funding.fiscal),
            "other_total": plain_yuan(funding.other_total),
            "annual": plain_yuan(funding.annual),
            "appropriation": plain_yuan(funding.appropriation),
            "carryover": plain_yuan(funding.carryover),
            "other_annual": plain_yuan(funding.other_annual),
            "remaining": plain_yuan(rest.amount) if rest else None,
        },
        "goals": {"overall": form.goals.overall, "annual": form.goals.annual},
        "indicators": [indicator_to_dict(i) for i in form.indicators],
    }


def remaining_of(form: Form):
    """Rule F05's remainder for a form (None for single-year forms)."""
    project = form.project
    return remaining(
        form.funding.total,
        form.funding.annual,
        form.year,
        project.start.year if project.start else None,
        project.end.year if project.end else None,
    )


def _amount_text(value: Any) -> str:
    """Amounts in a dict may be strings as typed (kept) or numbers (printed the 元 way)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return format_yuan(value)


def render_text(data: dict[str, Any]) -> str:
    """The published layout of one form, tab-separated, from a dict of form_to_dict's shape.

    Values are written as given (strings stay exactly as typed), so examples can carry
    malformed input on purpose.
    """
    project = data.get("project", {})
    funding = data.get("funding", {})
    goals = data.get("goals", {})
    money = {k: _amount_text(funding.get(k)) for k in (
        "total", "fiscal", "other_total", "annual", "appropriation", "carryover", "other_annual"
    )}
    unit_label = data.get("money_label", "项目资金 (元)")
    overall_label = data.get("overall_label", "项目总目标")
    year = data.get("year")
    lines = [
        "财政项目支出绩效目标申报表",
        f"({year}年度)" if year else "",
        "\t".join(["项目名称", project.get("name", ""), "项目性质", project.get("nature", ""),
                   "项目类别", project.get("category", "")]),
        "\t".join(["主管部门", project.get("department", ""), "实施单位", project.get("unit", "")]),
        "\t".join(["计划开始日期", str(project.get("start") or ""), "计划完成日期",
                   str(project.get("end") or "")]),
        "\t".join([unit_label, "项目资金总额", money["total"], "年度资金申请总额", money["annual"]]),
        "\t".join(["", "其中：财政资金", money["fiscal"], "其中：当年财政拨款",
                   money["appropriation"]]),
        "\t".join(["", "", "", "上年结转资金", money["carryover"]]),
        "\t".join(["", "其他资金", money["other_total"], "其他资金", money["other_annual"]]),
        "\t".join(["项目绩效目标", overall_label, "年度总体目标"]),
        "\t".join(["", _one_line(goals.get("overall", "")), _one_line(goals.get("annual", ""))]),
    ]
    if data.get("no_indicator_block"):
        return "\n".join(lines) + "\n"
    lines.append("\t".join(["", "一级指标", "二级指标", "三级指标", "年度(/项目)指标值"]))
    for row in data.get("indicators", []):
        lines.append("\t".join(["绩效指标", row.get("level1", ""), row.get("level2", ""),
                                row.get("name", ""), row.get("raw", "")]))
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return (text or "").replace("\t", " ").replace("\n", " ")
