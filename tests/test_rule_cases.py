"""Test cases as data: ``tests/rule_cases/<family>.yml``, each run with only its rule enabled.

A case::

    - rule: F01
      desc: annual total one fen short
      form: {funding: {annual: "1,199,999.99"}}      # a fragment over the baseline
      expect: [[F01, error]]                        # (code, severity) pairs, in order; [] = none
      cells: [R6C5]                                 # optional: the cells the findings point at
      config: {thresholds: {satisfaction_floor: 85}}  # optional: settings as in a TOML file

``pytest -k F01`` selects one rule's cases.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from perfxl.config import config_from_dict
from perfxl.rules import check_form, check_forms, registry
from perfxl.rules.examples import example_form, example_forms

CASES_DIR = Path(__file__).parent / "rule_cases"


def _cases():
    for path in sorted(CASES_DIR.glob("*.yml")):
        for index, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or []):
            yield pytest.param(case, id=f"{case['rule']}-{path.stem}-{index}-{case.get('desc', '')}")


@pytest.mark.parametrize("case", list(_cases()))
def test_rule_case(case):
    assert case["rule"] in registry(), f"unknown rule {case['rule']}"
    fragment = case.get("form") or {}
    config = config_from_dict(case.get("config") or {})
    if registry()[case["rule"]].scope == "forms":  # form: {forms: [fragment, …]}
        found = check_forms(example_forms(fragment), config, only=[case["rule"]])
    else:
        found = check_form(example_form(fragment), config, only=[case["rule"]])
    assert [[f.code, f.severity] for f in found] == case["expect"], [f.message_en for f in found]
    if "cells" in case:
        assert [f.cell for f in found] == case["cells"]
