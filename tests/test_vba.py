"""The VBA project of the built template, checked by three independent readers.

olevba (oletools) extracts every module byte-identical to its source; pyOpenVBA's
``check_file`` finds nothing wrong; pyOpenVBA's interpreter runs every ribbon callback
with a stub ``RunPython`` and the exact Python command each sends is asserted.
"""

from __future__ import annotations

import re

import pytest
import xlwings
from oletools.olevba import VBA_Parser
from pyopenvba import ExcelFile, check_file
from pyopenvba.apps.excel import ExcelApplication

from perfxl.xl import udfs, vba
from perfxl.xl.build import build_template

# The contract with perfxl.xl.macros: ribbon callback → the Python it runs.
EXPECTED_COMMANDS = {
    "PerfXL_ValidateSheet": "import perfxl.xl.macros as m; m.validate_active_sheet()",
    "PerfXL_ValidateAll": "import perfxl.xl.macros as m; m.validate_all()",
    "PerfXL_ClearMarks": "import perfxl.xl.macros as m; m.clear_marks()",
    "PerfXL_ConsolidateBook": "import perfxl.xl.macros as m; m.consolidate_book()",
    "PerfXL_ConsolidateFolder": "import perfxl.xl.macros as m; m.consolidate_folder()",
    "PerfXL_NewProjectSheet": "import perfxl.xl.macros as m; m.new_project_sheet()",
    "PerfXL_ImportText": "import perfxl.xl.macros as m; m.import_text()",
    "PerfXL_ShowRules": "import perfxl.xl.macros as m; m.show_rules()",
    "PerfXL_Rollover": "import perfxl.xl.macros as m; m.rollover_book()",
}

STUB = (
    'Attribute VB_Name = "TestStub"\r\n'
    "Public LastCommand As String\r\n"
    "Public Calls As Long\r\n"
    "Public Function RunPython(PythonCommand As String)\r\n"
    "    LastCommand = PythonCommand\r\n"
    "    Calls = Calls + 1\r\n"
    "End Function\r\n"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_template(tmp_path_factory.mktemp("vba") / "perfxl.xlsm", year=2026)


@pytest.fixture(scope="module")
def sources():
    return vba.module_sources()


def test_olevba_extracts_every_module_byte_identical(built, sources):
    parser = VBA_Parser(str(built))
    try:
        extracted = {name.rsplit(".", 1)[0]: code
                     for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()
    for name, source in sources.items():
        assert extracted[name].encode("ascii") == source.encode("ascii"), name
    documents = set(extracted) - set(sources)
    assert documents == {f"Sheet{i}" for i in range(1, 7)}


def test_module_sources_are_the_files_they_come_from(sources):
    assert vba.shim_path().read_bytes() == sources["PerfXL"].encode(), "shim kept with CRLF"
    installed = (vba.xlwings_dir() / "xlwings.bas").read_bytes()
    assert sources["xlwings"].encode() == installed
    assert f"'Version: {xlwings.__version__}\r\n" in sources["xlwings"]
    cls = (vba.xlwings_dir() / "addin" / "Dictionary.cls").read_bytes().decode("ascii")
    body = cls.split("END\r\n", 1)[1].replace("\r\n", "\n")
    assert sources["Dictionary"].replace(
        f'Attribute VB_Base = "{vba.CLASS_BASE}"\r\n', "").replace("\r\n", "\n") == body


def test_every_module_is_ascii_with_crlf_lines(sources):
    for name, source in sources.items():
        source.encode("ascii")
        assert "\n" not in source.replace("\r\n", ""), name
        assert max(len(line) for line in source.split("\r\n")) <= vba.MAX_LINE, name


def test_pyopenvba_check_file_passes(built):
    report = check_file(built)
    assert report.issues == ()
    assert report.complete


def test_module_kinds_and_references(built):
    with ExcelFile(built) as book:
        project = book.vba_project()
        kinds = {module.name: module.kind.name for module in project.modules}
        references = [reference.name for reference in book.references()]
    assert kinds["PerfXL"] == kinds["xlwings"] == kinds["xlwings_udfs"] == "standard"
    assert kinds["Dictionary"] == "other"
    assert "Office" in references  # IRibbonControl lives in the Office library


def _interpreter(built) -> ExcelApplication:
    app = ExcelApplication.open(built, with_vba=False)
    sources = vba.module_sources()
    for name in ("PerfXL", "PerfXL_Help"):
        app.add_module(sources[name], name=name)
    app.add_module(STUB, name="TestStub")
    return app


def test_every_ribbon_callback_sends_its_python_command(built):
    app = _interpreter(built)
    callbacks = re.findall(r"Public Sub (\w+)\(control As IRibbonControl\)",
                           vba.module_sources()["PerfXL"])
    assert set(callbacks) == set(EXPECTED_COMMANDS)
    for number, callback in enumerate(callbacks, start=1):
        app.add_module(
            f'Attribute VB_Name = "Call{number}"\r\n'
            f"Public Function Invoke{number}() As String\r\n"
            f"    {callback} Nothing\r\n"
            f"    Invoke{number} = LastCommand\r\n"
            "End Function\r\n", name=f"Call{number}")
        assert app.run(f"Invoke{number}") == EXPECTED_COMMANDS[callback], callback
    assert app.evaluate("Calls") == len(EXPECTED_COMMANDS)


def test_macros_module_has_every_function_the_ribbon_calls():
    macros = pytest.importorskip("perfxl.xl.macros")
    for command in EXPECTED_COMMANDS.values():
        name = command.rsplit("m.", 1)[1].removesuffix("()")
        assert callable(getattr(macros, name, None)), name


def test_udf_wrappers_call_every_udf_through_xlwings(sources):
    wrappers = sources["xlwings_udfs"]
    declared = re.findall(r"^Function (\w+)\(([^)]*)\)", wrappers, re.MULTILINE)
    assert {name for name, _ in declared} == {f.__name__ for f in udfs.UDFS}
    for name, _ in declared:
        assert f'XLPy.CallUDF("{vba.UDF_MODULE}", "{name}"' in wrappers
    assert ("perfxl_wan", "yuan, Optional places") in declared


def test_function_wizard_texts_decode_to_the_docstrings(built, sources):
    app = _interpreter(built)
    calls = re.findall(r'^    Describe "(\w+)", "([^"]*)", Array\((.*)\)\r$', sources["PerfXL_Help"],
                       re.MULTILINE)
    by_name = {f.__name__: f for f in udfs.UDFS}
    assert {name for name, _, _ in calls} == set(by_name)
    for name, description, arguments in calls:
        text = app.evaluate(f'PerfXL_Text("{description}")')
        assert text == by_name[name].__doc__.strip().splitlines()[0]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text)
        args = re.findall(r'"([^"]*)"', arguments)
        assert len(args) == len(by_name[name].__code__.co_varnames[
            :by_name[name].__code__.co_argcount])
        assert all(app.evaluate(f'PerfXL_Text("{a}")') for a in args)


def test_escape_round_trips_through_the_vba_decoder(built):
    app = _interpreter(built)
    text = '指标值 ≥95.00(%) "quoted" back\\slash'
    assert app.evaluate(f'PerfXL_Text("{vba.escape(text)}")') == text


def test_workbook_open_registers_the_help(sources):
    code = sources["ThisWorkbook"]
    assert "Private Sub Workbook_Open()" in code and "PerfXL_RegisterHelp" in code
    assert code.startswith('Attribute VB_Name = "ThisWorkbook"\r\n')


def test_generation_leaves_no_windows_stubs_behind():
    import sys

    vba.udf_sources()
    assert "pythoncom" not in sys.modules and "win32com" not in sys.modules
    assert "xlwings.udfs" not in sys.modules
    assert not hasattr(udfs.perfxl_wan, "__xlfunc__")
