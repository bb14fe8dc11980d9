"""``perfxl validate``: check forms against the rule catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..config import load_config
from ..errors import PerfxlError
from ..io import read_forms
from ..report import Report
from ..rules import validate
from .common import EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, echo_error, lang_option
from .output import print_findings


@click.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="How to print the findings.")
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              help="A TOML settings file (thresholds, lists, severities).")
@click.option("--mark", "mark_path", type=click.Path(path_type=Path),
              help="Write a copy of the (single) workbook with faulty cells filled and noted.")
@click.option("--in-place", is_flag=True, help="With --mark: mark the input itself (a backup is written first).")
@click.option("--force", is_flag=True, help="Overwrite an existing --mark output.")
@lang_option
def command(files, fmt, config_path, mark_path, in_place, force, lang):
    """Check 申报表 forms (.xlsx, .xlsm, published .txt) and list what is wrong.

    Exit code 0: no error; 1: errors found; 2: an input could not be read.

    \b
    Example:
      perfxl validate 申报表.xlsx
      perfxl validate 申报表.txt --format json --lang en
      perfxl validate 申报表.xlsm --mark 申报表-已标记.xlsm
    """
    config = load_config(config_path)
    if mark_path is not None or in_place:
        return _mark(files, mark_path, in_place, force, lang, config, fmt)
    report, failures = Report(), []
    for path in files:
        try:
            report = report + validate(read_forms(path), config)
        except PerfxlError as exc:
            failures.append(exc)
    _print(report, failures, fmt, lang)
    if failures:
        return EXIT_UNREADABLE
    return EXIT_FINDINGS if report.has_errors else EXIT_OK


def _print(report: Report, failures: list[PerfxlError], fmt: str, lang: str) -> None:
    if fmt == "json":
        payload = report.to_dict()
        payload["unreadable"] = [
            {"file": e.file, "sheet": e.sheet, "cell": e.cell, "message": {"zh": e.zh, "en": e.en}}
            for e in failures
        ]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for error in failures:
        echo_error(error, lang)
    if report.forms or not failures:
        print_findings(report, lang)


def _mark(files, mark_path, in_place, force, lang, config, fmt):
    if len(files) != 1:
        raise click.UsageError("--mark / --in-place take exactly one workbook")
    from ..xl.headless import mark_file

    report = mark_file(files[0], mark_path, in_place=in_place, force=force, lang=lang,
                       config=config)
    _print(report, [], fmt, lang)
    return EXIT_FINDINGS if report.has_errors else EXIT_OK
