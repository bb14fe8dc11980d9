"""Cell text cleaning: join_cjk, the spaces a wrapped cell leaves (rule P06)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from perfxl.text import _SPACE_AROUND_PUNCT, _SPACE_BETWEEN_CJK, join_cjk


def test_join_cjk_removes_the_spaces_wrapping_leaves_and_only_those():
    assert join_cjk("阶段性项 目") == "阶段性项目"
    assert join_cjk("覆盖率 （ 按区域 ）") == "覆盖率（按区域）"
    assert join_cjk("新增 LED 屏 2 块") == "新增 LED 屏 2 块"
    assert join_cjk("Line one\tand two") == "Line one\tand two"


def _both_substitutions(text: str) -> str:
    text = _SPACE_BETWEEN_CJK.sub("", text)
    return _SPACE_AROUND_PUNCT.sub(r"\1", text) if "(" in text or "（" in text else text


@given(st.text(alphabet=st.sampled_from(list("项目完成率（）():： \t\u3000\u00a0ABab12")),
               max_size=16))
def test_join_cjk_shortcut_gives_what_the_substitutions_give(text):
    """Text without whitespace is returned at once; that must never differ from the full path."""
    joined = join_cjk(text)
    assert joined == _both_substitutions(text)
    assert [c for c in joined if not c.isspace()] == [c for c in text if not c.isspace()]
