"""Terminal output shared by commands: the findings table and its count line."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..report import Report

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def print_findings(report: Report, lang: str, console: Console | None = None) -> None:
    console = console or Console(soft_wrap=False)
    zh = lang == "zh"
    if report.findings:
        table = Table(show_lines=False, expand=False)
        for zh_head, en_head in (("级别", "severity"), ("代码", "code"), ("项目", "project"),
                                 ("位置", "cell"), ("问题", "message"), ("修改建议", "fix")):
            table.add_column(zh_head if zh else en_head, overflow="fold")
        for finding in report.findings:
            place = f"{finding.sheet}!{finding.cell}" if finding.sheet else finding.cell
            table.add_row(
                Text(finding.severity_label(lang), style=_STYLE[finding.severity]),
                finding.code, finding.form, place, finding.message(lang), finding.fix(lang),
            )
        console.print(table)
    counts = report.counts()
    if zh:
        line = (f"{report.forms} 张表：错误 {counts['error']}，警告 {counts['warning']}，"
                f"提示 {counts['info']}")
    else:
        line = (f"{report.forms} forms: {counts['error']} errors, {counts['warning']} warnings, "
                f"{counts['info']} info")
    console.print(line)
