"""The seven published forms (上海推进科技创新中心建设办公室, 2023), read from their PDF text.

Expected values are copied from the published forms as printed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from perfxl.formdict import remaining_of

DEPT = "上海推进科技创新中心建设办公室"
PRINTED = [
    # name, nature, category, start, end, annual, total, indicators
    ("科创中心建设工作经费", "其他经常性项目", "特定目标类", "2023-01-01", "2023-12-31", "27,315,700.00", None, 5),
    ("未来公园展厅运营项目", "其他经常性项目", "特定目标类", "2023-01-01", "2024-12-31", "11,219,208.00", "22,438,416.00", 14),
    ("科创中心展厅运营项目", "其他经常性项目", "特定目标类", "2023-01-01", "2023-12-31", "6,491,685.00", None, 14),
    ("机关服务", "其他经常性项目", "特定目标类", "2023-01-01", "2024-12-31", "2,231,300.00", "4,462,600.00", 12),
    ("信息化运维项目", "其他经常性项目", "其他运转类", "2023-01-01", "2023-12-31", "685,890.00", None, 8),
    ("信息化建设项目", "其他一次性项目", "特定目标类", "2023-01-01", "2023-12-31", "250,000.00", None, 5),
    ("缴纳残疾人就业保障金", "其他经常性项目", "其他人员类", "2023-01-01", "2023-12-31", "148,000.00", None, 5),
]


def money(text):
    return None if text is None else Decimal(text.replace(",", ""))


def test_seven_forms_with_their_indicator_counts(sample_forms):
    assert [len(f.indicators) for f in sample_forms] == [5, 14, 14, 12, 8, 5, 5]
    assert sum(len(f.indicators) for f in sample_forms) == 63


@pytest.mark.parametrize("index", range(7))
def test_project_fields_as_printed(sample_forms, index):
    form = sample_forms[index]
    name, nature, category, start, end, annual, total, _ = PRINTED[index]
    p = form.project
    assert (p.name, p.nature, p.category, p.department, p.unit) == (name, nature, category, DEPT, DEPT)
    assert (p.start, p.end) == (dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    assert form.year == 2023
    f = form.funding
    assert f.annual == f.appropriation == money(annual)
    assert f.carryover == f.other_annual == Decimal("0")
    assert f.total == money(total)
    assert f.fiscal == money(total)
    assert f.other_total == (Decimal(0) if total else None)
    assert f.unit == "元"


def test_annual_requests_sum_to_the_published_total(sample_forms):
    total = sum(f.funding.annual for f in sample_forms)
    assert total == Decimal("48341783.00")


def test_multi_year_forms_have_their_remaining_money(sample_forms):
    rest = {f.project.name: remaining_of(f) for f in sample_forms}
    assert rest["未来公园展厅运营项目"].amount == Decimal("11219208.00")
    assert rest["机关服务"].amount == Decimal("2231300.00")
    assert rest["未来公园展厅运营项目"].when == "later"
    assert [n for n, r in rest.items() if r is not None] == ["未来公园展厅运营项目", "机关服务"]


def test_shifted_rows_are_read_by_vocabulary(sample_forms):
    service = sample_forms[3]  # 机关服务: rows shifted left and right by the PDF extraction
    rows = {i.name: (i.level1, i.level2, i.raw) for i in service.indicators}
    assert rows["辅助人员经费拨付及时性"] == ("产出指标", "时效指标", "=100(%)")
    assert rows["公务用车使用者的满意度"] == ("满意度指标", "服务对象满意度指标", "≥95(%)")
    assert rows["就餐者满意度"] == ("满意度指标", "服务对象满意度指标", "≥95(%)")
    ops = {i.name: (i.level2, i.raw) for i in sample_forms[4].indicators}  # 信息化运维项目
    assert ops["系统更新升级及时率"] == ("时效指标", "≥90.00(%)")
    assert ops["更新响应"] == ("时效指标", "≤24.00(小时)")


def test_wrong_level1_is_kept_as_written(sample_forms):
    park = sample_forms[1]
    social = [i for i in park.indicators if i.name in ("展厅正常运营情况", "参观人数")]
    assert {(i.level1, i.level2) for i in social} == {("社会效益指标", "社会效益指标")}
    assert social[0].ref("level1") == social[1].ref("level1")  # one merged cell


def test_goals_and_their_period(sample_forms):
    park, service = sample_forms[1], sample_forms[3]
    assert park.goals.overall_period == (2023, 2024) and park.goals.overall == ""
    assert park.goals.annual.startswith("有效发挥未来公园展示功能，培育创新交流氛围")
    assert service.goals.overall.startswith("1. 通过购买若干名机关办公后勤辅助人员")
    assert service.goals.overall == service.goals.annual


def test_the_other_funds_cells_are_told_apart_by_position(sample_forms):
    last = sample_forms[6]  # its two 其他资金 labels are shifted one column
    assert last.funding.other_total is None and last.funding.other_annual == Decimal(0)
    assert last.cells["funding.other_annual"].cell == "R163C5"
    building = sample_forms[5]  # only the annual 其他资金 label is printed
    assert building.funding.other_annual == Decimal(0) and building.funding.other_total is None


def test_every_field_remembers_its_cell(sample_forms):
    first = sample_forms[0]
    assert first.cells["project.name"].cell == "R7C2"
    assert first.cells["funding.annual"].cell == "R10C5"
    assert first.indicators[4].ref("value").cell == "R21C5"
    assert first.source.file.endswith("shanghai-kcb-2023.txt")


def test_a_value_named_like_the_title_does_not_split_the_form():
    """Found by hypothesis: 实施单位 called 绩效目标申报表 once started a second form."""
    from perfxl.rules.examples import example_form

    form = example_form({"project": {"unit": "绩效目标申报表"}})
    assert form.project.unit == "绩效目标申报表"
    assert form.funding.annual == Decimal("1200000.00") and len(form.indicators) == 6
