"""``perfxl import``: published form text (or workbooks) → forms as JSON, or template sheets."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..formdict import form_to_dict
from ..io import read_forms
from ..money import format_yuan
from .common import lang_option


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the forms as JSON ({\"forms\": [...]}).")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write one template sheet per form into this .xlsx/.xlsm.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@lang_option
def command(files: tuple[Path, ...], as_json: bool, output: Path | None, force: bool, lang: str):
    """Read forms from published text (.txt) or workbooks and print or convert them.

    \b
    Example:
      perfxl import 申报表.txt --json > forms.json
      perfxl import 申报表.txt -o 申报表.xlsm
    """
    forms = [form for path in files for form in read_forms(path)]
    if output is not None:
        from ..io.formsheet import write_forms_workbook

        write_forms_workbook(forms, output, force=force)
        done = "已写入" if lang == "zh" else "written"
        click.echo(f"{done}: {output} ({len(forms)})", err=as_json)
    if as_json:
        payload = {"forms": [form_to_dict(form) for form in forms]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    elif output is None:
        _print_summary(forms, lang)


def _print_summary(forms, lang: str) -> None:
    from rich.console import Console
    from rich.table import Table

    zh = lang == "zh"
    table = Table(title="申报表" if zh else "forms")
    for header in (("项目名称", "project"), ("年度", "year"), ("年度资金申请总额", "annual request"),
                   ("指标数", "indicators"), ("来源", "source")):
        table.add_column(header[0] if zh else header[1])
    for form in forms:
        table.add_row(form.project.name, str(form.year or ""), format_yuan(form.funding.annual),
                      str(len(form.indicators)), str(form.source))
    Console().print(table)
