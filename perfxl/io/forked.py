"""A share of the summary's writing done by a forked copy of this process, side by side.

After a folder run the worker processes are gone and writing the summary is left to one
process, on one core. The largest sheet's rows can be split: a child forked at that point
(it has the summary as it is, on disk and in memory) renders and deflates the rows of the
later forms into a temporary file, while the parent writes everything else; the parent
then takes the child's deflated rows into the package as they are (``zipwriter``).

Only where ``fork`` is the way processes start (Linux) and only when this process runs
no other thread, which a fork would leave behind half-way. Whatever goes wrong in the child
(an error, a kill, a full disk), ``result`` says None and the parent renders those rows
itself: the output is the same either way.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import tempfile
import threading
from itertools import islice
from typing import BinaryIO, Callable, Iterable, Iterator

from ..consolidate.columns import INDICATOR_COLUMNS
from ..consolidate.layout import columns_of
from ..consolidate.sheetxml import render_table
from .zipwriter import Deflated, deflate_into

# A summary of at least this many parts of forms (``Summary.indicator_parts``, 256 forms
# each in a folder run) has its 指标明细 rendered by two processes; the parent takes the
# first PARENT_SHARE of the parts, besides 汇总 and 校验结果 (measured: the two then end
# about together at 2,000 and 20,000 forms).
HELPED_PARTS = 4
PARENT_SHARE = 0.3


def can_fork() -> bool:
    return (sys.platform.startswith("linux") and hasattr(os, "fork")
            and threading.active_count() == 1)


class Forked:
    """``work(file)`` run in a child process forked now; its ``Deflated`` from ``result``."""

    def __init__(self, work: Callable[[BinaryIO], Deflated]) -> None:
        self.file = tempfile.TemporaryFile(prefix="perfxl-")
        readable, writable = os.pipe()
        gc.freeze()  # the child's collections leave what it shares with the parent alone
        try:
            pid = os.fork()
        finally:
            gc.unfreeze()  # in the parent; the child keeps them frozen
        if pid == 0:
            _child(work, self.file, readable, writable)
        os.close(writable)
        self._pid: int | None = pid
        self._readable = readable

    def result(self) -> Deflated | None:
        """Waits for the child; its piece, or None when it did not finish its work."""
        if self._pid is None:
            return None
        message = b""
        while chunk := os.read(self._readable, 256):
            message += chunk
        self._end()
        try:
            offset, length, crc, size = map(int, message.split())
        except ValueError:
            return None
        return Deflated(self.file, offset, length, crc, size)

    def close(self) -> None:
        """Stops the child if it still runs (the parent gave up), and lets go of its file."""
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._end()
        self.file.close()

    def _end(self) -> None:
        os.close(self._readable)
        pid, self._pid = self._pid, None
        os.waitpid(pid, 0)

    def __enter__(self) -> "Forked":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _child(work: Callable[[BinaryIO], Deflated], file: BinaryIO, readable: int,
           writable: int) -> None:
    """The child's whole life: the work, its piece's place told through the pipe, then an
    exit that runs none of the parent's clean-up (its files and output are the parent's)."""
    code = 1
    try:
        os.close(readable)
        piece = work(file)
        os.write(writable, f"{piece.offset} {piece.length} {piece.crc} {piece.size}".encode())
        code = 0
    finally:
        os._exit(code)


class IndicatorHelper:
    """The 指标明细 rows of the later forms, rendered and deflated by a forked process
    while this one writes the other sheets and the earlier forms' rows."""

    def __init__(self, summary, lang: str, attrs: list[str], parts: int) -> None:
        self._summary, self._lang, self._attrs, self._parts = summary, lang, attrs, parts
        self._first_row = 2 + sum(summary.indicators_per_part[:parts])
        self._forked = Forked(lambda file: deflate_into(
            file, indicator_xml(summary.indicator_parts(parts), lang, attrs, self._first_row)))

    def body(self) -> Iterator[bytes | Deflated]:
        yield from indicator_xml(islice(self._summary.indicator_parts(), self._parts),
                                 self._lang, self._attrs, 2)
        piece = self._forked.result()
        if piece is not None:
            yield piece
        else:  # the child did not finish: its rows are rendered here
            yield from indicator_xml(self._summary.indicator_parts(self._parts), self._lang,
                                     self._attrs, self._first_row)

    def close(self) -> None:
        self._forked.close()


def indicator_helper(summary, lang: str, attrs: list[str]) -> IndicatorHelper | None:
    """A helper for a summary of at least ``HELPED_PARTS`` parts of forms, where it can be
    forked; it takes the share of the parts after ``PARENT_SHARE``."""
    counts = summary.indicators_per_part
    if len(counts) < HELPED_PARTS or sum(counts) != summary.indicator_count or not can_fork():
        return None
    return IndicatorHelper(summary, lang, attrs, max(1, round(len(counts) * PARENT_SHARE)))


def indicator_xml(parts: Iterable[dict[str, list]], lang: str, attrs: list[str],
                  first_row: int) -> Iterator[bytes]:
    """The 指标明细 rows of these parts of the long indicator table, from ``first_row``."""
    row = first_row
    for part in parts:
        columns = columns_of(part, INDICATOR_COLUMNS, lang)
        yield from render_table(row, columns, attrs)
        row += len(columns[0]) if columns else 0
