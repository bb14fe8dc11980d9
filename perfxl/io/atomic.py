"""Outputs are written atomically: to a temporary file beside the target, then renamed.

A crash or a full disk leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import WorkbookError


@contextmanager
def atomic_path(path: str | Path, *, force: bool = True) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path``.

    With ``force=False`` an existing ``path`` is refused before anything is written.
    """
    path = Path(path)
    if path.exists() and not force:
        raise WorkbookError(
            "输出文件已存在；如需覆盖请加 --force",
            "the output file exists; add --force to overwrite it",
            file=str(path),
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except PermissionError:
        raise WorkbookError(
            "无法写入（文件被占用或没有权限，例如正在 Excel 中打开）",
            "cannot write (the file is locked or not writable, e.g. open in Excel)",
            file=str(path),
        ) from None
    finally:
        tmp.unlink(missing_ok=True)


def _mode_for(path: Path) -> int:
    """The replaced file's permissions, or what a plain ``open(path, "w")`` would give."""
    if path.exists():
        return path.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write_bytes(path: str | Path, data: bytes, *, force: bool = True) -> None:
    with atomic_path(path, force=force) as tmp:
        tmp.write_bytes(data)


def atomic_write_text(path: str | Path, text: str, *, force: bool = True) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), force=force)
