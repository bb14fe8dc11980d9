"""P — what the parser could not find (rules.md P05); reported so other rules can be skipped."""

from __future__ import annotations

from .base import INFO, Hit, rule


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
