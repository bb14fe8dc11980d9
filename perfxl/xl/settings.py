"""Sheet names the Excel layer uses, and the settings an accountant may change.

Settings come from, in order (later wins):

1. the user settings file — ``PERFXL_CONFIG`` if set, else ``%APPDATA%\\perfxl\\config.toml``
   on Windows, ``~/.config/perfxl/config.toml`` elsewhere (TOML, see ``perfxl.config``);
2. the workbook's settings sheet ``设置`` — two columns, key and value: a threshold
   (``satisfaction_floor``), a rule code with a severity (``V08`` / ``info`` or ``off``),
   a list (``generic_indicators``, items separated by ``；`` or ``;``), or ``lang`` (zh/en).

The Python interpreter xlwings starts is not a perfxl setting: xlwings reads it from its
own ``xlwings.conf`` sheet or user file, which ``perfxl install`` writes (see docs/excel.md).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..config import Config, _DECIMALS, _INTS, _LISTS, config_from_dict, load_config
from ..errors import ConfigError
from ..io import is_form_sheet_name
from .port import WorkbookPort

FINDINGS_SHEET = "校验结果"
MARKS_SHEET = "_marks"
SUMMARY_SHEET = "汇总"
INDICATOR_SHEET = "指标明细"
SETTINGS_SHEET = "设置"
RULES_SHEET = "规则说明"
# The blank form sheet of the template that 新建项目表 copies, by name in this order.
BLANK_FORM_SHEETS = ("申报表", "空白申报表", "模板", "项目表")

_CODE = re.compile(r"^[A-Z]\d{2}$")


@dataclass(frozen=True)
class Settings:
    config: Config
    lang: str = "zh"
    source: str = ""  # where they came from, for messages


def user_config_path() -> Path:
    """Where the user settings file lives on this machine."""
    if os.environ.get("PERFXL_CONFIG"):
        return Path(os.environ["PERFXL_CONFIG"])
    if sys.platform.startswith("win") and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "perfxl" / "config.toml"
    return Path.home() / ".config" / "perfxl" / "config.toml"


def load_settings(port: WorkbookPort | None = None, config: Config | None = None) -> Settings:
    """The settings in force: ``config`` if given, else the user file; then the settings sheet."""
    if config is None:
        path = user_config_path()
        config = load_config(path) if path.is_file() else Config()
    if port is None or not port.has_sheet(SETTINGS_SHEET):
        return Settings(config)
    data, lang = settings_from_rows(port.read_grid(SETTINGS_SHEET).rows, port.name)
    return Settings(_merge(config, data, port.name), lang or "zh", SETTINGS_SHEET)


def settings_from_rows(rows: list[list[object]],
                       file: str = "") -> tuple[dict[str, Any], str | None]:
    """Key/value rows of the settings sheet → a ``config_from_dict`` dict and the language."""
    data: dict[str, dict[str, Any]] = {"thresholds": {}, "lists": {}, "severity": {}}
    lang = None
    for row in rows:
        key = str(row[0]).strip() if row and row[0] is not None else ""
        value = row[1] if len(row) > 1 else None
        if not key or value is None or str(value).strip() == "":
            continue
        if key.lower() == "lang":
            lang = "en" if str(value).strip().lower().startswith("en") else "zh"
        elif key in _DECIMALS or key in _INTS:
            data["thresholds"][key] = _number(value, key, file)
        elif key in _LISTS:
            parts = re.split("[;；,，、\n]", str(value))
            data["lists"][key] = [p.strip() for p in parts if p.strip()]
        elif _CODE.match(key.upper()):
            data["severity"][key.upper()] = str(value).strip().lower()
        # other rows (headings, explanations) are passed over
    return data, lang


def _number(value: object, key: str, file: str) -> object:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else str(value)
    text = str(value).strip().rstrip("%")
    try:
        float(text)
    except ValueError:
        raise ConfigError(
            f"设置“{key}”的值“{value}”不是数字", f"setting '{key}': '{value}' is not a number",
            file=file, sheet=SETTINGS_SHEET,
        ) from None
    return text


def _merge(base: Config, data: dict[str, Any], file: str) -> Config:
    """The base config with the sheet's entries on top."""
    sheet = config_from_dict(data, file)
    changes = {key: getattr(sheet, key) for key in data["thresholds"]}
    changes.update({key: getattr(sheet, key) for key in data["lists"]})
    severity = dict(base.severity)
    severity.update(sheet.severity)
    return replace(base, **changes, severity=severity)


def is_form_candidate(sheet: str) -> bool:
    """Could this sheet hold a form? (perfxl's own and auxiliary sheets cannot.)"""
    return is_form_sheet_name(sheet)


# -- perfxl install: the xlwings user config ------------------------------------------------
_CONF_ENTRY = re.compile(r'"([^"]*)"\s*,\s*"([^"]*)"')
USER_CONFIG_TEMPLATE = """\
# perfxl user settings (TOML). A workbook's 设置 sheet overrides these.
# [thresholds]
# satisfaction_floor = 80
# min_indicators = 3
# [severity]
# V08 = "info"      # or "off"
"""


def xlwings_conf_path() -> Path:
    """Where xlwings reads its user config (``~/.xlwings/xlwings.conf`` on Windows)."""
    return Path.home() / ".xlwings" / "xlwings.conf"


def windows_interpreter(executable: str | None = None) -> str:
    """The interpreter RunPython should start: ``pythonw.exe`` beside python.exe (no console)."""
    executable = executable or sys.executable
    quiet = Path(executable).with_name("pythonw.exe")
    return str(quiet) if quiet.exists() else executable


def merged_xlwings_conf(existing: str, entries: dict[str, str]) -> str:
    """An xlwings.conf text (``"KEY","VALUE"`` lines) with ``entries`` set, other lines kept."""
    wanted = {key.upper(): value for key, value in entries.items()}
    lines = []
    for line in existing.splitlines():
        match = _CONF_ENTRY.search(line)
        if match and match.group(1).upper() in wanted:
            continue
        if line.strip():
            lines.append(line)
    lines.extend(f'"{key}","{value}"' for key, value in wanted.items())
    return "\n".join(lines) + "\n"


def install_xlwings_conf(conf: Path, interpreter: str) -> str:
    """Point xlwings' RunPython at ``interpreter`` in ``conf``; returns the new text."""
    from ..io.atomic import atomic_write_text

    existing = conf.read_text(encoding="utf-8") if conf.is_file() else ""
    text = merged_xlwings_conf(existing, {"INTERPRETER_WIN": interpreter})
    atomic_write_text(conf, text)
    return text


def install_user_config(path: Path | None = None) -> Path | None:
    """Write a commented perfxl settings file if there is none; its path when written."""
    from ..io.atomic import atomic_write_text

    path = path or user_config_path()
    if path.exists():
        return None
    atomic_write_text(path, USER_CONFIG_TEMPLATE)
    return path
