"""The 校验结果 sheet: a count line, a header, one row per finding with a link to its cell.

The whole table goes out in one write; the links are ``HYPERLINK`` formulas inside it, so
no call per finding is needed.
"""

from __future__ import annotations

from typing import Sequence

from ..report import Finding, Report
from .port import Formula, WorkbookPort
from .settings import FINDINGS_SHEET

HEADER = {
    "zh": ["工作表", "单元格", "规则", "严重程度", "问题", "修改建议", "项目"],
    "en": ["Sheet", "Cell", "Rule", "Severity", "Problem", "Fix", "Project"],
}


def count_line(report: Report, scope: str, lang: str) -> str:
    counts = report.counts()
    if lang == "zh":
        return (f"共 {len(report.findings)} 条：错误 {counts['error']}，警告 {counts['warning']}，"
                f"提示 {counts['info']}（{scope}，{report.forms} 张申报表）")
    return (f"{len(report.findings)} findings: {counts['error']} errors, {counts['warning']} warnings, "
            f"{counts['info']} info ({scope}, {report.forms} forms)")


def link(sheet: str, cell: str) -> Formula | str:
    """A formula that jumps to ``sheet!cell`` and shows the address."""
    if not sheet or not cell:
        return cell or ""
    target = "'" + sheet.replace("'", "''") + "'!" + cell
    return Formula('=HYPERLINK("#' + target.replace('"', '""') + '","' + cell + '")')


def finding_row(finding: Finding, lang: str) -> list[object]:
    return [
        finding.sheet,
        link(finding.sheet, finding.cell),
        finding.code,
        finding.severity_label(lang),
        finding.message(lang),
        finding.fix(lang),
        finding.form,
    ]


def table(report: Report, scope: str, lang: str) -> list[Sequence[object]]:
    rows: list[Sequence[object]] = [[count_line(report, scope, lang)], HEADER[lang]]
    rows.extend(finding_row(f, lang) for f in report.findings)
    return rows


def rewrite(port: WorkbookPort, report: Report, scope: str, lang: str = "zh") -> None:
    """Rewrite 校验结果 (added at the end when the workbook has none)."""
    port.replace_sheet(FINDINGS_SHEET, table(report, scope, lang))
