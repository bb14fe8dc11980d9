"""Cleaning cell text as it comes out of spreadsheets and PDF extraction (rules P01, P06)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACE_AROUND_PUNCT = re.compile(r"\s*([()（）：:])\s*")
_ALL_SPACE = re.compile(r"\s+")
_ANY_SPACE = re.compile(r"\s")

# NFKC would turn ≥ into itself but also maps full-width ＞＜＝ to ASCII; keep ≥ ≤ as they are.
_OPERATOR_MAP = {">=": "≥", "<=": "≤", "≧": "≥", "≦": "≤", "⩾": "≥", "⩽": "≤"}


_NEEDS_CLEANING = re.compile(r'^\s|\s$|[\r\u00a0"]')


def clean(value: object) -> str:
    """Cell text without export artefacts: no stray quotes, \\r or NBSP, trimmed.

    Full-width punctuation stays as printed (names keep their （）and ，); ``fold``
    is for matching and for numbers.
    """
    if value is None:
        return ""
    if value.__class__ is str and len(value) <= 64:
        return _clean_short(value)  # units, operators, names: they repeat across forms
    return _clean(str(value))


@lru_cache(maxsize=16384)
def _clean_short(text: str) -> str:
    return _clean(text)


def _clean(text: str) -> str:
    if not _NEEDS_CLEANING.search(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = text.strip()
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        text = text[1:-1].replace('""', '"').strip()
    elif text == '"':
        text = ""
    return text


def join_cjk(text: str) -> str:
    """Remove the spaces a wrapped cell leaves between CJK characters (阶段性项 目)."""
    if not _ANY_SPACE.search(text):
        return text  # both substitutions below only ever remove whitespace
    text = _SPACE_BETWEEN_CJK.sub("", text)
    return _SPACE_AROUND_PUNCT.sub(r"\1", text) if "(" in text or "（" in text else text


def fold(text: str) -> str:
    """NFKC: full-width digits, letters, operators and brackets to their plain forms."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    # The full-width punctuation of Chinese text, replaced by what it decomposes to (so the
    # result is the same), leaves the rest of most texts normal: NFKC then has nothing to do.
    for wide, narrow in _FULL_WIDTH:
        if wide in text:
            text = text.replace(wide, narrow)
    return unicodedata.normalize("NFKC", text)


_FULL_WIDTH = (("，", ","), ("（", "("), ("）", ")"), ("：", ":"), ("；", ";"), ("！", "!"),
               ("？", "?"), ("％", "%"), ("\u3000", " "))


def squash(text: str) -> str:
    """A key for matching labels and vocabulary: folded, and no whitespace at all."""
    if isinstance(text, str):
        if len(text) <= 64:
            return _squash_cached(text)
        if len(text) <= _LONG_TEXT:
            return _squash_long(text)
    return without_spaces(fold(clean(text)))


def squash_once(text: str) -> str:
    """``squash`` of a text met once (a project's name): the caches, which would only
    push out texts that repeat, are passed by."""
    return without_spaces(fold(_clean(text)))


_squash_cached = lru_cache(maxsize=16384)(squash_once)

# Longer texts (goals, descriptions) are distinct per form, but a parse looks at each several
# times (for the indicator header, for labels, for a year): a few recent ones are kept.
_LONG_TEXT = 4096
_squash_long = lru_cache(maxsize=64)(squash_once)


def without_spaces(text: str) -> str:
    """``text`` with every whitespace character removed."""
    return _ALL_SPACE.sub("", text)


def normalise_operators(text: str) -> str:
    for old, new in _OPERATOR_MAP.items():
        text = text.replace(old, new)
    return text
