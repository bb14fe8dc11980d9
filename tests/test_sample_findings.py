"""The core issue's acceptance list, checked on the seven published forms."""

from __future__ import annotations

from perfxl.rules import validate


def findings(sample_forms):
    return validate(sample_forms).findings


def at(sample_forms, code, form):
    return [f for f in findings(sample_forms) if f.code == code and f.form == form]


def test_wrong_level1_is_an_error_at_its_cell(sample_forms):
    (e04,) = at(sample_forms, "E04", "未来公园展厅运营项目")
    assert e04.severity == "error" and e04.cell == "R47C2" and "社会效益指标" in e04.message_zh


def test_satisfaction_without_operator(sample_forms):
    (v02,) = at(sample_forms, "V02", "科创中心建设工作经费")
    assert v02.cell == "R21C5" and "95(%)" in v02.message_zh


def test_trivially_met_target(sample_forms):
    (v05,) = at(sample_forms, "V05", "科创中心展厅运营项目")
    assert "展厅每日巡检次数" in v05.message_zh


def test_loose_ceiling_on_a_failure_rate_only_where_it_is_loose(sample_forms):
    (v06,) = at(sample_forms, "V06", "信息化建设项目")
    assert "系统故障率" in v06.message_zh and v06.cell == "R148C5"
    assert at(sample_forms, "V06", "信息化运维项目") == []


def test_generic_indicators(sample_forms):
    names = {f.message_zh for f in at(sample_forms, "I05", "科创中心建设工作经费")}
    assert any("项目完成率" in n for n in names)


def test_the_arithmetic_of_all_seven_forms_is_right(sample_forms):
    assert [f for f in findings(sample_forms) if f.code[0] == "F" and f.severity == "error"] == []


def test_no_finding_from_the_extraction_damage(sample_forms):
    shifted = {"R104C2", "R104C4", "R107C1", "R107C2", "R107C3", "R107C4", "R108C3", "R108C4",
               "R128C4", "R128C5", "R128C6", "R129C3", "R129C5", "R131C1", "R131C2", "R131C3",
               "R131C4", "R163C3", "R163C4"}
    structural = {"E03", "E04", "E05", "I02", "P03", "P05", "F01", "F02", "F06"}
    assert [(f.code, f.cell) for f in findings(sample_forms)
            if f.cell in shifted and f.code in structural] == []
    assert [f.code for f in findings(sample_forms) if f.form == "机关服务" and f.code in structural] == []
