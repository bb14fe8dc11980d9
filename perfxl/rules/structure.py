"""P — what the parser could not find (rules.md P05); reported so other rules can be skipped."""

from __future__ import annotations

from .base import INFO, WARNING, Hit, rule


@rule(
    code="P05",
    name="structure.incomplete",
    severity=INFO,
    message_zh="表格不完整：没有找到绩效指标表（一级指标/二级指标/三级指标），依赖指标的规则未检查",
    message_en="incomplete form: no indicator table (一级/二级/三级指标) found; indicator rules were skipped",
    fix_zh="补全绩效指标表，或确认此表是否为完整的申报表。",
    fix_en="Add the indicator table, or check whether this is a complete declaration form.",
    source="[O] truncated published forms (rules.md P05)",
    bad={"indicators": [], "no_indicator_block": True},
    good={},
)
def incomplete(form, config):
    if not form.has_indicator_block:
        yield Hit("project.name")


@rule(
    code="P09",
    name="structure.uncalculated_formula",
    severity=WARNING,
    message_zh="此单元格是公式，但文件保存时没有计算结果，perfxl 只能按空白读取",
    message_en="this cell holds a formula saved without its value; perfxl can only read it as blank",
    fix_zh="在 Excel（或 WPS、LibreOffice）中打开该文件并保存一次，使公式算出结果；或直接填写数值。",
    fix_en="Open and save the file once in Excel (or WPS, LibreOffice) so the formula is calculated, "
           "or type the value.",
    source="[O] workbooks written by programs that do not calculate (openpyxl, exports)",
    bad={"uncalculated": ["funding.annual"]},
    good={},
)
def uncalculated_formula(form, config):
    for path in form.uncalculated:
        if path.startswith("indicator:"):
            yield Hit("value", indicator=form.indicators[int(path.split(":")[1])])
        else:
            yield Hit(path)
