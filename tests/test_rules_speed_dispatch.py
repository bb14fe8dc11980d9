"""check_form picks its rules by a shortcut when nothing narrows the catalogue; the findings
are those of running every rule the settings leave on, one by one, in code order."""

from __future__ import annotations

import dataclasses

import pytest

from perfxl.config import Config, config_from_dict
from perfxl.rules import check_form, make_finding, registry
from perfxl.rules.examples import example_form


def _by_definition(form, config, only=None):
    findings = []
    for code, rule_ in registry().items():
        if rule_.scope != "form" or (only is not None and code not in only):
            continue
        if not config.enabled(code) or (rule_.needs_indicators and not form.has_indicator_block):
            continue
        findings.extend(make_finding(rule_, form, hit, config) for hit in rule_.check(form, config))
    return findings


_FAULTY = {"project": {"name": "社区养老服务设施改造工程"}, "add_indicators": [
    {"level1": "产出指标", "level2": "数量指标", "name": "道路修缮长度", "raw": "985米"},
    {"level1": "产出指标", "level2": "质量指标", "name": "项目完成率", "raw": "≥95.000(%)"},
    {"level1": "效益指标", "level2": "社会效益指标", "name": "服务对象满意程度", "raw": "≥70(%)"},
]}
_SETTINGS = [
    {},
    {"severity": {"V02": "off", "I05": "info"}},
    {"severity": {"V08": "error"}, "thresholds": {"min_indicators": 30}},
]


@pytest.mark.parametrize("settings", _SETTINGS)
@pytest.mark.parametrize("only", [None, ("V02", "V10", "I05", "P05"), ()])
def test_findings_are_those_of_each_rule_left_on(settings, only):
    config = config_from_dict(settings)
    form = example_form(_FAULTY)
    found = check_form(form, config, only)
    assert found == _by_definition(form, config, only)
    assert [f.severity for f in found] == [f.severity for f in _by_definition(form, config, only)]
    if not settings and only is None:
        assert {"V02", "V10", "I05"} <= {f.code for f in found}


def test_a_form_without_indicator_block_skips_the_indicator_rules():
    form = dataclasses.replace(example_form(_FAULTY), has_indicator_block=False)
    found = check_form(form, Config())
    assert found == _by_definition(form, Config())
    assert not {"V02", "V10", "I05"} & {f.code for f in found}
    assert check_form(dataclasses.replace(form, has_indicator_block=True), Config()) != found


def test_a_rule_turned_off_gives_nothing():
    form = example_form(_FAULTY)
    config = config_from_dict({"severity": {"V02": "off"}})
    assert "V02" in {f.code for f in check_form(form)}
    assert "V02" not in {f.code for f in check_form(form, config)}


def test_an_office_severity_replaces_the_rules_own():
    form = example_form(_FAULTY)
    default = {f.code: f.severity for f in check_form(form)}
    changed = {f.code: f.severity for f in check_form(form, config_from_dict(
        {"severity": {"I05": "info"}}))}
    assert (default["I05"], changed["I05"]) == ("warning", "info")
