"""The folder run: files and folders → a summary, files spread over a process pool.

Each worker reads one file (python-calamine for workbooks), parses and checks its forms and
sends back compact rows (``FormRows``), never workbooks or grids; the parent adds them to a
``SummaryBuilder`` as they arrive, which spills them to a temporary file (``spill``), and a
worker is replaced after ``WORKER_FILES`` files: memory holds neither the files nor the
result rows of a run. A file that cannot be read becomes a failure naming the file; the
rest is still consolidated. So does a file on which a worker dies or stalls (the pool is
watched: ``pool``).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

from ..config import Config
from ..errors import InputError, PerfxlError
from ..rules import check_form
from .pool import Outcome, WatchedPool
from .rows import FormRows, form_rows

if TYPE_CHECKING:
    from .summary import Summary


_config: Config | None = None
_notes = None  # in a worker of a pool: the pool's arrays of files started (pid, time)
# A worker process is replaced after reading about this many files. Its caches (texts,
# labels, targets, zip parts) are bounded, but filling them takes thousands of varied
# files: one process that read 10,000 generated forms held 41 MB resident (33 MB its own),
# after 1,000 it held 30 (23).
# A fresh worker starts with empty caches, so a run's memory does not grow with its files.
WORKER_FILES = 1_000
# The caller's preparing (``consolidate_files(prepare=…)``) waits until this many files remain.
PREPARE_AHEAD = 256


def input_suffixes() -> tuple[str, ...]:
    from ..io import SUFFIXES

    return SUFFIXES


def input_files(
    inputs: Iterable[str | Path], exclude: Iterable[str | Path] = ()
) -> tuple[list[str], list[PerfxlError]]:
    """The files to read, each as a text (as ``str(Path(…))`` writes it): files as given,
    folders searched (sub-folders too) for forms.

    Excel's lock files (``~$…``), hidden files and folders and the paths in ``exclude``
    (e.g. the output being written) are passed over; a folder's files come sorted by path.
    A path that does not exist is a failure. A run holds this list throughout: 20,000
    texts take some 3.5 MB, the same paths as ``Path`` objects twice that.
    """
    skip = {Path(p).resolve() for p in exclude}
    suffixes = input_suffixes()
    files: list[str] = []
    failures: list[PerfxlError] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = sorted(_folder_files(str(path), suffixes, set()), key=_path_order)
            folder = "" if str(path) == "." else str(path)  # str(Path(".", "a.xlsx")) is "a.xlsx"
            files.extend(os.path.join(folder, *parts) for parts in found)
        elif path.exists():
            files.append(str(path))
        else:
            failures.append(InputError("文件或文件夹不存在", "no such file or folder", file=str(path)))
    return [f for f in dict.fromkeys(files) if not _skipped(f, skip)], failures


def _folder_files(folder: str, suffixes: tuple[str, ...], seen: set[tuple[int, int]],
                  parts: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path parts, below ``folder``, of the input files in it and in its sub-folders.

    Linked folders are followed, each real folder once (a link to a parent ends no loop).
    """
    status = os.stat(folder)
    if (status.st_dev, status.st_ino) in seen:
        return
    seen.add((status.st_dev, status.st_ino))
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith((".", "~$")):
                continue
            if entry.is_dir():
                yield from _folder_files(entry.path, suffixes, seen, parts + (name,))
            elif name.lower().endswith(suffixes) and entry.is_file():
                yield parts + (name,)


def _path_order(parts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(map(os.path.normcase, parts))  # as paths sort: case-blind on Windows


def _skipped(path: str, skip: set[Path]) -> bool:
    # resolving every path costs ~15 µs: only those named like a skipped file are resolved
    name = os.path.basename(path)
    return any(name == other.name for other in skip) and Path(path).resolve() in skip


def read_file_rows(path: Path, config: Config) -> list[FormRows]:
    """The compact rows of every form in one file, each checked against the catalogue."""
    from ..io import forms_of_grids, is_form_sheet_name, read_grids

    grids = read_grids(path, is_form_sheet_name)  # perfxl's own sheets are not even read
    forms = forms_of_grids(grids, str(path))
    return [form_rows(form, check_form(form, config)) for form in forms]


def _work(task: tuple[int, str]) -> Outcome:
    index, path = task
    if _notes is not None:  # for the parent, should this process die or stall on the file
        started, since = _notes
        started[index], since[index] = os.getpid(), time.monotonic()
    try:
        return index, read_file_rows(Path(path), _config or Config())
    except PerfxlError as exc:
        return index, (exc.zh, exc.en, exc.file or path, exc.sheet, exc.cell)
    except Exception as exc:  # one broken file must not stop a run over thousands
        kind = type(exc).__name__
        return index, (f"读取时出现内部错误（{kind}: {exc}）", f"internal error while reading "
                       f"({kind}: {exc})", path, None, None)


def _work_chunk(tasks: tuple[tuple[int, str], ...]) -> list[Outcome]:
    return [_work(task) for task in tasks]


def _init_worker(config: Config, notes=None) -> None:
    """A worker's set-up: the settings, and the arrays shared with the parent where each file
    started is noted with its reader's process id and the time (see ``pool.WatchedPool``)."""
    global _config, _notes
    _config, _notes = config, notes
    if multiprocessing.parent_process() is not None:
        # what the parent held when this worker was forked (a replaced worker is forked
        # late, from a parent that has collected rows) is left out of its collections,
        # which would otherwise visit those objects and write to the pages that hold them
        gc.freeze()


def iter_outcomes(paths: Sequence[str | Path], config: Config, jobs: int = 1
                  ) -> Iterator[Outcome]:
    """(index, rows or failure) per file, in input order; over ``jobs`` processes if > 1.

    The worker processes start at once, before the first outcome is asked for, so the
    caller can do its own preparing while they read. The tasks are made as the pool
    hands them out, not all at once.
    """
    if jobs <= 1 or len(paths) < 2:
        _init_worker(config)
        return map(_work, ((index, str(path)) for index, path in enumerate(paths)))
    jobs = min(jobs, len(paths))
    chunk = max(1, min(32, len(paths) // (jobs * 16)))

    def make_pool(notes) -> multiprocessing.pool.Pool:
        gc.freeze()  # forked workers share the parent's objects: their collections skip them
        try:
            return multiprocessing.get_context().Pool(
                jobs, _init_worker, (config, notes),
                maxtasksperchild=max(1, WORKER_FILES // chunk))
        finally:
            gc.unfreeze()
    return WatchedPool(paths, _work_chunk, chunk, make_pool).outcomes()


@contextmanager
def rare_collections(young: int = 100_000) -> Iterator[None]:
    """Cyclic garbage collected seldom while a run piles up rows (which hold no cycles).

    Each collection of the oldest generation walks every object kept so far: with the
    default thresholds, the parent of a run over thousands of forms spends a good part of
    its time there. The thresholds are put back afterwards.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(max(young, thresholds[0]), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else (os.cpu_count() or 1))


def consolidate_files(
    inputs: Iterable[str | Path],
    *,
    config: Config | None = None,
    jobs: int | None = None,
    published: str | None = None,
    exclude: Iterable[str | Path] = (),
    progress: Callable[[int, int, Path, int], None] | None = None,
    prepare: Callable[[], None] | None = None,
) -> Summary:
    """The summary of every form in the given files and folders.

    ``progress(done, total, path, forms)`` is called after each file (``forms`` = -1 when
    the file could not be read). ``prepare()`` is called once, while the worker processes
    read: what the caller needs afterwards (e.g. the modules that write the output) loads
    meanwhile. It is called before the first file is waited for or, in a run of more files,
    when ``PREPARE_AHEAD`` files remain: the workers that replace others before then are
    forked from a parent without those modules (each would carry some 3 MB of them).
    Files that cannot be read are in ``Summary.failures``; if no form at all was read,
    an InputError says why.
    """
    config = config or Config()
    paths, failures = input_files(inputs, exclude)
    with rare_collections():
        outcomes = iter_outcomes(paths, config, jobs or default_jobs())
        from .summary import SummaryBuilder  # the builder loads here, while the workers read
        from ..io import excelfile  # noqa: F401  (loaded for the workers forked later)

        builder = SummaryBuilder(config)
        for error in failures:
            builder.fail(error)
        _collect(builder, outcomes, paths, progress, prepare)
        if not builder.projects:
            raise _nothing_read(paths, builder.failures)
        return builder.build(published)


def _collect(builder, outcomes: Iterator[Outcome], paths: list[str], progress,
             prepare: Callable[[], None] | None = None) -> None:
    """Add each file's rows (or its failure) to the builder as the outcomes arrive;
    ``prepare()`` when ``PREPARE_AHEAD`` files remain (at once in a smaller run)."""
    prepare_after = max(0, len(paths) - PREPARE_AHEAD)
    if prepare is not None and prepare_after == 0:
        prepare()
        prepare = None
    for done, (index, outcome) in enumerate(outcomes, start=1):
        if prepare is not None and done >= prepare_after:
            prepare()
            prepare = None
        if isinstance(outcome, tuple):
            zh, en, file, sheet, cell = outcome
            builder.fail(InputError(zh, en, file=file, sheet=sheet, cell=cell))
            count = -1
        else:
            for rows in outcome:
                builder.add(rows)
            count = len(outcome)
        if progress is not None:
            progress(done, len(paths), Path(paths[index]), count)


class NothingToConsolidate(InputError):
    """No form could be read from any input; ``failures`` says why for each file."""

    def __init__(self, zh: str, en: str, failures: list[PerfxlError]) -> None:
        super().__init__(zh, en)
        self.failures = failures


def _nothing_read(paths: list[str], failures: list[PerfxlError]) -> NothingToConsolidate:
    if not paths and not failures:
        return NothingToConsolidate("没有找到可汇总的文件（.xlsx .xlsm .txt）",
                                    "no input files found (.xlsx .xlsm .txt)", [])
    return NothingToConsolidate("没有读到任何申报表，无法汇总",
                                "no form could be read: nothing to consolidate", failures)
