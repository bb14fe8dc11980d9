"""Outputs are written whole or not at all, with ordinary permissions, and never over a file unasked."""

from __future__ import annotations

import os
import stat

import pytest

from perfxl.errors import WorkbookError
from perfxl.io.atomic import atomic_path, atomic_write_text


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "汇总.xlsx"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half", encoding="utf-8")
            raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总.xlsx"]


def test_an_existing_file_is_refused_without_force(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(WorkbookError) as caught:
        atomic_write_text(target, "new", force=False)
    assert "--force" in caught.value.zh and target.read_text(encoding="utf-8") == "mine"


def test_new_files_get_the_usual_permissions_and_replaced_files_keep_theirs(tmp_path):
    fresh = tmp_path / "fresh.txt"
    atomic_write_text(fresh, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask
    kept = tmp_path / "kept.txt"
    kept.write_text("x", encoding="utf-8")
    kept.chmod(0o640)
    atomic_write_text(kept, "y")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
