"""perfxl — check, consolidate and roll forward 财政项目支出绩效目标申报表 in Excel."""

from __future__ import annotations

from .config import Config, load_config
from .errors import FormParseError, InputError, PerfxlError, WorkbookError
from .io import read_forms
from .model import Form, Funding, Goals, Indicator, Project, Ref, Target
from .report import Finding, Report
from .rules import validate
from .targets import format_target, parse_target

__version__ = "0.1.0"

__all__ = [
    "Config",
    "Finding",
    "Form",
    "FormParseError",
    "Funding",
    "Goals",
    "Indicator",
    "InputError",
    "PerfxlError",
    "Project",
    "Ref",
    "Report",
    "Target",
    "WorkbookError",
    "format_target",
    "load_config",
    "parse_target",
    "read_forms",
    "validate",
    "__version__",
]
