"""``perfxl install``: tell Excel's xlwings add-in which Python runs perfxl (Windows)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..xl.settings import (
    install_user_config, install_xlwings_conf, user_config_path, windows_interpreter,
    xlwings_conf_path,
)
from .common import lang_option

_ELSEWHERE = {
    "darwin": ("Excel for Mac：请运行 `xlwings runpython install`，并在 xlwings.conf 中设置 INTERPRETER_MAC。",
               "Excel for Mac: run `xlwings runpython install` and set INTERPRETER_MAC in xlwings.conf."),
    "other": ("此系统上没有 Excel，无需安装；请用 `perfxl validate 文件 --mark 输出.xlsx` 标记工作簿。",
              "There is no Excel on this system, nothing to install; mark workbooks with "
              "`perfxl validate FILE --mark OUT.xlsx`."),
}


@click.command("install")
@click.option("--interpreter",
              help="The Python that RunPython starts (default: this one, as pythonw.exe).")
@click.option("--conf", "conf", type=click.Path(path_type=Path),
              help="Write this xlwings.conf instead of the user's (any system; for deployment).")
@lang_option
def command(interpreter: str | None, conf: Path | None, lang: str):
    """Set up Excel (Windows): write the xlwings user config so the ribbon runs this Python.

    Writes INTERPRETER_WIN into ~/.xlwings/xlwings.conf (other entries are kept) and a
    commented perfxl settings file if there is none. Elsewhere it says what to do instead.

    \b
    Example:
      perfxl install
      perfxl install --interpreter C:\\Python311\\pythonw.exe
    """
    zh = lang == "zh"
    if conf is None and not sys.platform.startswith("win"):
        key = "darwin" if sys.platform == "darwin" else "other"
        click.echo(_ELSEWHERE[key][0 if zh else 1])
        return 0
    target = conf or xlwings_conf_path()
    chosen = interpreter or windows_interpreter()
    install_xlwings_conf(target, chosen)
    click.echo(f"{'已写入' if zh else 'wrote'} {target}: INTERPRETER_WIN = {chosen}")
    if conf is None:
        written = install_user_config()
        settings = written or user_config_path()
        click.echo(f"{'perfxl 设置文件' if zh else 'perfxl settings file'}: {settings}"
                   + ("" if written else (" （已存在，未改动）" if zh else " (exists, unchanged)")))
    return 0
