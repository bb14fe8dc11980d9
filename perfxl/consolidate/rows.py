"""One form as compact rows: what a worker process sends back instead of the whole Form.

``FormRows`` holds the form's row of the projects table (project, funding, counts and the
cells the cross-form rules point at; no indicators, no goal text), its indicator rows as
plain tuples and its findings. It is small and quick to pickle, and it is all
consolidation needs: the projects row, the long indicator table and the cross-form rules
(which read a header rebuilt from the projects row, ``header_of``).
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Iterable, Iterator, Mapping

from ..model import FUNDING_FIELDS, Form, Funding, Goals, Project, Ref
from ..report import Finding
from ..formdict import remaining_of
from .columns import LEVEL1_KEYS, MONEY_KEYS, SPENT_KEY

# The fields of an indicator row, after the form's key columns (see INDICATOR_COLUMNS).
INDICATOR_FIELDS = ("level1", "level2", "indicator", "raw", "kind", "op", "number",
                    "target_unit", "cell")


# The cells a header keeps: those the cross-form rules point at (C01 department, C03 name,
# C05/C06 carry-over and total). A hit on another field points at the form's first cell.
HEADER_CELLS = ("project.name", "project.department", "project.unit", "funding.total",
                "funding.annual", "funding.carryover")


@dataclass(frozen=True)
class FormRows:
    project: dict[str, Any]  # the projects-table row (see project_row), without its 序号
    indicators: bytes  # INDICATOR_FIELDS per indicator, packed (see indicator_rows)
    findings: tuple[Finding, ...]


def indicator_rows(packed: bytes) -> tuple[tuple, ...]:
    """The indicator rows of one form (INDICATOR_FIELDS each), from ``FormRows.indicators``.

    They are kept packed (pickled: about 1.5 KB a form instead of some 8 KB of objects)
    until a table or sheet needs them: a summary of 20,000 forms holds 340,000 of them.
    """
    return pickle.loads(packed)


def form_rows(form: Form, findings: Iterable[Finding] = ()) -> FormRows:
    """The compact rows of one form and the findings the per-form rules gave it.

    Plain dicts, tuples, texts and numbers: a worker pickles them and the parent unpickles
    them several times faster than the form's dataclasses.
    """
    findings = tuple(f.without_values() for f in findings)  # not shown in a summary
    counts = indicator_counts(form)
    for severity in ("error", "warning", "info"):
        counts[f"n_{severity}"] = sum(1 for f in findings if f.severity == severity)
    indicators = pickle.dumps(tuple(
        (
            i.level1,
            i.level2,
            i.name,
            i.target.raw,
            i.target.kind,
            i.target.op,
            i.target.number,
            i.target.unit,
            (i.ref("value") or i.ref("name") or form.source).cell,
        )
        for i in form.indicators
    ), pickle.HIGHEST_PROTOCOL)
    return FormRows(project_row(form, counts), indicators, findings)


def indicator_counts(form: Form) -> dict[str, int]:
    """Total, quantitative, qualitative, and per 一级 (names outside the vocabulary apart)."""
    counts = {"n_indicators": len(form.indicators), "n_quantitative": 0, "n_qualitative": 0}
    counts.update({key: 0 for key in LEVEL1_KEYS.values()})
    counts["n_other_level1"] = 0
    for indicator in form.indicators:
        kind = indicator.target.kind
        if kind == "quantitative":
            counts["n_quantitative"] += 1
        elif kind == "qualitative":
            counts["n_qualitative"] += 1
        counts[LEVEL1_KEYS.get(indicator.level1, "n_other_level1")] += 1
    return counts


def project_row(form: Form, counts: dict[str, int]) -> dict[str, Any]:
    """The projects-table row of one form, less its 序号 (``row``, given when it is added)."""
    project, funding = form.project, form.funding
    rest = remaining_of(form)
    row: dict[str, Any] = {
        "name": project.name,
        "department": project.department,
        "unit": project.unit,
        "year": form.year,
        "nature": project.nature,
        "category": project.category,
        "start": project.start,
        "end": project.end,
        "multi_year": project.is_multi_year,
    }
    for key in MONEY_KEYS:
        row[key] = getattr(funding, key, None)
    row["remaining"] = rest.amount if rest else None
    row["remaining_when"] = rest.when if rest else None
    row[SPENT_KEY] = None
    row.update(counts)
    row.update({"counted": 1, "duplicate_of": None})
    row.update({"file": form.source.file, "sheet": form.source.sheet, "cell": form.source.cell})
    row["header_cells"] = tuple(form.cells[p].cell if p in form.cells else None
                                for p in HEADER_CELLS)
    return row


def header_of(row: Mapping[str, Any]) -> Form:
    """The header of a form again, from its projects row: what the cross-form rules read.

    A summary keeps rows, not forms; this gives the C rules a Form with the project, the
    funding and the cells they point at, for as long as they run.
    """
    file, sheet = row["file"], row["sheet"]
    project = Project(**{key: row[key] or ("" if key not in ("start", "end") else None)
                         for key in ("name", "nature", "category", "department", "unit",
                                     "start", "end")})
    funding = Funding(**{key: row[key] for key in FUNDING_FIELDS})
    return Form(row["year"], project, funding, _NO_GOALS, source=Ref(file, sheet, row["cell"]),
                cells=HeaderCells(file, sheet, row["header_cells"]), raw=_NO_RAW)


_NO_GOALS, _NO_RAW = Goals(), MappingProxyType({})


class HeaderCells(Mapping):
    """A header's cells (``HEADER_CELLS`` path → Ref), each Ref made when it is asked for.

    A summary rebuilds a header for every form it holds, for the cross-form rules, and most
    are never asked for a cell: six Refs and a dict each would be most of the work.
    """

    __slots__ = ("_file", "_sheet", "_cells")

    def __init__(self, file: str, sheet: str, cells: tuple[str | None, ...]) -> None:
        self._file, self._sheet, self._cells = file, sheet, cells

    def __getitem__(self, path: str) -> Ref:
        try:
            cell = self._cells[HEADER_CELLS.index(path)]
        except ValueError:
            cell = None
        if not cell:
            raise KeyError(path)
        return Ref(self._file, self._sheet, cell)

    def __iter__(self) -> Iterator[str]:
        return (path for path, cell in zip(HEADER_CELLS, self._cells) if cell)

    def __len__(self) -> int:
        return sum(1 for cell in self._cells if cell)

