"""Documents generated from the code stay in sync with it."""

from __future__ import annotations

import re
from pathlib import Path

from perfxl.rules import registry
from perfxl.rules.catalogue import catalogue_markdown

ROOT = Path(__file__).resolve().parent.parent


def test_docs_rules_md_is_up_to_date():
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == catalogue_markdown(registry().values()), (
        "docs/rules.md is stale: run `perfxl rules --format md > docs/rules.md`"
    )


def test_every_rule_cites_a_source_and_uses_a_catalogue_code():
    for code, rule in registry().items():
        assert re.fullmatch(r"[FDEIVCP]\d\d", code)
        assert re.search(r"\[(V|R|O|I)\]", rule.source), f"{code}: source without a trust tag"
        assert rule.fix.zh and rule.fix.en


def test_enough_single_form_rules():
    single = [c for c, r in registry().items() if r.scope == "form" and c[0] in "FDEIV"]
    assert len(single) >= 35
