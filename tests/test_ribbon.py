"""The ribbon XML: well-formed, 2006 namespace, every onAction a callback of the shim."""

from __future__ import annotations

import re
import zipfile

import pytest
from defusedxml import ElementTree

from perfxl.xl import vba
from perfxl.xl.build import (
    RIBBON_NS, RIBBON_PART, RIBBON_REL, build_template, ribbon_buttons, ribbon_path, ribbon_xml,
)

LABELS = ["校验当前表", "校验全部", "清除标记", "汇总本簿", "汇总文件夹", "结转下年", "新建项目表",
          "导入公开文本", "规则说明"]


def _callbacks() -> dict[str, str]:
    """Sub name → its parameter list, for every public Sub of the shim."""
    return dict(re.findall(r"^Public Sub (\w+)\(([^)]*)\)\r?$", vba.shim_source(), re.MULTILINE))


def test_ribbon_xml_is_well_formed_in_the_2006_namespace():
    root = ElementTree.fromstring(ribbon_xml())
    assert root.tag == f"{{{RIBBON_NS}}}customUI"
    (tab,) = root.iterfind(".//{%s}tab" % RIBBON_NS)
    assert tab.get("label") == "绩效目标"
    assert ribbon_path().read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"')


def test_buttons_are_large_with_chinese_labels_and_office_icons():
    buttons = ribbon_buttons(ribbon_xml())
    assert sorted(b.label for b in buttons) == sorted(LABELS)
    root = ElementTree.fromstring(ribbon_xml())
    for element in root.iterfind(".//{%s}button" % RIBBON_NS):
        assert element.get("size") == "large"
        assert re.fullmatch(r"[A-Za-z]+", element.get("imageMso", ""))
    assert len({b.id for b in buttons}) == len(buttons)
    assert {b.group for b in buttons} == {"校验", "汇总", "申报表", "帮助"}
    assert all(b.supertip for b in buttons)


def test_every_on_action_is_a_shim_sub_with_the_ribbon_signature():
    callbacks = _callbacks()
    actions = [b.on_action for b in ribbon_buttons(ribbon_xml())]
    assert len(set(actions)) == len(actions)
    for action in actions:
        assert callbacks.get(action) == "control As IRibbonControl", action
    assert set(callbacks) == set(actions), "no Sub without a button"


def test_each_callback_runs_one_python_macro():
    source = vba.shim_source()
    bodies = re.findall(r"Public Sub \w+\(control As IRibbonControl\)\r\n(.*?)End Sub",
                        source, re.DOTALL)
    assert len(bodies) == len(LABELS)
    for body in bodies:
        assert re.fullmatch(r'    RunPython "import perfxl\.xl\.macros as m; m\.\w+\(\)"\r\n', body)


def test_shim_is_ascii():
    vba.shim_path().read_bytes().decode("ascii")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_template(tmp_path_factory.mktemp("ribbon") / "perfxl.xlsm", year=2026)


def test_ribbon_is_stored_as_customui_with_the_2006_relationship(built):
    with zipfile.ZipFile(built) as archive:
        assert archive.read(RIBBON_PART) == ribbon_xml()
        rels = ElementTree.fromstring(archive.read("_rels/.rels"))
        targets = {rel.get("Type"): rel.get("Target") for rel in rels}
        assert targets[RIBBON_REL] == RIBBON_PART
        assert not any("2007/relationships/ui" in kind for kind in targets)
        assert "customUI/customUI14.xml" not in archive.namelist()
