"""The part of a form above the indicator table: year, project, funding, goals."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..grid import Grid
from ..model import Ref
from ..money import WAN, parse_amount
from ..text import clean, join_cjk
from .labels import header_label, is_label, money_unit_in, year_in

# Sheet-scoped defined names of the template, by field path (found before labels).
DEFINED_NAMES = {
    "year": "px_year",
    "project.name": "px_name",
    "project.nature": "px_nature",
    "project.category": "px_category",
    "project.department": "px_department",
    "project.unit": "px_unit",
    "project.start": "px_start",
    "project.end": "px_end",
    "funding.total": "px_total",
    "funding.fiscal": "px_fiscal",
    "funding.other_total": "px_other_total",
    "funding.annual": "px_annual",
    "funding.appropriation": "px_appropriation",
    "funding.carryover": "px_carryover",
    "funding.other_annual": "px_other_annual",
    "goals.overall": "px_goal_overall",
    "goals.annual": "px_goal_annual",
}


@dataclass
class Found:
    """Raw values found for one form, by field path, with their cells."""

    values: dict[str, object] = field(default_factory=dict)
    cells: dict[str, Ref] = field(default_factory=dict)
    year: int | None = None
    money_unit: str | None = None
    overall_period: tuple[int, int] | None = None

    def reserve(self, path: str) -> None:
        """Keep a field's place in the order of fields; its value and cell come later."""
        if path not in self.values:
            self.values[path] = None
            self.cells[path] = None

    def put(self, path: str, value: object, ref: Ref) -> None:
        if path not in self.values or _blank(self.values[path]):
            self.values[path] = value
            self.cells[path] = ref


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def value_right_of(grid: Grid, row: int, col: int) -> tuple[object, Ref]:
    """The first value right of a label, up to the next label; blank → the adjacent cell."""
    for c, value in grid.nonempty(row):
        if c <= col:
            continue
        if is_label(value):
            break
        return value, grid.ref(row, c)
    return None, grid.ref(row, col + 1)


def read_header(grid: Grid, first: int, last: int, indicator_row: int | None) -> Found:
    """Fields of the rows ``first``..``last`` (exclusive) of one form."""
    found = Found()
    named = _named_paths(grid)
    stop = indicator_row if indicator_row is not None else last
    others: list[tuple[int, int]] = []
    columns: dict[str, int] = {}
    goal_row: int | None = None
    goal_cols: dict[str, int] = {}
    for row in range(first, stop):
        for col, value in grid.nonempty(row):
            if not isinstance(value, str):
                continue  # a year or a money unit is only ever found in text
            if found.year is None and "年度" in value:
                found.year = year_in(value)
            if found.money_unit is None and "元" in value:
                found.money_unit = money_unit_in(value)
            path, goal = header_label(value)
            if path == "funding.other":
                others.append((row, col))
            elif path:
                columns[path] = col
                _put_right_of(grid, found, named, path, row, col)
            if goal:
                goal_row = row
                goal_cols[goal[0]] = col
                if goal[1]:
                    found.overall_period = goal[1]
    _assign_other_funds(grid, found, named, others, columns)
    if goal_row is not None:
        _read_goals(grid, found, named, goal_row, stop, goal_cols)
    _apply_defined_names(grid, found)
    return found


def _named_paths(grid: Grid) -> frozenset[str]:
    """The fields the template's defined names will fill (whatever labels say)."""
    if not grid.names:
        return frozenset()
    return frozenset(path for path, name in DEFINED_NAMES.items()
                     if grid.names.get(name) is not None)


def _put_right_of(grid: Grid, found: Found, named: frozenset[str], path: str, row: int,
                  col: int) -> None:
    """The value right of a label; for a named field only its place in the order of fields
    (``_apply_defined_names`` gives its value and cell)."""
    if path in named:
        found.reserve(path)
    else:
        found.put(path, *value_right_of(grid, row, col))


def _assign_other_funds(
    grid: Grid, found: Found, named: frozenset[str], others: list[tuple[int, int]],
    columns: dict[str, int],
) -> None:
    """Rule P04: the left 其他资金 is the project total's, the right one the year's."""
    total_col = columns.get("funding.total", columns.get("funding.fiscal", 1))
    annual_col = columns.get("funding.annual", columns.get("funding.appropriation", 3))
    by_row: dict[int, list[int]] = {}
    for row, col in others:
        by_row.setdefault(row, []).append(col)
    for row, cols in by_row.items():
        cols.sort()
        if len(cols) >= 2:
            sides = [("funding.other_total", cols[0]), ("funding.other_annual", cols[-1])]
        else:
            nearer_annual = abs(cols[0] - annual_col) <= abs(cols[0] - total_col)
            side = "funding.other_annual" if nearer_annual else "funding.other_total"
            sides = [(side, cols[0])]
        for path, col in sides:
            _put_right_of(grid, found, named, path, row, col)


def _read_goals(grid: Grid, found: Found, named: frozenset[str], label_row: int, stop: int,
                cols: dict[str, int]) -> None:
    """Goal texts stand below their labels; a cell belongs to the label on its left."""
    if "goals.overall" in named and "goals.annual" in named:
        found.reserve("goals.overall")
        found.reserve("goals.annual")
        return
    annual_col = cols.get("annual", 10**6)
    texts: dict[str, list[str]] = {"overall": [], "annual": []}
    refs: dict[str, Ref] = {}
    for row in range(label_row + 1, stop):
        for col, value in grid.nonempty(row):
            if is_label(value):
                continue
            side = "annual" if col >= annual_col else "overall"
            texts[side].append(join_cjk(clean(value)))
            refs.setdefault(side, grid.ref(row, col))
    for side in ("overall", "annual"):
        default = grid.ref(label_row + 1, cols.get(side, 1))
        found.put(f"goals.{side}", "\n".join(texts[side]), refs.get(side, default))


def _apply_defined_names(grid: Grid, found: Found) -> None:
    """The template's defined names win over labels: they say exactly where a field is."""
    for path, name in DEFINED_NAMES.items():
        position = grid.names.get(name)
        if position is None:
            continue
        value = grid.value(*position)
        ref = grid.ref(*position)
        if path == "year":
            if isinstance(value, float) and value.is_integer():
                value = int(value)  # a number cell reads as 2023.0
            found.year = year_in(f"{value}年度") if value is not None else found.year
            continue
        found.values[path] = value
        found.cells[path] = ref


def amount(found: Found, path: str, raw: dict[str, str]) -> Decimal | None:
    """An amount field in 元; 万元 forms are converted exactly."""
    parsed = parse_amount(found.values.get(path))
    raw[path] = parsed.text
    if parsed.value is None:
        return None
    return parsed.value * WAN if found.money_unit == "万元" else parsed.value
