"""Rule examples run for real: a fragment over a clean baseline form, through the parser.

A fragment has the shape of ``perfxl import --json`` (``project``, ``funding``, ``goals``,
``indicators`` …); dict parts are merged into the baseline, ``indicators`` replaces the
baseline's list, ``add_indicators`` appends to it. Amounts and values are written as
text exactly as given, so a fragment can carry malformed input on purpose.
"""

from __future__ import annotations

import copy
from typing import Any, Mapping

from ..formdict import render_text
from ..grid import Grid
from ..io.textfile import text_grid
from ..model import Form
from ..parse import parse_grid


def _row(level1: str, level2: str, name: str, raw: str) -> dict[str, str]:
    return {"level1": level1, "level2": level2, "name": name, "raw": raw}


# A form that no rule objects to.
BASELINE: dict[str, Any] = {
    "year": 2023,
    "project": {
        "name": "社区养老服务设施运营补贴",
        "nature": "其他经常性项目",
        "category": "特定目标类",
        "department": "上海市民政局",
        "unit": "上海市养老服务发展中心",
        "start": "2023-01-01",
        "end": "2023-12-31",
    },
    "funding": {
        "total": "1,200,000.00",
        "fiscal": "1,000,000.00",
        "other_total": "200,000.00",
        "annual": "1,200,000.00",
        "appropriation": "1,000,000.00",
        "carryover": "0.00",
        "other_annual": "200,000.00",
    },
    "goals": {
        "overall": "",
        "annual": "为社区养老服务设施提供运营补贴，保障设施正常运营，服务老年人，提升老年人满意度。",
    },
    "indicators": [
        _row("成本指标", "经济成本指标", "床位运营补贴标准", "≤500(元/人)"),
        _row("产出指标", "数量指标", "补贴养老服务设施数", "≥20(家)"),
        _row("产出指标", "质量指标", "补贴发放准确率", "=100(%)"),
        _row("产出指标", "时效指标", "补贴发放周期", "≤30(天)"),
        _row("效益指标", "社会效益指标", "服务老年人数", "≥5000(人)"),
        _row("满意度指标", "服务对象满意度指标", "老年人满意度", "≥90(%)"),
    ],
}


def merge(fragment: Mapping[str, Any]) -> dict[str, Any]:
    """The baseline with a fragment applied."""
    data = copy.deepcopy(BASELINE)
    for key, value in fragment.items():
        if key == "add_indicators":
            data["indicators"].extend(copy.deepcopy(list(value)))
        elif isinstance(value, Mapping) and isinstance(data.get(key), dict):
            data[key].update(copy.deepcopy(dict(value)))
        else:
            data[key] = copy.deepcopy(value)
    return data


def example_form(fragment: Mapping[str, Any]) -> Form:
    """The one form a fragment describes, read by the real parser.

    ``uncalculated: [field path, …]`` makes those cells formulas saved without a value
    (blank, as a spreadsheet reader sees them).
    """
    text = render_text(merge(fragment))
    grid = text_grid(text, "example.txt")
    (form,) = parse_grid(grid)
    paths = fragment.get("uncalculated")
    if not paths:
        return form
    positions = set()
    for path in paths:
        line, field_no = form.cells[path].cell[1:].split("C")
        positions.add((int(line) - 1, int(field_no) - 1))
    rows = [list(row) for row in grid.rows]
    for row, col in positions:
        rows[row][col] = ""
    (form,) = parse_grid(Grid(rows, grid.file, grid.sheet, grid.kind, uncalculated=frozenset(grid.address(r, c) for r, c in positions)))
    return form


def example_forms(fragment: Mapping[str, Any]) -> list[Form]:
    """The forms of a cross-form example: ``{"forms": [fragment, …]}``."""
    return [example_form(part) for part in fragment.get("forms", [])]
