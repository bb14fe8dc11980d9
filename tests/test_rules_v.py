"""V family (indicator values) on the real sample, with office thresholds, and its name tests."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfxl.config import Config, config_from_dict
from perfxl.rules import check_form, registry, validate
from perfxl.rules.examples import example_form
from perfxl.rules.values import NEGATIVE_KEYWORDS, POSITIVE_KEYWORDS, direction, unit_known
from perfxl.rules.values_more import is_vague

V_CODES = [code for code in registry() if code.startswith("V")]


def _v_findings(forms, config=None):
    report = validate(forms, config)
    return [(f.code, f.severity, f.form, f.cell) for f in report.findings if f.code.startswith("V")]


def _value_cell(forms, project, name):
    (form,) = [f for f in forms if f.project.name == project]
    (ind,) = [i for i in form.indicators if i.name == name]
    return ind.ref("value").cell


def test_catalogue_has_v01_to_v13():
    assert V_CODES == [f"V{n:02d}" for n in range(1, 14)]  # V14: no 正向/反向 column


def test_sample_v_findings(sample_forms):
    """The three value problems of the 7 real forms, each at its value cell; nothing else."""
    expected = [
        ("V02", "warning", "科创中心建设工作经费",
         _value_cell(sample_forms, "科创中心建设工作经费", "项目管理者满意度")),
        ("V05", "warning", "科创中心展厅运营项目",
         _value_cell(sample_forms, "科创中心展厅运营项目", "展厅每日巡检次数")),
        ("V06", "warning", "信息化建设项目",
         _value_cell(sample_forms, "信息化建设项目", "系统故障率")),
    ]
    assert _v_findings(sample_forms) == expected


def test_sample_values_behind_the_findings(sample_forms):
    by_project = {f.project.name: {i.name: i.raw for i in f.indicators} for f in sample_forms}
    assert by_project["科创中心建设工作经费"]["项目管理者满意度"] == "95(%)"
    assert by_project["科创中心展厅运营项目"]["展厅每日巡检次数"] == "≥0.00(次)"
    assert by_project["信息化建设项目"]["系统故障率"] == "≤95.00(%)"
    assert by_project["信息化运维项目"]["系统故障率"] == "≤5.00(%)"  # tight: no finding


def test_negative_rate_ceiling_is_configurable(sample_forms):
    loose = Config(negative_rate_ceiling=Decimal(96))
    assert "V06" not in {code for code, *_ in _v_findings(sample_forms, loose)}
    strict = config_from_dict({"thresholds": {"negative_rate_ceiling": 4}})
    found = _v_findings(sample_forms, strict)
    flagged = [(form, sev) for code, sev, form, _ in found if code == "V06"]
    assert ("信息化运维项目", "warning") in flagged  # 系统故障率 ≤5.00(%) now above the ceiling
    assert len(flagged) == 3  # and 故障重复发生率 ≤5.00(%) of 信息化建设项目


def test_satisfaction_floors_are_configurable(sample_forms):
    assert not [c for c, *_ in _v_findings(sample_forms) if c == "V08"]
    floors = {"satisfaction_floor": 92, "satisfaction_info_floor": 96}
    config = config_from_dict({"thresholds": floors})
    found = [(s, form) for code, s, form, _ in _v_findings(sample_forms, config) if code == "V08"]
    # ≥90.00 (信息化建设项目), ≥90.00 (缴纳…满意率) fall below 92; every ≥95 below 96.
    assert ("warning", "信息化建设项目") in found
    assert ("warning", "缴纳残疾人就业保障金") in found
    assert ("info", "机关服务") in found
    assert {sev for sev, _ in found} == {"warning", "info"}


def test_severity_override_and_off(sample_forms):
    config = config_from_dict({"severity": {"V06": "error", "V05": "off"}})
    found = _v_findings(sample_forms, config)
    assert ("V06", "error") in [(c, s) for c, s, *_ in found]
    assert "V05" not in [c for c, *_ in found]


@pytest.mark.parametrize(
    "name, raw, level2",
    [
        ("设备验收合格率", "二100百分比", "质量指标"),
        ("设备验收合格率", "≥百分之九十五", "质量指标"),
        ("设备验收合格率", "88100", "质量指标"),
        ("道路修缮长度", "985米", "数量指标"),
        ("服务人数", "≥500", "数量指标"),
        ("课程开设数", "≥12(堂课)", "数量指标"),
        ("设备验收合格率", "≥90%以上", "质量指标"),
        ("道路修缮长度", "≥985(M)", "数量指标"),
        ("设备验收合格率", "≥95(百分比)", "质量指标"),
        ("政策知晓率", "≥292(%)", "社会效益指标"),
        ("服务能力", "≥150(%)", "社会效益指标"),
        ("展厅每日巡检次数", "≥0.00(次)", "数量指标"),
        ("设备验收合格率", "≤100(%)", "质量指标"),
        ("出差单位成本", "=0(万元/人)", "经济成本指标"),
        ("系统故障率", "≥5(%)", "质量指标"),
        ("系统故障率", "≤95(%)", "质量指标"),
        ("档案存储设施稳定运行率", "≤99%", "质量指标"),
        ("老年人满意度", "≥70(%)", "服务对象满意度指标"),
        ("老年人满意度", "≥82(%)", "服务对象满意度指标"),
        ("老年人满意度", "=100(%)", "服务对象满意度指标"),
        ("居民生活环境", "有所改善", "社会效益指标"),
        ("设备验收合格率", "≥95.000(%)", "质量指标"),
        ("设备验收合格率", "=1,000(%)", "质量指标"),
        ("设备验收合格率", "≥**%", "质量指标"),
        ("系统上线时间", "2023年6月31日前", "时效指标"),
        ("工单处理时长", "3个工作日内", "时效指标"),
        ("参观人次", "≥300(人/次)", "数量指标"),
        ("业务工作支出安排金额", "≤28.8(%)", "经济成本指标"),
    ],
)
def test_every_message_variant_renders(name, raw, level2):
    level1 = {"数量指标": "产出指标", "质量指标": "产出指标", "时效指标": "产出指标",
              "社会效益指标": "效益指标", "服务对象满意度指标": "满意度指标",
              "经济成本指标": "成本指标"}[level2]
    form = example_form({"add_indicators": [
        {"level1": level1, "level2": level2, "name": name, "raw": raw}]})
    found = [f for f in check_form(form, only=V_CODES)]
    assert found, raw
    value_cell = form.indicators[-1].ref("value").cell
    for finding in found:
        assert finding.cell == value_cell
        for text in (finding.message_zh, finding.message_en, finding.fix_zh, finding.fix_en):
            assert "{" not in text and "}" not in text, (finding.code, text)
        assert raw in finding.message_zh or name in finding.message_zh


def test_excel_serial_in_a_timing_indicator_is_reported_once():
    """44,561 (2021-12-31) is D08's finding; no V rule reports the same cell again."""
    form = example_form({"add_indicators": [
        {"level1": "产出指标", "level2": "时效指标", "name": "系统上线时间", "raw": "44,561"}]})
    cell = form.indicators[-1].ref("value").cell
    at_cell = [f.code for f in check_form(form) if f.cell == cell]
    assert at_cell == ["D08"]


@pytest.mark.parametrize("level2, name, reported", [
    ("数量指标", "系统上线日期", True), ("数量指标", "系统上线时间", True),
    ("数量指标", "整改时限", True), ("数量指标", "申报截止", True),
    ("时效指标", "完成", True), ("数量指标", "培训人次", False), ("质量指标", "时效", False),
])
def test_an_excel_serial_is_looked_for_in_timing_indicators_only(level2, name, reported):
    form = example_form({"add_indicators": [
        {"level1": "产出指标", "level2": level2, "name": name, "raw": "44561"}]})
    cell = form.indicators[-1].ref("value").cell
    assert ("D08" in [f.code for f in check_form(form) if f.cell == cell]) is reported


@pytest.mark.parametrize(
    "name, side",
    [
        ("系统故障率", "lower"), ("故障重复发生率", "lower"), ("卫生安全事故发生率", "lower"),
        ("平均响应时间", "lower"), ("出差单位成本", "lower"), ("产品不合格率", "lower"),
        ("安全事故数", "lower"), ("群众不满意率", "lower"),
        ("验收通过率", "higher"), ("项目完成及时性", "higher"), ("成本节约率", "higher"),
        ("物业费用支付及时率", "higher"), ("投诉处理率", "higher"), ("使用人员满意度", "higher"),
        ("成本控制率", None), ("安全事故应急处置演练次数", None), ("更新响应", None),
        ("参观人数", None),
    ],
)
def test_direction_of_names(name, side):
    assert direction(name) == side


def test_keyword_lists_do_not_overlap():
    assert not set(NEGATIVE_KEYWORDS) & set(POSITIVE_KEYWORDS)


@pytest.mark.parametrize(
    "text, vague",
    [("提升", True), ("有所改善", True), ("明显提升", True), ("长远", True), ("降低", True),
     ("效果明显", True), ("较好", False), ("全年正常运营", False), ("可控", False),
     ("按时完成", False), ("有效", False), ("达成年度指标", False), ("不超预算", False)],
)
def test_vague_qualitative(text, vague):
    assert is_vague(text) is vague


@pytest.mark.parametrize(
    "unit, known",
    [("%", True), ("次", True), ("万元", True), ("元/人", True), ("元/平方米", True),
     ("万册", True), ("个月", True), ("个工作日", True), ("场次", True), ("人次/年", True),
     ("°C", True), ("堂课", False), ("%以上", False), ("百分比", False), ("M", False),
     ("万", False)],
)
def test_known_units(unit, known):
    assert unit_known(unit) is known
