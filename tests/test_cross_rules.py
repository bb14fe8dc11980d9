"""The cross-form rules (C family) run over forms handed in one at a time: they keep their
sums and the copies they found, never the forms, and ask for a form back only to report
on it."""

from __future__ import annotations

import gc
from dataclasses import replace

from perfxl.model import Form, Ref
from perfxl.rules import FormsChecker, check_forms
from perfxl.rules.consolidation import Copies
from perfxl.rules.examples import example_forms


def _variant(forms: list[Form], number: int) -> Form:
    """A sample form again as another project, in its own file; every fifth one a copy of
    the one four before it."""
    original = number - 4 if number % 5 == 4 else number
    form = forms[original % len(forms)]
    file = f"单位{number}.xlsx"
    cells = {path: Ref(file, ref.sheet, ref.cell) for path, ref in form.cells.items()}
    return replace(form, project=replace(form.project, name=f"{form.project.name}{original}"),
                   source=Ref(file, form.source.sheet, form.source.cell), cells=cells)


def _forms_alive() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if type(o) is Form)


def test_the_rules_keep_no_forms_and_find_what_a_list_gives(sample_forms):
    count = 700
    checker = FormsChecker()
    alive = _forms_alive()
    for number in range(count):
        checker.add(_variant(sample_forms, number))  # gone once handed in
    assert _forms_alive() == alive

    forms = [_variant(sample_forms, number) for number in range(count)]
    asked: list[int] = []

    def form_at(index: int) -> Form:
        asked.append(index)
        return forms[index]

    placed = checker.findings(form_at)
    assert [finding for _, finding in placed] == check_forms(forms)
    codes = {finding.code for _, finding in placed}
    assert codes == {"C01", "C03"}
    copies = [(index, finding) for index, finding in placed if finding.code == "C03"]
    assert len(copies) == count // 5 == len(checker.copies.of)
    for index, finding in copies:  # each copy points at itself, and names its first copy
        first = checker.copies.of[index]
        assert index % 5 == 4 and first == index - 4
        assert finding.file == f"单位{index}.xlsx" and f"单位{first}.xlsx" in finding.message_zh
    # asked back: the copies, their first copies, each department's first form
    departments = [index for index, finding in placed if finding.code == "C01"]
    wanted = {index for index, _ in copies} | set(checker.copies.of.values()) | set(departments)
    assert set(asked) == wanted and len(asked) < count


def test_copies_are_told_apart_by_name_unit_and_year():
    forms = example_forms({"forms": [
        {}, {"project": {"name": "老年助餐点运营补贴"}}, {}, {"year": 2024},
        {}, {"project": {"name": ""}}, {"project": {"name": ""}}]})
    spaced = "社区　养老服务设施 运营补贴"  # a full-width and a plain space: the same project
    forms[4] = replace(forms[4], project=replace(forms[4].project, name=spaced))
    copies = Copies()
    firsts = [copies.add(index, form) for index, form in enumerate(forms)]
    assert firsts == [None, None, 0, None, 0, None, None]  # forms without a name copy none
    assert copies.of == {2: 0, 4: 0}


def test_consecutive_years_are_paired_from_the_indices_kept():
    forms = example_forms({"forms": [
        {"project": {"end": "2024-12-31"}, "funding": {"total": "2,400,000.00",
                                                        "fiscal": "2,000,000.00",
                                                        "other_total": "400,000.00"}},
        {"project": {"name": "老年助餐点运营补贴"}},
        {"year": 2024, "project": {"end": "2024-12-31"},
         "funding": {"total": "2,500,000.00", "fiscal": "2,100,000.00",
                     "other_total": "400,000.00"}}]})
    checker = FormsChecker(only=["C06"])
    for form in forms:
        checker.add(form)
    asked: list[int] = []
    placed = checker.findings(lambda index: asked.append(index) or forms[index])
    assert [(index, finding.code) for index, finding in placed] == [(2, "C06")]
    assert "2500000.00" in placed[0][1].message_zh.replace(",", "")
    assert sorted(set(asked)) == [0, 1, 2]  # the forms of the two years, read back once
