"""Execution figures (实际支出): how much each project spent this year.

Read from a CSV file or from a sheet of a workbook — a sheet of their own, or the 汇总
(summary) sheet once accountants have filled its 实际支出 column. Columns are found by
their header label, anywhere in the first rows (a title may sit above the header):

    项目名称 | 实施单位 (optional) | 实际支出

A header ``实际支出（万元）`` is read in 万元 and converted to 元. Amounts are Decimal, exact
to the fen. Rows whose name is blank or a total (合计, 小计 …) and rows whose amount is
blank are passed over: a summary lists every project, and not all have a figure yet.
The table ends at the first blank row or at its 合计 row (a summary sheet may hold more
tables below).

Reading (``read_spending``) never fails on a bad row; matching the rows to the forms
(``resolve_spending``) collects every problem — text in an amount cell, a negative
amount, a key that matches no project or two, two rows for one project — and raises one
``SpendingError`` that names the file and each row.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Mapping, Sequence

from ..errors import SpendingError
from ..grid import Grid
from ..model import Form, Ref
from ..money import FEN, WAN, parse_amount
from ..text import clean, squash
from .report import ROLLOVER_SHEET

ProjectKey = tuple[str, str]  # (squashed 项目名称, squashed 实施单位)

NAME_HEADERS = ("项目名称", "项目", "项目名", "项目支出名称", "二级项目名称", "project", "projectname", "name")
UNIT_HEADERS = ("实施单位", "项目实施单位", "单位", "单位名称", "预算单位", "unit", "implementingunit")
SPENT_HEADERS = (
    "实际支出", "实际支出数", "实际支出金额", "实际支出额", "本年实际支出", "全年实际支出",
    "当年实际支出", "实际执行数", "执行数", "全年执行数", "支出数", "已支出", "spent",
    "actualspending", "actual", "spending",
)
TOTAL_NAMES = ("合计", "小计", "总计", "共计", "total", "subtotal")  # rows passed over
END_NAMES = ("合计", "总计", "共计", "total")  # rows that end the table
HEADER_SCAN_ROWS = 30
SHEET_PREFERENCE = ("实际支出", "执行情况", "执行数", "支出", "汇总")

_UNIT_SUFFIX = re.compile(r"[(（\[]([^()（）\[\]]*)[)）\]]$")


def project_key(name: str, unit: str = "") -> ProjectKey:
    return squash(name), squash(unit)


def form_key(form: Form) -> ProjectKey:
    return project_key(form.project.name, form.project.unit)


@dataclass(frozen=True)
class SpendingRow:
    """One row of a spending table, as read (``problem`` says why it cannot be used)."""

    name: str
    unit: str  # "" when the table has no unit column or the cell is blank
    amount: Decimal | None
    text: str  # the amount cell as written
    line: int  # 1-based row number in the sheet or file
    ref: Ref  # the amount cell
    problem: str | None = None  # "not_a_number", "negative", "sub_fen"


@dataclass(frozen=True)
class SpendingTable:
    file: str
    sheet: str
    rows: tuple[SpendingRow, ...]
    in_wan: bool = False  # the header declared 万元; amounts are converted to 元


@dataclass(frozen=True)
class Spending:
    """Spending figures matched to projects: 实际支出 by project key, with the cell of each."""

    amounts: Mapping[ProjectKey, Decimal] = field(default_factory=dict)
    refs: Mapping[ProjectKey, Ref] = field(default_factory=dict)

    def of(self, form: Form) -> Decimal | None:
        return self.amounts.get(form_key(form))

    def ref_of(self, form: Form) -> Ref | None:
        return self.refs.get(form_key(form))

    def __len__(self) -> int:
        return len(self.amounts)


# ----------------------------------------------------------------------------- reading


def _header_key(value: object) -> tuple[str, str]:
    """A header cell as (label, unit): ``实际支出（万元）`` → ("实际支出", "万元")."""
    text = squash(clean(value)).lower().replace("_", "").replace("-", "")
    unit = ""
    match = _UNIT_SUFFIX.search(text)
    if match:
        unit = match.group(1).replace("单位:", "").replace("单位：", "")
        text = text[: match.start()]
    return text.rstrip(":："), unit


def find_columns(grid: Grid) -> tuple[int, dict[str, int], bool] | None:
    """(header row, {"name"|"unit"|"spent": column}, amounts in 万元) or None."""
    for row in range(min(grid.height, HEADER_SCAN_ROWS)):
        columns: dict[str, int] = {}
        in_wan = False
        for col, value in grid.nonempty(row):
            label, unit = _header_key(value)
            for role, names in (("name", NAME_HEADERS), ("unit", UNIT_HEADERS),
                                ("spent", SPENT_HEADERS)):
                if label in names and role not in columns:
                    columns[role] = col
                    if role == "spent":
                        in_wan = unit == "万元"
        if "name" in columns and "spent" in columns:
            return row, columns, in_wan
    return None


def _is_total(name: str) -> bool:
    folded = squash(name).lower()
    return any(folded.startswith(word) for word in TOTAL_NAMES)


def _read_row(grid: Grid, row: int, columns: dict[str, int], in_wan: bool) -> SpendingRow | None:
    name = clean(grid.value(row, columns["name"]))
    if not name or _is_total(name):
        return None
    unit = clean(grid.value(row, columns["unit"])) if "unit" in columns else ""
    amount = parse_amount(grid.value(row, columns["spent"]))
    if amount.value is None and amount.problem is None:
        return None  # not filled in yet
    ref = grid.ref(row, columns["spent"])
    value, problem = amount.value, amount.problem
    if value is not None:
        if value < 0:
            problem = "negative"
        else:
            value = value * WAN if in_wan else value  # exact: 万元 → 元
            problem = None if value == value.quantize(FEN) else "sub_fen"
    return SpendingRow(name, unit, value, amount.text, row + 1, ref, problem)


def spending_from_grid(grid: Grid) -> SpendingTable | None:
    """The spending rows of one grid, or None when it has no 项目名称 + 实际支出 header."""
    found = find_columns(grid)
    if found is None:
        return None
    header, columns, in_wan = found
    rows = []
    for row in range(header + 1, grid.height):
        if _ends_table(grid, row, columns["name"]):
            break
        read = _read_row(grid, row, columns, in_wan)
        if read is not None:
            rows.append(read)
    return SpendingTable(grid.file, grid.sheet, tuple(rows), in_wan)


def _ends_table(grid: Grid, row: int, name_column: int) -> bool:
    """A blank row or the 合计 row ends the table (a summary sheet has more tables below)."""
    if not list(grid.nonempty(row)):
        return True
    name = squash(clean(grid.value(row, name_column))).lower()
    return any(name.startswith(word) for word in END_NAMES)


def _sheet_rank(grid: Grid) -> int:
    name = squash(grid.sheet)
    for rank, word in enumerate(SHEET_PREFERENCE):
        if word in name:
            return rank
    return len(SHEET_PREFERENCE)


def spending_from_grids(grids: Sequence[Grid], sheet: str | None = None) -> SpendingTable | None:
    """The spending table of a workbook: the named sheet, else the best sheet that has one."""
    if sheet is not None:
        chosen = [g for g in grids if g.sheet == sheet]
        if not chosen:
            file = grids[0].file if grids else ""
            raise SpendingError(f"没有名为“{sheet}”的工作表", f"there is no sheet named '{sheet}'",
                                file=file)
        return spending_from_grid(chosen[0])
    candidates = [g for g in grids if g.sheet != ROLLOVER_SHEET]  # last year's figures
    tables = [(t, g) for g in candidates if (t := spending_from_grid(g)) is not None]
    if not tables:
        return None
    tables.sort(key=lambda pair: (_sheet_rank(pair[1]), not pair[0].rows))
    return tables[0][0]


def csv_grid(path: Path) -> Grid:
    """A CSV file (comma, tab or semicolon; UTF-8 or GB18030) as a text grid."""
    from ..io.textfile import decode

    text = decode(path.read_bytes(), str(path))
    sample = text[:4096]
    delimiter = max((",", "\t", ";"), key=sample.count)
    rows = [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return Grid(rows, file=str(path), sheet="", kind="text")


def read_spending(path: str | Path, sheet: str | None = None) -> SpendingTable:
    """The spending table in a CSV file or a workbook (.xlsx/.xlsm), or SpendingError."""
    path = Path(path)
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):
        if not path.exists():
            raise SpendingError("文件不存在", "file not found", file=str(path))
        table = spending_from_grid(csv_grid(path))
    else:
        from ..io import read_grids

        table = spending_from_grids(read_grids(path), sheet)
    if table is None:
        raise SpendingError(
            "找不到实际支出表头（需要“项目名称”和“实际支出”两列）",
            "no spending header found (columns 项目名称 and 实际支出 are needed)",
            file=str(path), sheet=sheet,
        )
    return table


# ----------------------------------------------------------------------------- matching


def _place(row: SpendingRow, lang: str) -> str:
    cell = f"{row.ref.sheet}!{row.ref.cell}" if row.ref.sheet else row.ref.cell
    if lang == "zh":
        return f"第 {row.line} 行（{cell}）" if cell else f"第 {row.line} 行"
    return f"row {row.line} ({cell})" if cell else f"row {row.line}"


_PROBLEM_TEXT = {
    "not_a_number": ("实际支出“{text}”不是金额", "spending '{text}' is not an amount"),
    "negative": ("实际支出 {text} 为负数", "spending {text} is negative"),
    "sub_fen": ("实际支出 {text} 超出分位（最多两位小数）", "spending {text} has more than two decimals"),
}


def _label(form: Form) -> str:
    return f"{form.project.name}（{form.project.unit}）" if form.project.unit else form.project.name


def _match(row: SpendingRow, forms: Sequence[Form]) -> list[Form]:
    name, unit = project_key(row.name, row.unit)
    return [f for f in forms if squash(f.project.name) == name
            and (not unit or squash(f.project.unit) == unit)]


def _row_problem(row: SpendingRow, forms: Sequence[Form]) -> tuple[str, str] | Form:
    """The matched form, or (zh, en) saying why the row cannot be used."""
    if row.problem:
        zh, en = _PROBLEM_TEXT[row.problem]
        return zh.format(text=row.text), en.format(text=row.text)
    found = _match(row, forms)
    who = f"{row.name}" + (f" / {row.unit}" if row.unit else "")
    if not found:
        return (f"“{who}”不对应任何申报表中的项目", f"'{who}' matches no project of the forms")
    if len(found) > 1:
        names = "；".join(_label(f) for f in found)
        return (f"“{who}”对应多个项目（{names}），请填写实施单位",
                f"'{who}' matches {len(found)} projects ({names}); add the 实施单位")
    return found[0]


def resolve_spending(table: SpendingTable, forms: Sequence[Form]) -> Spending:
    """Match each row to exactly one form; SpendingError listing every unusable row."""
    amounts: dict[ProjectKey, Decimal] = {}
    refs: dict[ProjectKey, Ref] = {}
    lines: dict[ProjectKey, int] = {}
    problems: list[tuple[SpendingRow, str, str]] = []
    for row in table.rows:
        outcome = _row_problem(row, forms)
        if isinstance(outcome, tuple):
            problems.append((row, *outcome))
            continue
        key = form_key(outcome)
        if key in amounts:
            problems.append((row, f"与第 {lines[key]} 行重复（同一项目两行）",
                             f"duplicates row {lines[key]} (two rows for one project)"))
            continue
        amounts[key], refs[key], lines[key] = row.amount, row.ref, row.line
    if problems:
        raise _spending_error(table, problems)
    return Spending(amounts, refs)


def _spending_error(table: SpendingTable, problems: list[tuple[SpendingRow, str, str]]) -> SpendingError:
    zh = "实际支出数据有误：" + "；".join(f"{_place(r, 'zh')}：{z}" for r, z, _ in problems)
    en = "spending figures are unusable: " + "; ".join(f"{_place(r, 'en')}: {e}" for r, _, e in problems)
    first = problems[0][0]
    error = SpendingError(zh, en, file=table.file or None, sheet=table.sheet or None,
                          cell=first.ref.cell or None)
    error.rows = [r.line for r, _, _ in problems]  # every row at fault, for callers and tests
    return error


def load_spending(path: str | Path, forms: Sequence[Form], sheet: str | None = None) -> Spending:
    """Read a spending file and match it to the forms (SpendingError on any unusable row)."""
    return resolve_spending(read_spending(path, sheet), forms)


def as_spending(spent: object, forms: Sequence[Form]) -> Spending:
    """Spending from what a caller holds: a Spending, a table, a file path, or a mapping.

    A mapping is keyed by 项目名称 or by (项目名称, 实施单位); values are amounts (Decimal,
    int or text such as ``"10,000,000.00"``). Its keys are checked like a file's rows.
    """
    if spent is None:
        return Spending()
    if isinstance(spent, Spending):
        return spent
    if isinstance(spent, SpendingTable):
        return resolve_spending(spent, forms)
    if isinstance(spent, (str, Path)):
        return load_spending(spent, forms)
    if isinstance(spent, Mapping):
        return resolve_spending(_mapping_table(spent), forms)
    raise TypeError(f"spending figures of type {type(spent).__name__}")


def _mapping_table(spent: Mapping[object, object]) -> SpendingTable:
    rows = []
    for line, (key, value) in enumerate(spent.items(), start=1):
        name, unit = (key, "") if isinstance(key, str) else tuple(key)
        amount = parse_amount(value)
        problem = amount.problem
        if amount.value is not None and amount.value < 0:
            problem = "negative"
        elif amount.value is not None and amount.value != amount.value.quantize(FEN):
            problem = "sub_fen"
        rows.append(SpendingRow(str(name), str(unit), amount.value, amount.text, line, Ref(), problem))
    return SpendingTable("", "", tuple(rows))
