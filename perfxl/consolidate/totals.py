"""The grand total and the subtotals, summed as the project rows stream past.

Money is summed exactly (Decimal); a row with ``counted = 0`` (a later copy of a
duplicate project, rule C03) is left out of every sum and counted in ``duplicates``.
Rows come a batch at a time (see ``spill``): each batch is summed a column at a time, and
the batch's sums are added to the running ones, so no more than a batch is ever held.
"""

from __future__ import annotations

from decimal import Decimal
from operator import itemgetter
from typing import Any, Iterable

from .columns import COUNT_KEYS, GROUPINGS, MONEY_KEYS

_ZERO = Decimal("0.00")


def sums(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """``forms`` and the money and count sums of some rows (exact: money is Decimal)."""
    group: dict[str, Any] = {"forms": len(rows)}
    for key in MONEY_KEYS:
        group[key] = sum([v for v in map(itemgetter(key), rows) if v is not None], _ZERO)
    for key in COUNT_KEYS:
        group[key] = sum(map(itemgetter(key), rows))
    return group


def _add(into: dict[str, Any], part: dict[str, Any]) -> None:
    for key, value in part.items():
        into[key] += value


class Totals:
    """Running sums: the grand total and one subtotal per group of each grouping."""

    def __init__(self) -> None:
        self.total = sums([])
        self.rows = 0
        self.duplicates = 0
        self.duplicates_annual = _ZERO
        # grouping → group key → sums, groups in order of first appearance
        self.groups: dict[str, dict[str, dict[str, Any]]] = {by: {} for by in GROUPINGS}

    def add_batch(self, rows: list[dict[str, Any]]) -> None:
        counted = [row for row in rows if row["counted"]]
        self.rows += len(rows)
        left_out = [row["annual"] for row in rows if not row["counted"]]
        self.duplicates += len(left_out)
        self.duplicates_annual += sum([v for v in left_out if v is not None], _ZERO)
        _add(self.total, sums(counted))
        for by, groups in self.groups.items():
            members: dict[str, list[dict[str, Any]]] = {}
            for row in counted:
                members.setdefault(row[by] or "", []).append(row)
            for key, group_rows in members.items():
                part = sums(group_rows)
                if key in groups:
                    _add(groups[key], part)
                else:
                    groups[key] = part

    def subtotal_rows(self) -> dict[str, list[dict[str, Any]]]:
        """Per grouping, one dict per group: its key, ``forms``, the sums."""
        return {by: [{by: key, **values} for key, values in groups.items()]
                for by, groups in self.groups.items()}

    def total_values(self) -> dict[str, Any]:
        """The grand total of the counted rows, and what the duplicates left out."""
        return {**self.total, "duplicates": self.duplicates,
                "duplicates_annual": self.duplicates_annual, "rows": self.rows}


def totals_of(batches: Iterable[list[dict[str, Any]]]) -> Totals:
    totals = Totals()
    for batch in batches:
        totals.add_batch(batch)
    return totals
