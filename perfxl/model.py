"""The form as data: frozen dataclasses, money as Decimal, every field with its cell.

Values compare equal whatever source they came from (published text, a sheet, live
Excel); where a value came from is kept beside it in ``Form.cells`` and ``Form.raw``,
which take no part in equality.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping

OPERATORS = ("≥", "≤", "=", ">", "<")

# Field paths: the keys of Form.cells / Form.raw and the names rules point at.
FUNDING_FIELDS = (
    "total",
    "fiscal",
    "other_total",
    "annual",
    "appropriation",
    "carryover",
    "other_annual",
)


@dataclass(frozen=True, init=False)
class Ref:
    """Where a value came from.

    ``cell`` is an A1 address for sheets, ``R<line>C<field>`` for text lines.
    """

    file: str = ""
    sheet: str = ""
    cell: str = ""

    def __init__(self, file: str = "", sheet: str = "", cell: str = "") -> None:
        # A form makes a hundred of these: filling the instance dict directly is three times
        # faster than the frozen dataclass's generated __init__, and the instance stays frozen.
        fields = self.__dict__
        fields["file"], fields["sheet"], fields["cell"] = file, sheet, cell

    def __str__(self) -> str:
        place = f"{self.sheet}!{self.cell}" if self.sheet else self.cell
        return f"{self.file} {place}".strip()


@dataclass(frozen=True, init=False)
class Target:
    """A parsed indicator value: ``op number (unit)`` or qualitative text.

    ``kind`` is one of ``quantitative``, ``qualitative``, ``empty``, ``malformed``.
    """

    raw: str
    kind: str
    op: str | None = None
    number: Decimal | None = None
    unit: str | None = None
    text: str | None = None
    problem: str | None = None  # why a value is malformed (for messages)

    def __init__(self, raw: str, kind: str, op: str | None = None, number: Decimal | None = None,
                 unit: str | None = None, text: str | None = None,
                 problem: str | None = None) -> None:
        # One per distinct indicator value: filling the instance dict (as Ref does) is
        # several times faster than the frozen dataclass's generated __init__.
        fields = self.__dict__
        fields["raw"], fields["kind"], fields["op"], fields["number"] = raw, kind, op, number
        fields["unit"], fields["text"], fields["problem"] = unit, text, problem

    @property
    def is_quantitative(self) -> bool:
        return self.kind == "quantitative"


@dataclass(frozen=True, init=False)
class Indicator:
    level1: str
    level2: str
    name: str
    target: Target
    refs: Mapping[str, Ref] = field(default_factory=dict, compare=False, hash=False)
    level1_inferred: bool = field(default=False, compare=False)

    def __init__(self, level1: str, level2: str, name: str, target: Target,
                 refs: Mapping[str, Ref] | None = None, level1_inferred: bool = False) -> None:
        # A form makes a few dozen: filling the instance dict directly (as Ref does) is
        # three times faster than the frozen dataclass's generated __init__.
        fields = self.__dict__
        fields["level1"], fields["level2"], fields["name"] = level1, level2, name
        fields["target"], fields["refs"] = target, {} if refs is None else refs
        fields["level1_inferred"] = level1_inferred

    @property
    def raw(self) -> str:
        return self.target.raw

    def ref(self, part: str) -> Ref | None:
        """The cell of ``level1``, ``level2``, ``name`` or ``value``."""
        return self.refs.get(part)


@dataclass(frozen=True, slots=True)
class Project:
    name: str = ""
    nature: str = ""
    category: str = ""
    department: str = ""
    unit: str = ""
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def is_multi_year(self) -> bool:
        return bool(self.start and self.end and self.start.year != self.end.year)


@dataclass(frozen=True, slots=True)
class Funding:
    """Amounts in 元 (converted when the form declared 万元); None where blank."""

    total: Decimal | None = None
    fiscal: Decimal | None = None
    other_total: Decimal | None = None
    annual: Decimal | None = None
    appropriation: Decimal | None = None
    carryover: Decimal | None = None
    other_annual: Decimal | None = None
    unit: str | None = "元"  # the unit the form declared: 元, 万元 or None

    @property
    def has_total_block(self) -> bool:
        return any(v is not None for v in (self.total, self.fiscal, self.other_total))


@dataclass(frozen=True, slots=True)
class Goals:
    overall: str = ""
    annual: str = ""
    overall_period: tuple[int, int] | None = None  # from a label 项目总目标 (2023年-2024年)


@dataclass(frozen=True, slots=True)
class Form:
    year: int | None
    project: Project
    funding: Funding
    goals: Goals
    indicators: tuple[Indicator, ...] = ()
    source: Ref = field(default_factory=Ref, compare=False)
    cells: Mapping[str, Ref] = field(default_factory=dict, compare=False, hash=False)
    raw: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    has_indicator_block: bool = field(default=True, compare=False)
    # field paths (and "indicator:<n>" for values) whose cell is a formula saved without a value
    uncalculated: tuple[str, ...] = field(default=(), compare=False)

    @property
    def label(self) -> str:
        """How a finding names the form: its project name, else its source."""
        return self.project.name or str(self.source)

    def ref(self, path: str) -> Ref:
        """The cell of a field path such as ``funding.annual``; the form's source if unknown."""
        return self.cells.get(path) or self.source
