"""``perfxl demo``: the bundled published forms, imported, checked and totalled."""

from __future__ import annotations

from pathlib import Path

import click
from rich.cells import cell_len

from ..demo import SAMPLE_NAME, fresh_folder, run_demo
from .common import lang_option
from .output import print_findings


@click.command("demo")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Folder for the demo's files (default: a new ./perfxl-demo folder).")
@lang_option
def command(output: Path | None, lang: str):
    """Import the 7 bundled published forms (上海, 2023), check them and total their funding.

    Writes its files into a new folder it names and overwrites nothing else.

    \b
    Example:
      perfxl demo
      perfxl demo -o 演示 --lang en
    """
    folder = fresh_folder(output)
    result = run_demo(folder, lang)
    zh = lang == "zh"
    click.echo(("示例数据：" if zh else "sample data: ") + SAMPLE_NAME)
    print_findings(result.report, lang)
    click.echo("")
    click.echo("资金合计（元）" if zh else "funding totals (元)")
    for label, amount in result.totals(lang):
        click.echo(f"  {label}{' ' * (34 - cell_len(label))}{amount:>18}")
    click.echo("")
    click.echo(("已写入文件夹：" if zh else "files written to: ") + str(folder))
    for path in result.files:
        click.echo(f"  {path.name}")
