"""The headless twin of 校验全部: the same macro through the openpyxl adapter, onto a file.

``perfxl validate FILE --mark OUT.xlsx`` writes a marked copy and never touches FILE;
``--in-place`` marks FILE itself, after writing a backup next to it. A marked ``.xlsm``
keeps its VBA project and ribbon. Every refusal is a ``PerfxlError`` raised before
anything is written.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..config import Config
from ..errors import InputError, WorkbookError
from ..io import WORKBOOK_SUFFIXES
from ..io.atomic import atomic_path
from ..report import Report
from .openpyxl_book import OpenpyxlBook

__all__ = ["mark_file", "backup_path"]


def mark_file(src: str | Path, out: str | Path | None = None, *, in_place: bool = False,
              force: bool = False, lang: str = "zh", config: Config | None = None) -> Report:
    """Validate every form sheet of ``src`` and write it marked to ``out`` (or to ``src``)."""
    from .macros import validate_all

    src = Path(src)
    target = _target(src, Path(out) if out is not None else None, in_place, force)
    port = OpenpyxlBook(src)
    report = validate_all(port, config=config, lang=lang)
    if in_place:
        backup = backup_path(src)
        try:
            shutil.copy2(src, backup)
        except OSError as exc:
            raise WorkbookError(f"无法写入备份（{exc.strerror}），原文件未修改",
                                f"cannot write the backup ({exc.strerror}); the file is unchanged",
                                file=str(backup)) from None
    _save(port, target, force=force or in_place)
    return report


def _target(src: Path, out: Path | None, in_place: bool, force: bool) -> Path:
    """Where the marked workbook goes; every refusal happens here, before any work."""
    if not src.is_file():
        raise InputError("文件不存在", "file not found", file=str(src))
    if src.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise InputError("只能标记 Excel 工作簿（.xlsx、.xlsm）", "only workbooks (.xlsx, .xlsm) can be marked",
                         file=str(src))
    if in_place:
        if out is not None and out.resolve() != src.resolve():
            raise WorkbookError("--in-place 与另一个输出文件不能同时使用",
                                "--in-place and a different output file cannot be combined", file=str(out))
        _refuse_locked(src)
        return src
    if out is None:
        raise WorkbookError("请指定标记后的输出文件（--mark OUT.xlsx）或使用 --in-place",
                            "give an output file (--mark OUT.xlsx) or --in-place", file=str(src))
    if out.resolve() == src.resolve():
        raise WorkbookError("输出文件不能是输入文件本身；如需直接修改请用 --in-place（会先备份）",
                            "the output is the input itself; use --in-place (a backup is written first)",
                            file=str(out))
    if out.suffix.lower() != src.suffix.lower():
        raise WorkbookError(f"输出文件的扩展名须与输入一致（{src.suffix}）",
                            f"the output must have the input's extension ({src.suffix})", file=str(out))
    if out.exists() and not force:
        raise WorkbookError("输出文件已存在；如需覆盖请加 --force",
                            "the output file exists; add --force to overwrite it", file=str(out))
    if out.exists():
        _refuse_locked(out)
    return out


def _refuse_locked(path: Path) -> None:
    """A read-only file, or one open in Excel (its ``~$`` owner file), is not changed."""
    if not os.access(path, os.W_OK):
        raise WorkbookError("文件是只读的，perfxl 未做任何修改", "the file is read-only; perfxl changed nothing",
                            file=str(path))
    if (path.parent / ("~$" + path.name)).exists():
        raise WorkbookError("文件正在 Excel 中打开（已锁定），请关闭后再试；perfxl 未做任何修改",
                            "the file is open in Excel (locked); close it and retry — nothing was changed",
                            file=str(path))


def backup_path(path: Path) -> Path:
    """``申报表.xlsx`` → ``申报表.perfxl-backup.xlsx`` (numbered when taken)."""
    candidate = path.with_name(f"{path.stem}.perfxl-backup{path.suffix}")
    number = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.perfxl-backup-{number}{path.suffix}")
        number += 1
    return candidate


def _save(port: OpenpyxlBook, target: Path, *, force: bool) -> None:
    try:
        with atomic_path(target, force=force) as tmp:
            port.save(tmp)
    except PermissionError:
        raise WorkbookError("无法写入（文件夹没有写权限）", "cannot write (the folder is not writable)",
                            file=str(target)) from None
