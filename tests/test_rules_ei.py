"""Rules E (classification) and I (indicator set) on the real sample forms and with settings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfxl.config import Config, config_from_dict
from perfxl.rules import check_form, validate
from perfxl.rules.classification import canonical_unit_name, effective_level1
from perfxl.rules.examples import example_form
from perfxl.rules.indicators_context import goal_sentences

E_AND_I = [f"E0{n}" for n in range(1, 9)] + [f"I{n:02d}" for n in range(1, 12)]


@pytest.fixture(scope="module")
def findings(sample_forms):
    return validate(sample_forms, only=E_AND_I).findings


def _of(findings, form, code):
    return [f for f in findings if f.form == form and f.code == code]


def test_e04_on_the_effect_block_written_as_social_effect(sample_forms, findings):
    form = next(f for f in sample_forms if f.label == "未来公园展厅运营项目")
    level1_cell = next(i for i in form.indicators if i.level1 == "社会效益指标").ref("level1")
    (finding,) = _of(findings, "未来公园展厅运营项目", "E04")
    assert (finding.severity, finding.cell) == ("error", level1_cell.cell)
    assert "社会效益指标" in finding.message_zh and "效益指标" in finding.message_zh
    assert [f.code for f in findings if f.code == "E04"] == ["E04"]  # nowhere else


def test_i05_names_the_generic_indicators(findings):
    names = {f.values["name"] for f in _of(findings, "科创中心建设工作经费", "I05")}
    assert names == {"项目完成率", "项目目标实现率", "项目完成及时性"}
    assert all(f.severity == "warning" for f in findings if f.code == "I05")


@pytest.mark.parametrize("project", ["机关服务", "信息化运维项目"])
def test_rows_shifted_by_pdf_extraction_give_no_classification_finding(findings, project):
    codes = {f.code for f in findings if f.form == project}
    assert not codes & {"E03", "E04", "E05", "I02", "I06"}


def test_i08_flags_the_official_car_satisfaction_row(sample_forms, findings):
    form = next(f for f in sample_forms if f.label == "机关服务")
    row = next(i for i in form.indicators if i.name.startswith("公务用车"))
    (finding,) = _of(findings, "机关服务", "I08")
    assert finding.cell == row.ref("name").cell
    assert not [f for f in findings if f.code == "I08" and f.form != "机关服务"]


def test_sample_names_are_full_names(findings):
    assert not [f for f in findings if f.code in ("E07", "E08")]


def test_every_sample_form_has_the_known_natures_and_categories(findings):
    assert not [f for f in findings if f.code in ("E01", "E02")]


def test_extra_natures_and_categories_come_from_the_settings():
    form = example_form({"project": {"nature": "常规项目", "category": "专项类"}})
    assert [f.code for f in check_form(form, only=["E01", "E02"])] == ["E01", "E02"]
    config = config_from_dict({"lists": {"extra_natures": ["常规项目"],
                                         "extra_categories": ["专项类"]}})
    assert check_form(form, config, only=["E01", "E02"]) == []


def test_generic_list_comes_from_the_settings():
    form = example_form({"add_indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": "工作量完成率", "raw": "=100(%)"},
        {"level1": "产出指标", "level2": "质量指标", "name": "项目完成率", "raw": "=100(%)"},
    ]})
    assert [f.values["name"] for f in check_form(form, only=["I05"])] == ["项目完成率"]
    config = Config(generic_indicators=("工作量完成率",))
    assert [f.values["name"] for f in check_form(form, config, only=["I05"])] == ["工作量完成率"]


def test_thresholds_come_from_the_settings():
    form = example_form({})  # six indicators, all quantitative, names ≤ 10 characters
    assert check_form(form, only=["I01", "I04", "I09"]) == []
    strict = Config(min_indicators=7, name_max_length=8)
    codes = [f.code for f in check_form(form, strict, only=["I01", "I04", "I09"])]
    assert codes.count("I01") == 1 and codes.count("I09") == 1  # 补贴养老服务设施数 has 9
    qualitative = example_form({"add_indicators": [
        {"level1": "效益指标", "level2": "社会效益指标", "name": "设施运营情况", "raw": "全年正常运营"},
    ]})
    assert check_form(qualitative, only=["I04"]) == []
    assert len(check_form(qualitative, Config(qualitative_share_max=Decimal("0.1")),
                          only=["I04"])) == 1


def test_e06_cost_clause_yields_to_i11_only_while_i11_is_on():
    fragment = {"project": {"name": "社区养老服务设施改造工程"}, "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": "改造设施数", "raw": "≥20(家)"},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "服务老年人数", "raw": "≥5000(人)"},
        {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "老年人满意度",
         "raw": "≥90(%)"},
    ]}
    form = example_form(fragment)
    assert [f.code for f in check_form(form, only=["E06", "I11"])] == ["I11"]
    assert [f.code for f in check_form(form, config_from_dict({"severity": {"I11": "off"}}),
                                       only=["E06"])] == []  # 成本 is opt-in
    config = config_from_dict({"severity": {"I11": "off"},
                               "thresholds": {"cost_indicator_from_year": 2022}})
    assert [(f.code, f.severity) for f in check_form(form, config, only=["E06", "I11"])] == [
        ("E06", "info")
    ]


def test_effective_level1_reads_level2_words_and_legacy_placement(sample_forms):
    form = next(f for f in sample_forms if f.label == "未来公园展厅运营项目")
    assert {effective_level1(i) for i in form.indicators} == {"产出指标", "效益指标", "满意度指标"}


def test_canonical_unit_name_adds_the_city_prefix_once():
    assert canonical_unit_name("普陀区 民政局") == "上海市普陀区民政局"
    assert canonical_unit_name("上海市普陀区民政局") == "上海市普陀区民政局"
    assert canonical_unit_name("上海推进科技创新中心建设办公室") == "上海推进科技创新中心建设办公室"


def test_goal_sentences_split_at_numbering_and_full_stops(sample_forms):
    form = next(f for f in sample_forms if f.label == "信息化运维项目")
    items = goal_sentences(form.goals.annual)
    assert items[0] == "系统保持稳定运行"
    assert len(items) == 8  # four numbered items, each "系统保持稳定运行。有效支撑…"
    assert all("有效支撑" in item for item in items[1::2])
