"""Grid → forms: a tolerant, label-anchored parser (rules.md §2, P01–P08).

A new form starts at each title row (…绩效目标申报表). Fields are found by their labels
(or by the template's defined names), never by fixed coordinates, so the same parser
reads the template, hand-made sheets and text extracted from published PDFs.
"""

from __future__ import annotations

from ..errors import FormParseError
from ..grid import Grid
from ..model import Form, Funding, Goals, Project
from ..text import clean, join_cjk, squash
from .dates import parse_date
from .header import Found, amount, read_header
from .indicators import find_header, read_indicators
from .labels import TITLE_MARK, field_of

__all__ = ["parse_grid", "parse_date"]


def parse_grid(grid: Grid) -> list[Form]:
    """Every form in a grid, in order. Raises FormParseError when there is none."""
    forms = [_parse_segment(grid, first, last) for first, last in _segments(grid)]
    if not forms:
        raise FormParseError(
            "未找到绩效目标申报表（没有“项目名称”等标签）",
            "no performance-target form found (no label such as 项目名称)",
            file=grid.file,
            sheet=grid.sheet or None,
        )
    return forms


def _segments(grid: Grid) -> list[tuple[int, int]]:
    """Row ranges holding one form each: from a title row to the next (or the whole grid)."""
    titles = [row for row in range(grid.height) if _is_title_row(grid, row)]
    bounds = ([0] if not titles or titles[0] > 0 else []) + titles + [grid.height]
    segments = [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]
    return [seg for seg in segments if _looks_like_a_form(grid, *seg)]


def _is_title_row(grid: Grid, row: int) -> bool:
    """A row holding the form's title (…绩效目标申报表) and no field label: a unit that happens
    to be named like the form, right of 实施单位, does not start a new form."""
    cells = grid.nonempty(row)
    for _, value in cells:
        if value.__class__ is str and "表" in value and len(value) < 40 and TITLE_MARK in squash(value):
            return not any(field_of(value) for _, value in cells)
    return False


MIN_FIELD_LABELS = 3  # 项目名称 and two more: a table merely headed 项目名称 is not a form


def _looks_like_a_form(grid: Grid, first: int, last: int) -> bool:
    named = grid.names.get("px_name")
    if named is not None and first <= named[0] < last:
        return True  # the template's form (blank rows above its title are no form)
    fields = {
        field_of(value)
        for row in range(first, last)
        for _, value in grid.nonempty(row)
        if isinstance(value, str)
    }
    fields.discard(None)
    return "project.name" in fields and len(fields) >= MIN_FIELD_LABELS


def _parse_segment(grid: Grid, first: int, last: int) -> Form:
    header = find_header(grid, first, last)
    found = read_header(grid, first, last, header.row if header else None)
    indicators = read_indicators(grid, header, last) if header else []
    raw: dict[str, str] = {}
    project = _project(found, raw)
    funding = Funding(
        **{name: amount(found, f"funding.{name}", raw) for name in _FUNDING},
        unit=found.money_unit,
    )
    goals = Goals(
        overall=_text(found, "goals.overall"),
        annual=_text(found, "goals.annual"),
        overall_period=found.overall_period,
    )
    return Form(
        year=found.year,
        project=project,
        funding=funding,
        goals=goals,
        indicators=tuple(indicators),
        source=grid.ref(first, 0),
        cells=dict(found.cells),
        raw=raw,
        has_indicator_block=header is not None,
        uncalculated=_uncalculated(grid, found.cells, indicators),
    )


def _uncalculated(grid: Grid, cells, indicators) -> tuple[str, ...]:
    """The fields read from formulas that were saved without a value (they read as blank)."""
    if not grid.uncalculated:
        return ()
    positions = grid.uncalculated
    paths = [path for path, ref in cells.items() if ref.cell in positions]
    for number, indicator in enumerate(indicators):
        ref = indicator.ref("value")
        if ref is not None and ref.cell in positions and not indicator.raw:
            paths.append(f"indicator:{number}")
    return tuple(paths)


_FUNDING = ("total", "fiscal", "other_total", "annual", "appropriation", "carryover", "other_annual")


def _text(found: Found, path: str) -> str:
    return join_cjk(clean(found.values.get(path)))


def _project(found: Found, raw: dict[str, str]) -> Project:
    dates = {}
    for name in ("start", "end"):
        parsed = parse_date(found.values.get(f"project.{name}"), end_of_period=name == "end")
        raw[f"project.{name}"] = parsed.text
        dates[name] = parsed.value
    return Project(
        name=_text(found, "project.name"),
        nature=squash(clean(found.values.get("project.nature"))),
        category=squash(clean(found.values.get("project.category"))),
        department=_text(found, "project.department"),
        unit=_text(found, "project.unit"),
        **dates,
    )
