"""The workbook's VBA project, built on any system with pyOpenVBA.

Modules (all ASCII, CRLF, stored source-only so Excel compiles them on open):

* ``PerfXL`` — the ribbon shim, ``vba_shim/PerfXL.bas``: one callback per button, each a
  ``RunPython`` of one ``perfxl.xl.macros`` function;
* ``xlwings`` and the ``Dictionary`` class — the standalone module of the installed
  xlwings (``xlwings.bas``; ``Dictionary`` is what it uses on a Mac);
* ``xlwings_udfs`` — the UDF wrappers, generated from ``perfxl.xl.udfs`` by xlwings' own
  generator (its Windows imports stubbed, see feasibility notes §2);
* ``PerfXL_Help`` — the function wizard texts (the UDF docstrings), registered with
  ``Application.MacroOptions`` when the workbook opens; Chinese text is written as
  ``\\uXXXX`` escapes, because VBA source is kept ASCII;
* the document modules ``ThisWorkbook`` (whose ``Workbook_Open`` registers the help) and
  one per sheet, named as the sheets' code names.
"""

from __future__ import annotations

import importlib.util
import io
import sys
import types
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import xlwings

from ..errors import WorkbookError

UDF_MODULE = "perfxl.xl.udfs"
SHIM_NAME = "PerfXL"
HELP_MODULE = "PerfXL_Help"
WRAPPER_MODULE = "xlwings_udfs"
CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"
WORKBOOK_HEADER = (
    'Attribute VB_Name = "ThisWorkbook"\r\n'
    'Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"\r\n'
    "Attribute VB_GlobalNameSpace = False\r\nAttribute VB_Creatable = False\r\n"
    "Attribute VB_PredeclaredId = True\r\nAttribute VB_Exposed = True\r\n"
    "Attribute VB_TemplateDerived = False\r\nAttribute VB_Customizable = True\r\n"
)
WORKBOOK_CODE = (
    "Option Explicit\r\n\r\n"
    "Private Sub Workbook_Open()\r\n"
    "    ' Function wizard texts of the perfxl worksheet functions (module PerfXL_Help).\r\n"
    "    Dim wasSaved As Boolean\r\n"
    "    wasSaved = ThisWorkbook.Saved\r\n"
    "    PerfXL_RegisterHelp\r\n"
    "    ThisWorkbook.Saved = wasSaved\r\n"
    "End Sub\r\n"
)
MAX_LINE = 1023  # VBA's longest source line


def crlf(text: str) -> str:
    """VBA line endings: every line ends in CRLF, whatever the checkout did to them."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return "".join(line + "\r\n" for line in lines)


def source_root() -> Path:
    """The source checkout the package lives in (vba_shim/ and workbook/ are there)."""
    return Path(__file__).resolve().parents[2]


def source_file(*parts: str) -> Path:
    """A build source: from the source checkout, else as shipped in ``perfxl/data``."""
    checkout = source_root().joinpath(*parts)
    if checkout.exists():
        return checkout
    return Path(__file__).resolve().parents[1] / "data" / parts[-1]


def shim_path() -> Path:
    return source_file("vba_shim", f"{SHIM_NAME}.bas")


def _read(path: Path) -> str:
    if not path.exists():
        raise WorkbookError("找不到构建模板所需的源文件（请在源代码目录中运行）",
                            "a source file of the template build is missing (run from a "
                            "source checkout)", file=str(path))
    return path.read_text(encoding="ascii")


def shim_source() -> str:
    return crlf(_read(shim_path()))


def xlwings_dir() -> Path:
    return Path(xlwings.__file__).parent


def xlwings_source() -> str:
    """``xlwings.bas`` of the installed xlwings: the module RunPython and the UDFs need."""
    return crlf(_read(xlwings_dir() / "xlwings.bas"))


def dictionary_source() -> str:
    """xlwings' ``Dictionary`` class as VBA stores a class: no VERSION block, a VB_Base line."""
    text = crlf(_read(xlwings_dir() / "addin" / "Dictionary.cls"))
    lines = text.split("\r\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("Attribute VB_Name"))
    lines = lines[start:]
    lines.insert(1, f'Attribute VB_Base = "{CLASS_BASE}"')
    return "\r\n".join(lines)


@contextmanager
def _udf_generator() -> Iterator[types.ModuleType]:
    """xlwings.udfs with its Windows-only imports stubbed, and ``xw.func`` & co. live.

    Everything patched is put back afterwards, so the running process is left as it was.
    """
    stub_names = ("pythoncom", "pywintypes", "win32com", "win32com.client", "xlwings.udfs")
    saved_modules = {name: sys.modules.get(name) for name in stub_names}
    saved_attrs = {name: getattr(xlwings, name, None) for name in ("func", "arg", "ret", "sub",
                                                                  "udfs")}
    try:
        for name in stub_names[:-1]:
            sys.modules[name] = types.ModuleType(name)
        sys.modules["pythoncom"].CoInitialize = lambda: None
        sys.modules["pywintypes"].com_error = type("com_error", (Exception,), {})
        sys.modules["win32com.client"].Dispatch = lambda *args, **kwargs: None
        sys.modules["win32com"].client = sys.modules["win32com.client"]
        sys.modules.pop("xlwings.udfs", None)
        import xlwings.udfs as generator

        xlwings.func, xlwings.arg = generator.xlfunc, generator.xlarg
        xlwings.ret, xlwings.sub = generator.xlret, generator.xlsub
        yield generator
    finally:
        for name, module in saved_modules.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
        for name, value in saved_attrs.items():
            if value is None:
                if hasattr(xlwings, name):
                    delattr(xlwings, name)
            else:
                setattr(xlwings, name, value)


def _load_udfs_with_metadata() -> types.ModuleType:
    """A private copy of perfxl.xl.udfs whose decorators recorded their metadata."""
    origin = Path(__file__).with_name("udfs.py")
    spec = importlib.util.spec_from_file_location("perfxl.xl._udfs_for_vba", origin)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Book:
    """What generate_vba_wrapper asks of the workbook: its name (.xlam or not)."""

    Name = "perfxl.xlsm"


def udf_sources() -> tuple[str, str]:
    """(``xlwings_udfs`` wrapper module, ``PerfXL_Help`` module), generated from the UDFs."""
    with _udf_generator() as generator:
        module = _load_udfs_with_metadata()
        buffer = io.StringIO()
        writer = generator.VBAWriter(buffer)
        writer.writeln(f'Attribute VB_Name = "{WRAPPER_MODULE}"')
        writer.writeln("'Autogenerated code by xlwings - changes will be lost with next import!")
        writer.writeln("""#Const App = "Microsoft Excel" 'Adjust when using outside of Excel""")
        generator.generate_vba_wrapper(UDF_MODULE, module, buffer, _Book())
        help_rows = [_help_row(function.__xlfunc__) for function in module.UDFS]
    return crlf(buffer.getvalue()), _help_source(help_rows)


def _help_row(meta: dict) -> tuple[str, str, list[str]]:
    description = (meta["ret"]["doc"] or "").strip().splitlines()[0]
    arguments = [arg["doc"] for arg in meta["args"]]
    return meta["name"], description, arguments


def escape(text: str) -> str:
    """ASCII VBA string-literal body: ``"`` doubled, ``\\`` and non-ASCII as ``\\uXXXX``."""
    out = []
    for ch in text:
        if ch == '"':
            out.append('""')
        elif ch == "\\" or not (32 <= ord(ch) < 127):
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


_HELP_TAIL = r"""
Private Sub Describe(ByVal macroName As String, ByVal description As String, ByVal arguments As Variant)
    Dim i As Long
    For i = LBound(arguments) To UBound(arguments)
        arguments(i) = PerfXL_Text(CStr(arguments(i)))
    Next i
    Application.MacroOptions Macro:=macroName, Description:=PerfXL_Text(description), _
        Category:="perfxl", ArgumentDescriptions:=arguments
End Sub

' Decode the \uXXXX escapes this module writes Chinese text with.
Public Function PerfXL_Text(ByVal escaped As String) As String
    Dim i As Long, result As String
    i = 1
    Do While i <= Len(escaped)
        If Mid$(escaped, i, 2) = "\u" Then
            result = result & ChrW(CLng("&H" & Mid$(escaped, i + 2, 4)))
            i = i + 6
        Else
            result = result & Mid$(escaped, i, 1)
            i = i + 1
        End If
    Loop
    PerfXL_Text = result
End Function
"""


def _help_source(rows: list[tuple[str, str, list[str]]]) -> str:
    lines = [
        f'Attribute VB_Name = "{HELP_MODULE}"',
        "' Autogenerated by perfxl from the docstrings of perfxl/xl/udfs.py - do not edit.",
        "' The texts Excel's function wizard shows; Chinese is written as \\uXXXX escapes.",
        "Option Explicit",
        "",
        "Public Sub PerfXL_RegisterHelp()",
        "    On Error Resume Next",
    ]
    for name, description, arguments in rows:
        args = ", ".join(f'"{escape(doc)}"' for doc in arguments)
        lines.append(f'    Describe "{name}", "{escape(description)}", Array({args})')
    lines.append("End Sub")
    source = crlf("\n".join(lines) + "\n" + _HELP_TAIL)
    too_long = [line for line in source.split("\r\n") if len(line) > MAX_LINE]
    if too_long:
        raise WorkbookError("函数说明过长", f"a VBA line is too long: {too_long[0][:60]}…")
    return source


def module_sources() -> dict[str, str]:
    """Every code module of the project by name, exactly as stored (document modules aside)."""
    wrappers, help_module = udf_sources()
    return {
        SHIM_NAME: shim_source(),
        "xlwings": xlwings_source(),
        "Dictionary": dictionary_source(),
        WRAPPER_MODULE: wrappers,
        HELP_MODULE: help_module,
        "ThisWorkbook": WORKBOOK_HEADER + WORKBOOK_CODE,
    }


CLASS_MODULES = ("Dictionary",)


def build_vba_project(scratch: Path) -> bytes:
    """Give the workbook at ``scratch`` (.xlsm, no project yet) the project; its bytes."""
    from pyopenvba import ExcelFile, VBAModuleKind

    sources = module_sources()
    with ExcelFile(scratch) as book:
        project = book.add_vba_project()
        book.set_module("ThisWorkbook", sources.pop("ThisWorkbook"))
        for name, source in sources.items():
            kind = VBAModuleKind.other if name in CLASS_MODULES else VBAModuleKind.standard
            project.add_module(name, source, kind=kind)
        book.save()
    with ExcelFile(scratch) as book:
        return book.vba_project_bytes()
