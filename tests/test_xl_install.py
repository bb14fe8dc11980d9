"""``perfxl install``: the xlwings user config on Windows, an explanation elsewhere."""

from __future__ import annotations

import sys

from click.testing import CliRunner

from perfxl.cli.install import command
from perfxl.config import load_config
from perfxl.xl.settings import merged_xlwings_conf


def test_merging_keeps_other_entries_and_replaces_the_interpreter():
    existing = '"INTERPRETER_WIN","C:\\old\\python.exe"\n"LICENSE_KEY","abc"\n\n"UDF MODULES","mine"\n'
    merged = merged_xlwings_conf(existing, {"interpreter_win": "C:\\new\\pythonw.exe"})
    assert merged == ('"LICENSE_KEY","abc"\n"UDF MODULES","mine"\n'
                      '"INTERPRETER_WIN","C:\\new\\pythonw.exe"\n')


def test_on_windows_it_writes_the_xlwings_user_config_and_a_settings_file(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData"))
    monkeypatch.delenv("PERFXL_CONFIG", raising=False)
    conf = tmp_path / ".xlwings" / "xlwings.conf"
    conf.parent.mkdir()
    conf.write_text('"LICENSE_KEY","abc"\n', encoding="utf-8")
    result = CliRunner().invoke(command, ["--interpreter", "C:\\Py311\\pythonw.exe"])
    assert result.exit_code == 0, result.output
    assert conf.read_text(encoding="utf-8") == '"LICENSE_KEY","abc"\n"INTERPRETER_WIN","C:\\Py311\\pythonw.exe"\n'
    settings = tmp_path / "AppData" / "perfxl" / "config.toml"
    assert load_config(settings).min_indicators == 3  # a valid, commented-out file
    assert f"已写入 {conf}" in result.output and str(settings) in result.output
    again = CliRunner().invoke(command, ["--interpreter", "C:\\Py311\\pythonw.exe"])
    assert "已存在，未改动" in again.output


def test_elsewhere_it_explains_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("HOME", str(tmp_path))
    result = CliRunner().invoke(command, ["--lang", "en"])
    assert result.exit_code == 0
    assert "There is no Excel on this system" in result.output
    assert list(tmp_path.iterdir()) == []
