"""The carry-over core on the bundled 2023 forms: next-year forms, 结余 list, proposals."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from perfxl.errors import SpendingError
from perfxl.rollover import CONTINUES, ENDS, rollover, spread
from perfxl.rules.examples import example_form

MULTI_YEAR_SPENT = {"未来公园展厅运营项目": "10,000,000.00", "机关服务": D("2231300.00")}
SINGLE_YEAR = ("科创中心建设工作经费", "科创中心展厅运营项目", "信息化运维项目", "信息化建设项目",
               "缴纳残疾人就业保障金")


@pytest.fixture(scope="module")
def rolled(sample_forms):
    return rollover(sample_forms, MULTI_YEAR_SPENT, 2024)


def _by_name(forms):
    return {f.project.name: f for f in forms}


def test_exactly_the_two_multi_year_projects_continue(rolled):
    forms, report = rolled
    assert [f.project.name for f in forms] == ["未来公园展厅运营项目", "机关服务"]
    assert {f.year for f in forms} == {2024}
    assert [p.name for p in report.continuing] == ["未来公园展厅运营项目", "机关服务"]


def test_carryover_is_annual_minus_spent(rolled):
    forms = _by_name(rolled[0])
    assert forms["未来公园展厅运营项目"].funding.carryover == D("1219208.00")
    assert forms["机关服务"].funding.carryover == D("0.00")


def test_project_totals_unchanged_and_two_years_add_up(rolled, sample_forms):
    last = _by_name(sample_forms)
    for name, form in _by_name(rolled[0]).items():
        before = last[name].funding
        assert (form.funding.total, form.funding.fiscal, form.funding.other_total) == (
            before.total, before.fiscal, before.other_total)
        # The new money of the two years (当年财政拨款 + 其他资金) is the whole project's money.
        assert before.appropriation + form.funding.appropriation == before.fiscal
        assert (before.appropriation + before.other_annual + form.funding.appropriation
                + form.funding.other_annual) == before.total


def test_proposal_and_annual_request_of_the_park(rolled):
    funding = _by_name(rolled[0])["未来公园展厅运营项目"].funding
    assert funding.appropriation == D("11219208.00")
    assert funding.annual == D("12438416.00")  # 11,219,208.00 new + 1,219,208.00 carried over
    assert funding.annual == funding.appropriation + funding.carryover + funding.other_annual


def test_goals_and_indicators_copied_annual_goal_empty(rolled, sample_forms):
    last = _by_name(sample_forms)
    for name, form in _by_name(rolled[0]).items():
        assert form.project == last[name].project
        assert form.indicators == last[name].indicators
        assert form.goals.overall == last[name].goals.overall
        assert form.goals.annual == ""
        assert form.cells == {} and form.source.file == ""


def test_single_year_projects_listed_as_balance(sample_forms):
    spent = {**MULTI_YEAR_SPENT, "科创中心建设工作经费": "27,000,000.00", "科创中心展厅运营项目": "6,491,685.00",
             "信息化运维项目": "600,000.50", "信息化建设项目": "0", "缴纳残疾人就业保障金": "148000"}
    _, report = rollover(sample_forms, spent, 2024)
    balances = {p.name: p.balance for p in report.ending}
    assert balances == {
        "科创中心建设工作经费": D("315700.00"), "科创中心展厅运营项目": D("0.00"),
        "信息化运维项目": D("85889.50"), "信息化建设项目": D("250000.00"),
        "缴纳残疾人就业保障金": D("0.00"),
    }
    assert all(p.carryover is None and p.proposal is None for p in report.ending)
    assert report.totals()["balance"] == D("651589.50")


def test_single_year_projects_without_figures_have_unknown_balance(rolled):
    _, report = rolled
    assert [p.name for p in report.ending] == list(SINGLE_YEAR)
    assert all(p.status == ENDS and p.balance is None for p in report.ending)
    kinds = {p.name: [n.kind for n in p.notes] for p in report.ending}
    assert all(k == ["no_spending_balance"] for k in kinds.values())


def test_report_lines(rolled):
    _, report = rolled
    park = next(p for p in report.projects if p.name == "未来公园展厅运营项目")
    assert (park.status, park.annual, park.spent, park.carryover, park.balance, park.proposal) == (
        CONTINUES, D("11219208.00"), D("10000000.00"), D("1219208.00"), None, D("11219208.00"))
    assert park.schedule == ((2024, D("11219208.00")),)
    assert [n.kind for n in park.notes] == ["proposal"]
    assert "2024年 11,219,208.00" in park.notes[0].message_zh
    assert report.totals()["carryover"] == D("1219208.00")
    assert report.totals()["annual"] == D("48341783.00")


def test_overspend_is_a_finding_and_carries_nothing(sample_forms):
    spent = {"未来公园展厅运营项目": "11,219,208.01", "机关服务": "2,231,300.00"}
    forms, report = rollover(sample_forms, spent, 2024)
    assert _by_name(forms)["未来公园展厅运营项目"].funding.carryover == D("0.00")
    park = next(p for p in report.projects if p.name == "未来公园展厅运营项目")
    (note,) = [n for n in park.notes if n.kind == "overspend"]
    assert note.severity == "warning"
    assert "0.01" in note.message_zh and "超支" in note.message_zh


def test_missing_figure_leaves_carryover_blank(sample_forms):
    forms, report = rollover(sample_forms, {"机关服务": "2231300"}, 2024)
    park = _by_name(forms)["未来公园展厅运营项目"].funding
    assert park.carryover is None
    assert park.annual == park.appropriation == D("11219208.00")
    assert "no_spending" in [n.kind for p in report.continuing for n in p.notes]


def test_unknown_project_in_mapping_is_refused(sample_forms):
    with pytest.raises(SpendingError) as caught:
        rollover(sample_forms, {"未来公园展厅": "1.00"}, 2024)
    assert "未来公园展厅" in caught.value.zh and "row 1" in caught.value.en


# ----------------------------------------------------------------------------- proposals


def test_spread_rounds_to_the_fen_and_last_year_takes_the_rest():
    assert spread(D("10.00"), [2024, 2025, 2026]) == (
        (2024, D("3.33")), (2025, D("3.33")), (2026, D("3.34")))
    assert spread(D("0.02"), [2024, 2025, 2026]) == (
        (2024, D("0.00")), (2025, D("0.00")), (2026, D("0.02")))
    assert spread(D("0.03"), [2024, 2025, 2026, 2027, 2028])[-1] == (2028, D("0.03"))
    schedule = spread(D("1000000.01"), [2024, 2025])
    assert sum(a for _, a in schedule) == D("1000000.01")


def _three_year_form(**funding):
    base = {"total": "3,000,000.00", "fiscal": "2,700,000.00", "other_total": "300,000.00",
            "annual": "1,000,000.00", "appropriation": "900,000.00", "carryover": "0.00",
            "other_annual": "100,000.00"}
    return example_form({"project": {"end": "2025-12-31"}, "funding": {**base, **funding},
                         "goals": {"overall": "三年内完成社区养老服务设施运营补贴。"}})


def test_three_year_project_spreads_the_rest_over_two_years():
    form = (_three_year_form(fiscal="2,700,000.01", total="3,000,000.01"))
    forms, report = rollover([form], {form.project.name: "400,000.00"}, 2024)
    (new,) = forms
    assert report.continuing[0].schedule == ((2024, D("900000.00")), (2025, D("900000.01")))
    assert new.funding.appropriation == D("900000.00")
    assert new.funding.other_annual == D("100000.00")
    assert new.funding.carryover == D("600000.00")
    assert new.funding.annual == D("1600000.00")


def test_middle_year_uses_last_years_form_as_history():
    last = _three_year_form(appropriation="1,200,000.00", annual="1,300,000.00")
    this = replace(_three_year_form(appropriation="600,000.00", annual="1,000,000.00",
                                    carryover="300,000.00"), year=2024)
    _, report = rollover([this], {this.project.name: "1,000,000.00"}, 2025, history=[last])
    entry = report.continuing[0]
    # 2,700,000.00 − 1,200,000.00 (2023) − 600,000.00 (2024) is left for 2025.
    assert entry.proposal == D("900000.00")
    assert entry.carryover == D("0.00")
    assert [n.kind for n in entry.notes] == ["proposal"]


def test_middle_year_without_history_says_what_it_assumed():
    this = replace(_three_year_form(appropriation="600,000.00", annual="1,000,000.00",
                                    carryover="300,000.00"), year=2024)
    _, report = rollover([this], {this.project.name: "1,000,000.00"}, 2025)
    entry = report.continuing[0]
    assert entry.proposal == D("1500000.00")  # 2,700,000.00 − 600,000.00 × 2
    assert "assumed_history" in [n.kind for n in entry.notes]


def test_over_appropriated_project_gets_zero_and_a_finding():
    form = _three_year_form(appropriation="2,800,000.00", annual="2,900,000.00")
    _, report = rollover([form], {form.project.name: "0"}, 2024)
    entry = report.continuing[0]
    assert entry.proposal == D("0.00")
    assert "over_appropriated" in [n.kind for n in entry.notes]


def test_forms_of_another_year_are_skipped(sample_forms):
    other = replace(sample_forms[0], year=2022)
    forms, report = rollover([other, *sample_forms[1:]], MULTI_YEAR_SPENT, 2024)
    assert len(forms) == 2
    assert report.projects[0].status == "skipped"
    assert "2022" in report.projects[0].notes[0].message_zh
