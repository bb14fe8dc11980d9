"""Every rule's 反例 gives exactly its code; its 正例 gives nothing from it.

Examples go through the real text renderer and parser, and each is checked with only
its own rule enabled (the sqlfluff way).
"""

from __future__ import annotations

import pytest

from perfxl.rules import check_form, check_forms, registry
from perfxl.rules.examples import example_form, example_forms

RULES = registry()


def run_example(code: str, fragment):
    """Findings of one rule alone on its example (one form, or several for scope "forms")."""
    if RULES[code].scope == "forms":
        return check_forms(example_forms(fragment), only=[code])
    return check_form(example_form(fragment), only=[code])


@pytest.mark.parametrize("code", sorted(RULES))
def test_bad_example_gives_the_rule(code):
    found = run_example(code, RULES[code].bad)
    assert found and {f.code for f in found} == {code}, f"{code} 反例 gave {found}"


@pytest.mark.parametrize("code", sorted(RULES))
def test_good_example_gives_nothing(code):
    assert run_example(code, RULES[code].good) == []


def test_baseline_is_clean_for_every_rule():
    found = check_form(example_form({}))
    assert [(f.code, f.message_en) for f in found if f.code != "F04"] == []


def test_messages_render_every_placeholder():
    for code, rule in RULES.items():
        for finding in run_example(code, rule.bad):
            for text in (finding.message_zh, finding.message_en, finding.fix_zh, finding.fix_en):
                assert "{" not in text, f"{code}: unrendered placeholder in {text!r}"
