"""Every rule's 反例 gives exactly its code; its 正例 gives nothing from it.

Examples go through the real text renderer and parser, and each is checked with only
its own rule enabled (the sqlfluff way).
"""

from __future__ import annotations

import pytest

from perfxl.rules import check_form, registry
from perfxl.rules.examples import BASELINE, example_form

RULES = registry()


@pytest.mark.parametrize("code", sorted(RULES))
def test_bad_example_gives_the_rule(code):
    rule = RULES[code]
    found = check_form(example_form(rule.bad), only=[code])
    assert [f.code for f in found][:1] == [code], f"{code} 反例 gave {found}"


@pytest.mark.parametrize("code", sorted(RULES))
def test_good_example_gives_nothing(code):
    rule = RULES[code]
    assert check_form(example_form(rule.good), only=[code]) == []


def test_baseline_is_clean_for_every_rule():
    found = check_form(example_form({}))
    assert [(f.code, f.message_en) for f in found if f.code != "F04"] == []


def test_messages_render_every_placeholder():
    for code, rule in RULES.items():
        for finding in check_form(example_form(rule.bad), only=[code]):
            for text in (finding.message_zh, finding.message_en, finding.fix_zh, finding.fix_en):
                assert "{" not in text, f"{code}: unrendered placeholder in {text!r}"


def test_baseline_is_a_complete_form():
    assert len(BASELINE["indicators"]) >= 5
