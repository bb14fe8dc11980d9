"""Build the perfxl workbook template (``workbook/perfxl.xlsm``) on any system.

1. openpyxl draws the sheets: 说明, the blank 申报表, 汇总, 校验结果, ``_lists`` and
   ``xlwings.conf`` (both hidden);
2. pyOpenVBA gives a scratch copy its VBA project (``perfxl.xl.vba``);
3. openpyxl saves the workbook again with that project and the ribbon
   (``customUI/customUI.xml``, 2006 relationship: the one openpyxl keeps on re-save);
4. the zip is written again with fixed timestamps and part order, so the same sources
   always give the same bytes, and a test can rebuild the committed file and compare.
"""

from __future__ import annotations

import datetime as dt
import inspect
import io
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from defusedxml import ElementTree
from openpyxl.workbook.workbook import Workbook

from ..errors import WorkbookError
from ..io.atomic import atomic_path
from ..io.template_layout import draw_form_sheet
from ..io.template_lists import ensure_lists
from ..io.template_sheets import (
    FINDINGS_SHEET, FORM_SHEET, INSTRUCTIONS_SHEET, SUMMARY_SHEET, write_config_sheet,
    write_instructions, write_target_sheet,
)
from . import vba

RIBBON_NS = "http://schemas.microsoft.com/office/2006/01/customui"
RIBBON_REL = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
RIBBON_PART = "customUI/customUI.xml"
VBA_PART = "xl/vbaProject.bin"
BUILD_TIME = dt.datetime(2024, 1, 1)  # docProps and zip entry times: fixed, for identical builds
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FIRST_PARTS = ("[Content_Types].xml", "_rels/.rels")


@dataclass(frozen=True)
class RibbonButton:
    group: str
    id: str
    label: str
    on_action: str
    image: str
    supertip: str


def ribbon_path() -> Path:
    return vba.source_file("workbook", "customUI.xml")


def committed_template() -> Path:
    """The built template in the source tree: ``workbook/perfxl.xlsm``."""
    return vba.source_root() / "workbook" / "perfxl.xlsm"


def ribbon_xml() -> bytes:
    path = ribbon_path()
    if not path.exists():
        raise WorkbookError("找不到功能区定义 customUI.xml（请在源代码目录中运行）",
                            "the ribbon definition customUI.xml is missing (run from a source "
                            "checkout)", file=str(path))
    return path.read_bytes()


def ribbon_buttons(xml: bytes) -> list[RibbonButton]:
    """Every button of the ribbon XML with its group (2006 namespace)."""
    root = ElementTree.fromstring(xml)
    ns = {"ui": RIBBON_NS}
    return [
        RibbonButton(group.get("label", ""), button.get("id", ""), button.get("label", ""),
                     button.get("onAction", ""), button.get("imageMso", ""),
                     button.get("supertip", ""))
        for group in root.iterfind(".//ui:group", ns)
        for button in group.iterfind("ui:button", ns)
    ]


def udf_summaries() -> list[tuple[str, str]]:
    """(``perfxl_wan(yuan, [places])``, first docstring line) of each worksheet function."""
    from . import udfs

    rows = []
    for function in udfs.UDFS:
        params = inspect.signature(function).parameters.values()
        args = [p.name if p.default is p.empty else f"[{p.name}]" for p in params]
        doc = (function.__doc__ or "").strip().splitlines()[0]
        rows.append((f"={function.__name__}({', '.join(args)})", doc))
    return rows


def template_workbook(year: int) -> Workbook:
    """The template's sheets, without VBA: what openpyxl draws."""
    book = Workbook()
    instructions = book.active
    instructions.title = INSTRUCTIONS_SHEET
    buttons = [(b.group, b.label, b.supertip) for b in ribbon_buttons(ribbon_xml())]
    write_instructions(instructions, buttons, udf_summaries())
    form = book.create_sheet(FORM_SHEET)
    write_target_sheet(book.create_sheet(SUMMARY_SHEET), SUMMARY_SHEET,
                       "点击“绩效目标”选项卡中的“汇总本簿”，在此生成本工作簿全部项目的汇总。")
    write_target_sheet(book.create_sheet(FINDINGS_SHEET), FINDINGS_SHEET,
                       "点击“校验当前表”或“校验全部”后，在此列出发现的问题。")
    ensure_lists(book)
    draw_form_sheet(form, year)
    write_config_sheet(book)
    book.active = book.index(form)
    book.code_name = "ThisWorkbook"
    for number, sheet in enumerate(book.worksheets, start=1):
        sheet.sheet_properties.codeName = f"Sheet{number}"
    props = book.properties
    props.creator = props.lastModifiedBy = "perfxl"
    props.title = "财政项目支出绩效目标申报表"
    props.created = props.modified = BUILD_TIME
    return book


def _seed_archive(project: bytes, ribbon: bytes) -> zipfile.ZipFile:
    """The parts openpyxl carries over into a macro-enabled save: project and ribbon."""
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="perfxlRibbon" Type="{RIBBON_REL}" Target="{RIBBON_PART}"/>'
            "</Relationships>")
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
             "</Types>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as seed:
        seed.writestr("[Content_Types].xml", types)
        seed.writestr("_rels/.rels", rels)
        seed.writestr(VBA_PART, project)
        seed.writestr(RIBBON_PART, ribbon)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def normalise_package(data: bytes) -> bytes:
    """The same package with fixed entry times, a fixed part order and a fixed modified time."""
    stamp = BUILD_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    order = [n for n in _FIRST_PARTS if n in names] + sorted(set(names) - set(_FIRST_PARTS))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in order:
            content = source.read(name)
            if name == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, content)
    return buffer.getvalue()


def template_bytes(year: int) -> bytes:
    """The finished .xlsm, byte for byte the same for the same sources and year."""
    book = template_workbook(year)
    with tempfile.TemporaryDirectory(prefix="perfxl-build-") as folder:
        scratch = Path(folder) / "scratch.xlsm"
        book.save(scratch)
        project = vba.build_vba_project(scratch)
    book.vba_archive = _seed_archive(project, ribbon_xml())
    buffer = io.BytesIO()
    book.save(buffer)
    return normalise_package(buffer.getvalue())


def build_template(path: str | Path, *, year: int, force: bool = False) -> Path:
    """Build the template to ``path`` (atomically; an existing file needs ``force``)."""
    path = Path(path)
    data = template_bytes(year)
    with atomic_path(path, force=force) as tmp:
        tmp.write_bytes(data)
    return path
