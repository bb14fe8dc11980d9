"""A folder run survives a worker process that dies on a file: that file is listed as a
failure that names it, and every other file is consolidated, in order.

The workers are real processes forked from this one, killed for real (SIGKILL) while
reading the chosen files: what a crash in a reading library or the system's out-of-memory
killer does. Each run is bounded by an alarm, so a run that hangs fails instead.
"""

from __future__ import annotations

import os
import shutil
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest

import perfxl.consolidate.files as files_module
import perfxl.consolidate.pool as pool_module
from perfxl.consolidate.files import consolidate_files
from perfxl.consolidate.pool import CRASHED, NOT_TAKEN, TOO_SLOW, _alive
from test_consolidate_support import sample_blocks, sample_workbook

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """24 one-form workbooks (the sample's forms in turn)."""
    folder = tmp_path_factory.mktemp("forms")
    blocks = sample_blocks()
    for number in range(7):
        sample_workbook(folder / f"{number:02}.xlsx", [blocks[number]])
    for number in range(7, 24):
        shutil.copyfile(folder / f"{number % 7:02}.xlsx", folder / f"{number:02}.xlsx")
    return folder


@contextmanager
def deadline(seconds: int):
    def fail(signum, frame):
        raise TimeoutError(f"the run did not end within {seconds} s")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_worker_killed_on_a_file_costs_that_file_only(folder, monkeypatch):
    killed = {"03.xlsx", "17.xlsx"}
    read = files_module.read_file_rows

    def read_or_die(path, config):
        if Path(path).name in killed:
            os.kill(os.getpid(), signal.SIGKILL)
        return read(path, config)

    monkeypatch.setattr(files_module, "read_file_rows", read_or_die)
    with deadline(120):
        summary = consolidate_files([folder], jobs=2)
    assert [(Path(f.file).name, f.zh, f.en) for f in summary.failures] == \
        [(name, *CRASHED) for name in sorted(killed)]
    kept = [p for p in sorted(folder.iterdir()) if p.name not in killed]
    assert [Path(row["file"]).name for row in summary.project_rows] == [p.name for p in kept]
    monkeypatch.setattr(files_module, "read_file_rows", read)
    alone = consolidate_files(kept, jobs=1)
    assert summary.total_values == alone.total_values and summary.duplicates == alone.duplicates


def test_a_file_whose_worker_dies_before_noting_it_is_read_again_then_given_up(folder,
                                                                               monkeypatch):
    """A worker killed after taking files but before noting the first: nothing says which
    file it was on. The files are read again by a new pool; when that happens twice at the
    same file, the file is given up."""
    work = files_module._work

    def die_first(task):
        if Path(task[1]).name == "05.xlsx":
            os.kill(os.getpid(), signal.SIGKILL)
        return work(task)

    monkeypatch.setattr(files_module, "_work", die_first)
    monkeypatch.setattr(pool_module, "STALL_SECONDS", 2.0)
    with deadline(120):
        summary = consolidate_files([folder], jobs=2)
    assert [(Path(f.file).name, f.en) for f in summary.failures] == [("05.xlsx", NOT_TAKEN[1])]
    assert len(summary.project_rows) == 23


def test_a_file_read_for_too_long_is_stopped_and_named(folder, monkeypatch):
    """A reader caught in a loop: its worker is stopped after ``FILE_SECONDS``."""
    import time

    read = files_module.read_file_rows

    def hang_on_one(path, config):
        if Path(path).name == "11.xlsx":
            time.sleep(600)
        return read(path, config)

    monkeypatch.setattr(files_module, "read_file_rows", hang_on_one)
    monkeypatch.setattr(pool_module, "FILE_SECONDS", 2.0)
    started = time.monotonic()
    with deadline(120):
        summary = consolidate_files([folder], jobs=2)
    assert time.monotonic() - started < 60
    assert [(Path(f.file).name, f.zh, f.en) for f in summary.failures] == [
        ("11.xlsx", TOO_SLOW[0].format(seconds=2.0), TOO_SLOW[1].format(seconds=2.0))]
    assert "超过 2 秒" in summary.failures[0].zh and "longer than 2 s" in summary.failures[0].en
    assert len(summary.project_rows) == 23


def _work_or_die(tasks):
    """A worker's work, file after file, but death on 03.xlsx once it is noted (importable:
    spawned workers import it)."""
    outcomes = []
    for index, path in tasks:
        outcomes.append(files_module._work((index, path)))
        if Path(path).name == "03.xlsx":
            os.kill(os.getpid(), signal.SIGKILL)
    return outcomes


def test_spawned_workers_are_watched_too(folder):
    """Windows starts workers by spawning, not forking: the shared arrays reach them as
    arguments. A spawned worker killed on a file costs that file only."""
    import multiprocessing

    from perfxl.config import Config
    from perfxl.consolidate.pool import WatchedPool

    paths = [str(p) for p in sorted(folder.iterdir())][:8]
    spawn = multiprocessing.get_context("spawn")

    def make_pool(notes):
        return spawn.Pool(2, files_module._init_worker, (Config(), notes))

    with deadline(180):
        outcomes = list(WatchedPool(paths, _work_or_die, 2, make_pool).outcomes())
    assert [index for index, _ in outcomes] == list(range(8))
    assert outcomes[3][1][:3] == (*CRASHED, paths[3])
    assert all(isinstance(outcome, list) and len(outcome) == 1
               for index, outcome in outcomes if index != 3)


def test_only_a_running_child_process_counts_as_a_live_worker():
    import multiprocessing
    import time

    context = multiprocessing.get_context("fork")
    child = context.Process(target=time.sleep, args=(30,))
    child.start()
    try:
        assert _alive(child.pid)
        assert not _alive(os.getpid()) and not _alive(os.getppid())  # not workers of ours
    finally:
        child.kill()
    for _ in range(100):  # ended, not yet waited for: gone all the same
        if not _alive(child.pid):
            break
        time.sleep(0.05)
    assert not _alive(child.pid)
    child.join()
