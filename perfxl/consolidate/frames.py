"""The summary's pandas tables, built from its plain rows.

Only ``Summary``'s table properties import this module: writing the summary workbook reads
the plain rows and never loads pandas. Money stays Decimal (object columns), never float;
``year`` and ``duplicate_of`` are nullable integers (Int64).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .columns import COUNT_KEYS, GROUPINGS, INDICATOR_COLUMNS, MONEY_KEYS, PROJECT_COLUMNS


def projects_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    columns = [c.key for c in PROJECT_COLUMNS]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    for key in ("year", "duplicate_of"):
        frame[key] = frame[key].astype("Int64")
    return _with_object_money(frame)


def indicators_frame(columns: dict[str, list]) -> pd.DataFrame:
    frame = pd.DataFrame(columns, columns=[c.key for c in INDICATOR_COLUMNS])
    frame["year"] = frame["year"].astype("Int64")
    frame["number"] = frame["number"].astype(object)
    return frame


def group_frame(records: list[dict[str, Any]], by: str) -> pd.DataFrame:
    """One subtotal table: a row per group (its key, then the sums), in the given order."""
    columns = [GROUPINGS[by].key, "forms", *MONEY_KEYS, *COUNT_KEYS]
    return _with_object_money(pd.DataFrame.from_records(records, columns=columns))


def total_series(values: dict[str, Any]) -> pd.Series:
    return pd.Series(values, dtype=object)


def _with_object_money(frame: pd.DataFrame) -> pd.DataFrame:
    """Money stays Decimal (object dtype), never float — even in an empty table."""
    for key in MONEY_KEYS:
        if key in frame.columns:
            frame[key] = frame[key].astype(object)
    return frame
