"""指标明细's body rendered a part at a time, by worker processes when there are jobs to spare.

The long indicator table is most of a large summary's writing time, and rendering a part of
it needs only the part's forms: their key columns and packed indicator rows. Forked worker
processes render parts to encoded sheet XML while the parent renders the other sheets and
compresses what comes back, in order. A few parts are in flight at a time, so memory stays
flat however long the table. With one job, or where processes cannot be forked (Windows),
the parts are rendered in this process, one after another: the same bytes.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

from .columns import INDICATOR_COLUMNS
from .layout import columns_of
from .sheetxml import render_table
from .summary import FORM_KEYS, indicator_table

FORMS_PER_PART = 250


@dataclass(frozen=True)
class Part:
    """Some consecutive forms' indicator rows, and where they start in the sheet."""

    first_row: int
    keys: list[dict[str, Any]]  # per form, the key columns the table repeats (FORM_KEYS)
    packs: list[bytes]  # per form, its packed indicator rows
    lang: str
    attrs: list[str]  # per column, its style attribute


def render_part(part: Part) -> bytes:
    """The part's ``<row>`` elements, encoded."""
    table = indicator_table(part.keys, part.packs)
    columns = columns_of(table, INDICATOR_COLUMNS, part.lang)
    return "".join(render_table(part.first_row, columns, part.attrs)).encode("utf-8")


def parts_of(summary, lang: str, attrs: list[str], forms: int) -> Iterator[Part]:
    row = 2
    for start in range(0, len(summary.project_rows), forms):
        rows = summary.project_rows[start:start + forms]
        keys = [{key: project[key] for key in FORM_KEYS} for project in rows]
        yield Part(row, keys, summary.indicator_packs[start:start + forms], lang, attrs)
        row += sum(project["n_indicators"] for project in rows)


@contextmanager
def rendered_parts(summary, lang: str, attrs: list[str], jobs: int = 1,
                   forms: int | None = None) -> Iterator[Iterator[bytes]]:
    """The encoded ``<row>`` elements of 指标明细's body, ``forms`` forms a part, in order.

    The worker processes start on entering (so, before the caller starts threads of its
    own) and stop on leaving.
    """
    forms = forms or FORMS_PER_PART
    parts = parts_of(summary, lang, attrs, forms)
    if jobs < 2 or len(summary.project_rows) <= forms or not _can_fork():
        yield map(render_part, parts)
        return
    gc.freeze()  # the workers' collections then leave the parent's objects (and pages) alone
    try:
        pool = multiprocessing.get_context("fork").Pool(jobs)
    finally:
        gc.unfreeze()
    with pool:
        yield _in_order(pool, parts, window=2 * jobs)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _in_order(pool, parts: Iterator[Part], window: int) -> Iterator[bytes]:
    """Each part's bytes in order, with at most ``window`` parts given out and not yet taken."""
    pending: deque = deque()
    for part in parts:
        pending.append(pool.apply_async(render_part, (part,)))
        if len(pending) >= window:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()
