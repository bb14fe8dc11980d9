"""The summary (汇总): projects, subtotals, the grand total, the long indicator table.

Totals are exact Decimal sums in 元. 项目资金总额 and its parts are multi-year figures:
they are summed in their own columns and never added to the annual ones (rules.md C04).

Duplicates (rule C03: same 项目名称 + 实施单位 + year) are never counted twice and never
dropped silently: every copy keeps its row in ``projects``; later copies get
``counted = 0`` and ``duplicate_of`` = the 序号 of the first copy; the totals and
subtotals count the rows with ``counted = 1``; ``total`` says how many rows it left out
(``duplicates``) and how much annual money they hold (``duplicates_annual``); each later
copy has a C03 warning in the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, partial
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from ..config import Config
from ..errors import PerfxlError
from ..money import yuan_to_wan
from ..report import SEVERITY_ORDER, Finding, Report
from ..rules import FormsChecker, check_form
from ..rules.consolidation import published_line
from .columns import INDICATOR_COLUMNS, MONEY_KEYS
from .rows import INDICATOR_FIELDS, FormRows, form_rows, header_of, indicator_rows
from . import spill
from .spill import BATCH, Spill, SpillFile
from .totals import totals_of

if TYPE_CHECKING:
    import pandas as pd

# Findings that report on a group, not on the form they point at: not counted per row.
GROUP_REPORTS = ("C01",)
# The form's columns of the long indicator table, before the indicator's own (INDICATOR_FIELDS).
_FORM_KEYS = ("row", "name", "department", "unit", "year", "category", "file", "sheet")
_GROUP_TABLES = {"department": "by_department", "category": "by_category", "nature": "by_nature"}


@dataclass
class Summary:
    """The summary as plain rows, and as pandas tables built from them on first use.

    ``project_rows``: one dict per form (the ``PROJECT_COLUMNS`` keys, and more);
    ``indicator_packs``: per form (as ``project_rows``), its indicator rows packed
    (``rows.indicator_rows``); ``indicator_columns`` unpacks them all into the long
    indicator table, ``INDICATOR_COLUMNS`` key → values, ``indicator_batches`` a part at a time;
    ``form_findings``: per form (as ``project_rows``), the findings of the per-form rules;
    ``cross_findings``: those of the cross-form rules (C family); ``report`` all of them;
    ``subtotal_rows``: per grouping (``department``, ``category``, ``nature``), one dict
    per group (its key, ``forms``, the money and count sums) in order of first appearance;
    ``total_values``: the grand total (as ``total``). Missing values are None.

    The per-form sequences of a folder run are ``Spill``s: all but their last rows wait on
    disk, and a writer reads them a batch at a time (``batches_of``), so the memory a run
    holds does not grow with its forms. A summary written to a workbook is read from the
    plain rows: pandas is imported only when one of the tables (``projects``,
    ``indicators``, ``by_*``, ``total``) is used.
    """

    project_rows: Sequence[dict[str, Any]] = field(repr=False)
    indicator_packs: Sequence[bytes] = field(repr=False)
    subtotal_rows: dict[str, list[dict[str, Any]]] = field(repr=False)
    total_values: dict[str, Any]
    form_findings: Sequence[tuple[Finding, ...]] = field(repr=False)
    cross_findings: tuple[Finding, ...] = ()
    failures: tuple[PerfxlError, ...] = ()
    finding_counts: dict[str, int] = field(default_factory=dict)  # severity → findings
    indicator_count: int = 0

    def findings(self) -> Iterator[Finding]:
        """Every finding, form by form, then the cross-form ones (as ``report`` holds them)."""
        return chain(chain.from_iterable(self.form_findings), self.cross_findings)

    @property
    def finding_count(self) -> int:
        return sum(self.finding_counts.values())

    @cached_property
    def report(self) -> Report:
        return Report(tuple(self.findings()), len(self.project_rows))

    @cached_property
    def indicator_columns(self) -> dict[str, list]:
        return indicator_table(self.project_rows, self.indicator_packs)

    def indicator_batches(self, forms: int = BATCH) -> Iterator[dict[str, list]]:
        """The long indicator table in parts, ``forms`` forms at a time (memory stays flat)."""
        pairs = zip(self.project_rows, self.indicator_packs)
        while part := list(islice(pairs, forms)):
            rows, packs = zip(*part)
            yield indicator_table(rows, packs)

    @cached_property
    def projects(self) -> pd.DataFrame:
        from .frames import projects_frame

        return projects_frame(self.project_rows)

    @cached_property
    def indicators(self) -> pd.DataFrame:
        from .frames import indicators_frame

        return indicators_frame(self.indicator_columns)

    @cached_property
    def by_department(self) -> pd.DataFrame:
        return self._group_frame("department")

    @cached_property
    def by_category(self) -> pd.DataFrame:
        return self._group_frame("category")

    @cached_property
    def by_nature(self) -> pd.DataFrame:
        return self._group_frame("nature")

    @cached_property
    def total(self) -> pd.Series:
        from .frames import total_series

        return total_series(self.total_values)

    def _group_frame(self, by: str) -> pd.DataFrame:
        from .frames import group_frame

        return group_frame(self.subtotal_rows[by], by)

    def subtotals(self, by: str) -> pd.DataFrame:
        """``department``, ``category`` or ``nature``."""
        return getattr(self, _GROUP_TABLES[by])

    @property
    def duplicates(self) -> int:
        return int(self.total_values["duplicates"])

    def in_wan(self, frame: pd.DataFrame | pd.Series, places: int = 2):
        """A copy of a table (or the total) with the money columns in 万元, rounded half up."""
        result = frame.copy()
        if result.ndim == 1:  # a Series: the total
            for key in [k for k in MONEY_KEYS + ("duplicates_annual",) if k in result.index]:
                result[key] = _wan(result[key], places)
            return result
        for key in [k for k in MONEY_KEYS if k in result.columns]:
            result[key] = [_wan(v, places) for v in result[key]]
        return result


def indicator_table(project_rows: Iterable[dict[str, Any]], packs: Iterable[bytes]
                    ) -> dict[str, list]:
    """The long indicator table of these forms: each indicator row after its form's keys."""
    columns: dict[str, list] = {c.key: [] for c in INDICATOR_COLUMNS}
    for row, packed in zip(project_rows, packs):
        indicators = indicator_rows(packed)
        count = len(indicators)
        for key in _FORM_KEYS:
            columns[key].extend([row[key]] * count)
        for key, values in zip(INDICATOR_FIELDS, zip(*indicators)):  # a column at a time
            columns[key].extend(values)
    return columns


def _wan(value, places):
    return yuan_to_wan(value, places) if isinstance(value, Decimal) else value


@dataclass
class SummaryBuilder:
    """Collects FormRows one at a time (as a folder run streams them in), then builds.

    What a form brings is spilled (``Spill``, ``batch`` forms at a time): a run's memory
    holds no more than a batch of them. When the summary is built, the cross-form rules
    are handed each form's header (``header_of``) rebuilt from its row read back, and keep
    only their sums and the copies they found.
    """

    config: Config = field(default_factory=Config)
    batch: int | None = None  # forms per spilled batch; None: ``spill.BATCH``
    failures: list[PerfxlError] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._file = SpillFile()
        self.batch = self.batch or spill.BATCH
        self.projects: Spill[dict[str, Any]] = Spill(self._file, self.batch)
        self._findings: Spill[tuple[Finding, ...]] = Spill(self._file, self.batch)
        self._indicator_packs: Spill[bytes] = Spill(self._file, self.batch)
        self._counts = dict.fromkeys(SEVERITY_ORDER, 0)
        self._indicators = 0

    def add(self, rows: FormRows) -> None:
        row = {"row": len(self.projects) + 1, **rows.project}
        self.projects.append(row)
        self._findings.append(rows.findings)
        self._indicator_packs.append(rows.indicators)
        self._indicators += row["n_indicators"]
        for severity in SEVERITY_ORDER:
            self._counts[severity] += row[f"n_{severity}"]

    def fail(self, error: PerfxlError) -> None:
        self.failures.append(error)

    def build(self, published: str | None = None) -> Summary:
        across = self._check_across()
        totals = totals_of(self.projects.batches())
        total = totals.total_values()
        if published is not None and self.config.enabled("C02"):
            across += published_line(published, int(total["forms"]), total["annual"],
                                     self.config)
        counts = dict(self._counts)
        for finding in across:
            counts[finding.severity] += 1
        return Summary(
            project_rows=self.projects,
            indicator_packs=self._indicator_packs,
            subtotal_rows=totals.subtotal_rows(),
            total_values=total,
            form_findings=self._findings,
            cross_findings=tuple(across),
            failures=tuple(self.failures),
            finding_counts=counts,
            indicator_count=self._indicators,
        )

    def _check_across(self) -> list[Finding]:
        """The cross-form findings, each counted on the row of the form it points at, and
        later copies marked. The rules are handed the forms' headers rebuilt from the rows
        read back, one at a time, and keep only their sums and the copies they found."""
        checker = FormsChecker(self.config)
        for row in self.projects:
            checker.add(header_of(row))
        for index, first in checker.copies.of.items():
            self.projects.patch(index, partial(_mark_copy, first + 1))
        placed = checker.findings(lambda index: header_of(self.projects[index]))
        self.projects.forget()
        for index, finding in placed:
            if finding.code not in GROUP_REPORTS:
                self.projects.patch(index, partial(_count_one, f"n_{finding.severity}"))
        return [finding for _, finding in placed]


def _mark_copy(first_row: int, row: dict[str, Any]) -> None:
    row["counted"] = 0
    row["duplicate_of"] = first_row


def _count_one(key: str, row: dict[str, Any]) -> None:
    row[key] += 1


def consolidate(
    forms: Iterable,
    findings: Iterable[Finding] | Report | None = None,
    *,
    config: Config | None = None,
    published: str | None = None,
) -> Summary:
    """The summary of a set of forms.

    ``findings``: the per-form findings already computed (e.g. by ``validate``); when None,
    every form is checked here. The cross-form rules (C family) always run here.
    ``published``: the department's published line (C02), e.g.
    ``编报绩效目标的项目14个，涉及项目预算资金1099.22万元``.
    """
    config = config or Config()
    forms = list(forms)
    if findings is None:
        per_form = [check_form(form, config) for form in forms]
    else:
        given = findings.findings if isinstance(findings, Report) else tuple(findings)
        per_form = attribute(forms, [f for f in given if f.code[:1] != "C"])
    builder = SummaryBuilder(config)
    for form, own in zip(forms, per_form):
        builder.add(form_rows(form, own))
    return builder.build(published)


def attribute(forms: list, findings: Iterable[Finding]) -> list[list[Finding]]:
    """Per-form lists of findings, matched on file, sheet and the cells each form holds."""
    by_place: dict[tuple[str, str], list[int]] = {}
    for index, form in enumerate(forms):
        by_place.setdefault((form.source.file, form.source.sheet), []).append(index)
    result: list[list[Finding]] = [[] for _ in forms]
    for finding in findings:
        candidates = by_place.get((finding.file, finding.sheet), [])
        index = next((i for i in candidates if _holds(forms[i], finding.cell)), None)
        if index is None:
            index = next((i for i in candidates if forms[i].label == finding.form),
                         candidates[0] if candidates else None)
        if index is not None:
            result[index].append(finding)
    return result


def _holds(form, cell: str) -> bool:
    if any(ref.cell == cell for ref in form.cells.values()):
        return True
    return any(ref.cell == cell for i in form.indicators for ref in i.refs.values())
