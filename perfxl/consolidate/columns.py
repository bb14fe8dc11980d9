"""The columns of the consolidation tables: one key, a Chinese and an English heading, a kind.

The DataFrames use the keys (English identifiers); sheets, CSV and the terminal use the
headings. ``kind`` says how a column is summed and shown: ``money`` (Decimal 元, summed
exactly), ``count`` (int, summed), ``date``, ``flag``, ``when`` (the F05 label of the
other years' money), ``number``, ``text``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..vocab import LEVEL1


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    kind: str = "text"

    def heading(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


# Money columns in the order of the form. `total` is the multi-year 项目资金总额 (rules.md
# C04, F05): summed only in its own column, never added to the annual figures.
MONEY = (
    Column("total", "项目资金总额", "project total (all years)", "money"),
    Column("fiscal", "财政资金", "fiscal funds (all years)", "money"),
    Column("other_total", "其他资金(总额)", "other funds (all years)", "money"),
    Column("annual", "年度资金申请总额", "annual request", "money"),
    Column("appropriation", "当年财政拨款", "appropriation", "money"),
    Column("carryover", "上年结转资金", "carry-over", "money"),
    Column("other_annual", "其他资金(年度)", "other funds (year)", "money"),
    Column("remaining", "其他年度资金", "other years' money", "money"),
)
MONEY_KEYS = tuple(c.key for c in MONEY)
SPENT_KEY = "spent"  # 实际支出: filled by the accountant, totalled live, never computed here
# The columns that describe one budget year (never mixed with `total`, `fiscal`, `other_total`).
ANNUAL_KEYS = ("annual", "appropriation", "carryover", "other_annual")
MULTI_YEAR_KEYS = ("total", "fiscal", "other_total")

# Indicator counts: total, by kind, by 一级 (with a bucket for names outside the vocabulary).
LEVEL1_KEYS = {"成本指标": "n_cost", "产出指标": "n_output", "效益指标": "n_outcome",
               "满意度指标": "n_satisfaction"}
assert tuple(LEVEL1_KEYS) == LEVEL1, "vocab.LEVEL1 changed: update LEVEL1_KEYS"
COUNTS = (
    Column("n_indicators", "指标数", "indicators", "count"),
    Column("n_quantitative", "定量指标", "quantitative", "count"),
    Column("n_qualitative", "定性指标", "qualitative", "count"),
    Column("n_cost", "成本指标", "cost", "count"),
    Column("n_output", "产出指标", "output", "count"),
    Column("n_outcome", "效益指标", "outcome", "count"),
    Column("n_satisfaction", "满意度指标", "satisfaction", "count"),
    Column("n_other_level1", "其他一级", "other 一级", "count"),
    Column("n_error", "错误", "errors", "count"),
    Column("n_warning", "警告", "warnings", "count"),
    Column("n_info", "提示", "info", "count"),
)
COUNT_KEYS = tuple(c.key for c in COUNTS)

PROJECT_COLUMNS = (
    Column("row", "序号", "no.", "count"),
    Column("name", "项目", "project"),  # not 项目名称: a header row with that label reads as a form
    Column("department", "主管部门", "department"),
    Column("unit", "实施单位", "implementing unit"),
    Column("year", "年度", "year", "count"),
    Column("nature", "项目性质", "nature"),
    Column("category", "项目类别", "category"),
    Column("start", "计划开始日期", "start", "date"),
    Column("end", "计划完成日期", "end", "date"),
    Column("multi_year", "跨年度", "multi-year", "flag"),
    *MONEY,
    Column("remaining_when", "其他年度资金属于", "other years are", "when"),
    # An input column: left blank for the accountant to fill at year end; 结转下年 reads it.
    Column(SPENT_KEY, "实际支出", "spent", "money"),
    *COUNTS,
    Column("counted", "计入合计", "counted", "count"),
    Column("duplicate_of", "重复（同第几行）", "duplicate of row", "count"),
    Column("file", "来源文件", "source file"),
    Column("sheet", "工作表", "sheet"),
    Column("cell", "单元格", "cell"),
)

INDICATOR_COLUMNS = (
    Column("row", "序号", "no.", "count"),
    Column("name", "项目", "project"),  # not 项目名称: a header row with that label reads as a form
    Column("department", "主管部门", "department"),
    Column("unit", "实施单位", "implementing unit"),
    Column("year", "年度", "year", "count"),
    Column("category", "项目类别", "category"),
    Column("level1", "一级指标", "level 1"),
    Column("level2", "二级指标", "level 2"),
    Column("indicator", "三级指标", "indicator"),
    Column("raw", "指标值", "target"),
    Column("kind", "类型", "kind"),
    Column("op", "运算符", "operator"),
    Column("number", "数值", "number", "number"),
    Column("target_unit", "计量单位", "unit"),
    Column("file", "来源文件", "source file"),
    Column("sheet", "工作表", "sheet"),
    Column("cell", "单元格", "cell"),
)

# What a group row of the subtotal tables holds besides its key.
GROUP_COLUMNS = (Column("forms", "项目数", "projects", "count"), *MONEY, *COUNTS)
GROUPINGS = {
    "department": Column("department", "主管部门", "department"),
    "category": Column("category", "项目类别", "category"),
    "nature": Column("nature", "项目性质", "nature"),
}

KIND_ZH = {"quantitative": "定量", "qualitative": "定性", "empty": "空", "malformed": "格式有误"}
KIND_EN = {"quantitative": "quantitative", "qualitative": "qualitative", "empty": "empty",
           "malformed": "malformed"}


def headings(columns, lang: str = "zh") -> list[str]:
    return [c.heading(lang) for c in columns]
