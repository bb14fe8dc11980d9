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
@click.option("--last-year", "last_year", type=click.Path(path_type=Path),
              help="Last year's workbook: check 上年结转资金 and 项目资金总额 against it (C05, C06).")
@click.option("--spent", "spent", type=click.Path(path_type=Path),
              help="With --last-year: last year's spending (实际支出) as CSV or workbook.")
@lang_option
def command(files, fmt, config_path, mark_path, in_place, force, last_year, spent, lang):
    """Check 申报表 forms (.xlsx, .xlsm, published .txt) and list what is wrong.

    Exit code 0: no error; 1: errors found; 2: an input could not be read.

    \b
    Example:
      perfxl validate 申报表.xlsx
      perfxl validate 申报表.txt --format json --lang en
      perfxl validate 申报表.xlsm --mark 申报表-已标记.xlsm
      perfxl validate 2024.xlsx --last-year 2023.xlsx --spent 2023执行数.csv
    """
    config = load_config(config_path)
    if mark_path is not None or in_place:
        return _mark(files, mark_path, in_place, force, lang, config, fmt)
    report, failures, forms = Report(), [], []
    for path in files:
        try:
            read = read_forms(path)
        except PerfxlError as exc:
            failures.append(exc)
            continue
        forms.extend(read)
        report = report + validate(read, config)
    if last_year is not None:
        from ..rollover import validate_against_last_year

        across = validate_against_last_year(forms, last_year, spent, config)
        report = Report(report.findings + across.findings, report.forms)
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
