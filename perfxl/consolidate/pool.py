"""The folder run's process pool, watched: a worker that dies on a file costs that file only.

``multiprocessing.Pool`` replaces a worker process that ends, but the files it held are
lost and ``imap`` waits for their outcomes for ever: a reading library crashing on one
file, the system killing a worker for memory, or someone killing one, would hang a run of
thousands of files. So each worker notes which file it starts, by its process id, and
when, in arrays it shares with the parent. While the parent waits for the next file's
outcome, it looks every ``WATCH_SECONDS`` whether the worker that started that file is
still there. If not, the last file that worker started becomes a failure naming it, the
pool is replaced, and the files whose outcomes went with the worker are read again. A
worker still on one file after ``FILE_SECONDS`` (a reader caught in a loop) is stopped,
and that file becomes a failure the same way.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from itertools import islice
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

if TYPE_CHECKING:
    from .rows import FormRows

WATCH_SECONDS = 1.0  # how often a wait for an outcome looks at the worker reading the file
STALL_SECONDS = 60.0  # a file no worker has started for this long is taken as lost
FILE_SECONDS = 300.0  # a file read for longer than this is given up (hundreds of forms: ~1 s)

# What one file gives back: (index, rows) or (index, (zh, en, file, sheet, cell)).
Outcome = tuple[int, "list[FormRows] | tuple[str, str, str | None, str | None, str | None]"]
_STOP = getattr(signal, "SIGKILL", signal.SIGTERM)  # Windows: SIGTERM ends the process

CRASHED = ("读取此文件时工作进程意外退出（可能是内存不足，或读取程序崩溃）；其余文件照常汇总",
           "the worker process reading this file ended unexpectedly (out of memory, or the "
           "reading library crashed); the other files are consolidated")
TOO_SLOW = ("读取此文件超过 {seconds:.0f} 秒仍未完成，已停止；其余文件照常汇总",
            "reading this file took longer than {seconds:.0f} s and was stopped; the other "
            "files are consolidated")
NOT_TAKEN = ("没有工作进程接手读取此文件（工作进程两次意外退出）；其余文件照常汇总",
             "no worker process took this file (workers ended unexpectedly twice); the "
             "other files are consolidated")


class WatchedPool:
    """The outcomes of every file, in their order: ``work`` is given ``chunk`` files at a
    time, as ``(index, path)`` pairs, and gives back their outcomes.

    ``make_pool(notes)`` starts a pool whose workers note each file they start in
    ``notes`` (a pair of arrays: for each file the process id of the worker
    that started it, and when); it is called at once, so the workers read while the
    caller prepares, and again whenever a worker is found gone.
    """

    def __init__(self, paths: Sequence, work: Callable, chunk: int,
                 make_pool: Callable[[object], multiprocessing.pool.Pool]) -> None:
        self._paths, self._work, self._chunk, self._make_pool = paths, work, chunk, make_pool
        context = multiprocessing.get_context()
        self._started = context.RawArray("i", len(paths))  # the process id of its reader
        self._since = context.RawArray("d", len(paths))  # and when it began (monotonic)
        self._stopped: set[int] = set()  # files whose reader was stopped for taking too long
        self._skipped: frozenset[int] = frozenset()  # files the current pool is not given
        self._pool = make_pool((self._started, self._since))

    def outcomes(self) -> Iterator[Outcome]:
        count, start = len(self._paths), 0
        failed: dict[int, Outcome] = {}
        stalled_at = -1
        try:
            while start < count:
                # chunked here, not by imap: its chunked iterator cannot wait with a timeout
                self._skipped = frozenset(failed)
                results = self._pool.imap(self._work, self._chunks(start))
                lost_at = yield from self._drain(results, start, failed)
                if lost_at is None:
                    return
                culprit = self._culprit(lost_at)
                if culprit is None and stalled_at == lost_at:
                    culprit = lost_at  # not taken twice: given up rather than waited for
                if culprit is not None:
                    failed[culprit] = (culprit, (*self._message(culprit),
                                                 str(self._paths[culprit]), None, None))
                stalled_at = lost_at if culprit is None else -1
                start = lost_at
                self._replace_pool(start)
        finally:  # the workers stop when the outcomes are read or the reader gives up
            self._pool.terminate()

    def _drain(self, results, start: int, failed: dict[int, Outcome]):
        """Yields the outcomes from ``start`` on; returns the index of the first one lost
        with its worker, or None when all came."""
        arrived: Iterator[Outcome] = iter(())
        for index in range(start, len(self._paths)):
            if index in failed:
                yield failed.pop(index)
                continue
            outcome = next(arrived, None)
            if outcome is None:
                chunk = self._next(results, index)
                if chunk is None:
                    return index
                arrived = iter(chunk)
                outcome = next(arrived)
            if outcome[0] != index:  # not expected: the pool gives outcomes in task order
                raise RuntimeError(f"outcome of file {outcome[0]} where {index} was due")
            yield outcome
        return None

    def _chunks(self, start: int) -> Iterator[tuple]:
        tasks = ((index, str(self._paths[index])) for index in self._given(start))
        while chunk := tuple(islice(tasks, self._chunk)):
            yield chunk

    def _given(self, start: int) -> Iterator[int]:
        """The files from ``start`` on that the current pool is given, in order."""
        return (index for index in range(start, len(self._paths)) if index not in self._skipped)

    def _next(self, results, index: int) -> list[Outcome] | None:
        """The outcomes of the chunk that starts with file ``index``, or None when the
        worker reading it is gone."""
        unstarted = 0.0
        while True:
            try:
                return results.next(timeout=WATCH_SECONDS)
            except multiprocessing.TimeoutError:
                pid = self._started[index]
                if pid and not _alive(pid):
                    try:  # a worker that ended after sending its outcomes: they are on the way
                        return results.next(timeout=2 * WATCH_SECONDS)
                    except multiprocessing.TimeoutError:
                        return None
                if pid:
                    self._stop_if_too_slow(pid, index)
                unstarted = 0.0 if pid else unstarted + WATCH_SECONDS
                if unstarted >= STALL_SECONDS:
                    return None

    def _culprit(self, index: int) -> int | None:
        """The file the gone worker was reading: the last it started of those it held."""
        pid = self._started[index]
        if not pid:
            return None
        held = islice(self._given(index), self._chunk)  # the chunk that starts with ``index``
        return max(i for i in held if self._started[i] == pid)

    def _stop_if_too_slow(self, pid: int, index: int) -> None:
        current = self._culprit(index)
        if current is not None and time.monotonic() - self._since[current] > FILE_SECONDS:
            self._stopped.add(current)
            if _alive(pid):  # still this process's worker
                os.kill(pid, _STOP)

    def _message(self, index: int) -> tuple[str, str]:
        if index in self._stopped:
            return (TOO_SLOW[0].format(seconds=FILE_SECONDS),
                    TOO_SLOW[1].format(seconds=FILE_SECONDS))
        return CRASHED if self._started[index] else NOT_TAKEN

    def _replace_pool(self, start: int) -> None:
        self._pool.terminate()
        self._pool.join()
        for index in range(start, len(self._paths)):
            self._started[index] = 0
        self._pool = self._make_pool((self._started, self._since))


def _alive(pid: int) -> bool:
    """Whether ``pid`` is a running child process of this one, as the pool's workers are.

    A worker that ended (reaped here if it was not yet), or a process id the system has
    since given to another program, is not: nothing but this process's own workers is
    ever stopped.
    """
    return any(child.pid == pid for child in multiprocessing.active_children())
