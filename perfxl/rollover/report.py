"""The carry-over report: per project this year's money, spending, carry-over, 结余, proposal."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..model import Form, Ref
from ..money import plain_yuan

CONTINUES, ENDS, SKIPPED = "continues", "ends", "skipped"
ROLLOVER_SHEET = "结转情况"  # the sheet of the next-year workbook that holds this report
STATUS_ZH = {CONTINUES: "结转下年", ENDS: "本年结束", SKIPPED: "未处理"}
STATUS_EN = {CONTINUES: "continues", ENDS: "ends this year", SKIPPED: "skipped"}

# kind → (zh, en) message templates with named placeholders.
NOTES: dict[str, tuple[str, str]] = {
    "overspend": (
        "实际支出 {spent} 超过本年年度资金申请总额 {annual}（超支 {over}），无资金可结转",
        "spending {spent} exceeds this year's annual request {annual} (overspent by {over}); "
        "nothing is carried over",
    ),
    "no_spending": (
        "没有该项目的实际支出数，下年上年结转资金未填写：请补充实际支出后重新结转，或手工填写",
        "no spending figure for this project: next year's carry-over is left blank; add the "
        "figure and roll over again, or fill it in by hand",
    ),
    "no_spending_balance": (
        "没有该项目的实际支出数，结余未计算",
        "no spending figure for this project: its balance is not computed",
    ),
    "no_annual": (
        "本年年度资金申请总额未填写，无法计算结转",
        "this year's annual request is blank; the carry-over cannot be computed",
    ),
    "no_total": (
        "项目资金总额（财政资金）未填写，下年当年财政拨款建议数暂按本年数填列，请确认",
        "the project total (fiscal funds) is blank; next year's appropriation is proposed as "
        "this year's, to confirm",
    ),
    "over_appropriated": (
        "历年当年财政拨款已超过财政资金 {fiscal}（超出 {over}），下年建议数为 0.00，请核对",
        "appropriations so far exceed the fiscal funds {fiscal} (by {over}); next year's "
        "proposal is 0.00, check the figures",
    ),
    "assumed_history": (
        "缺少 {years} 年度申报表，按本年当年财政拨款 {amount} 估计该年度已拨款数，建议数请确认",
        "no form for {years}: that year's appropriation is assumed to be this year's {amount}; "
        "confirm the proposal",
    ),
    "proposal": (
        "下年当年财政拨款为建议数：{schedule_zh}，请确认",
        "next year's appropriation is a proposal: {schedule_en}; confirm it",
    ),
    "skipped": (
        "申报表年度 {year} 不是 {this_year} 年度，未结转",
        "the form is for {year}, not {this_year}; not rolled over",
    ),
    "no_dates": (
        "计划开始或完成日期未填写，无法判断项目是否延续到下年，未结转",
        "the planned start or end date is blank; cannot tell whether the project continues",
    ),
}


class _Values(dict):
    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class RolloverNote:
    """A finding of the carry-over: what it is about, how serious, where, and the message."""

    kind: str
    severity: str  # "error" | "warning" | "info"
    ref: Ref
    message_zh: str
    message_en: str

    @classmethod
    def make(cls, kind: str, severity: str, ref: Ref | None, **values: str) -> "RolloverNote":
        zh, en = NOTES[kind]
        return cls(kind, severity, ref or Ref(), zh.format_map(_Values(values)),
                   en.format_map(_Values(values)))

    def message(self, lang: str = "zh") -> str:
        return self.message_zh if lang == "zh" else self.message_en

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "severity": self.severity, "file": self.ref.file or None,
                "sheet": self.ref.sheet or None, "cell": self.ref.cell or None,
                "message": {"zh": self.message_zh, "en": self.message_en}}


@dataclass(frozen=True)
class ProjectRollover:
    """One project's line of the report. Amounts in 元; None where unknown or not applicable."""

    name: str
    unit: str
    start_year: int | None
    end_year: int | None
    status: str  # CONTINUES | ENDS | SKIPPED
    annual: Decimal | None  # this year's 年度资金申请总额
    spent: Decimal | None  # 实际支出
    carryover: Decimal | None  # carried into next year (上年结转资金 of next year's form)
    balance: Decimal | None  # 结余 of a project that ends this year
    proposal: Decimal | None  # next year's proposed 当年财政拨款 (to confirm)
    other_proposal: Decimal | None  # next year's proposed 其他资金 (annual side)
    schedule: tuple[tuple[int, Decimal], ...]  # proposed 当年财政拨款 for each remaining year
    notes: tuple[RolloverNote, ...]
    source: Ref
    spent_ref: Ref | None = None

    @classmethod
    def of(cls, form: Form, status: str, **parts: Any) -> "ProjectRollover":
        project = form.project
        fields = dict(spent=None, carryover=None, balance=None, proposal=None,
                      other_proposal=None, schedule=(), notes=(), spent_ref=None)
        fields.update(parts)
        return cls(name=project.name, unit=project.unit,
                   start_year=project.start.year if project.start else None,
                   end_year=project.end.year if project.end else None,
                   status=status, annual=form.funding.annual, source=form.source, **fields)

    @property
    def period(self) -> str:
        if self.start_year is None or self.end_year is None:
            return ""
        return str(self.start_year) if self.start_year == self.end_year else (
            f"{self.start_year}–{self.end_year}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "unit": self.unit, "status": self.status, "period": self.period,
            "annual": plain_yuan(self.annual), "spent": plain_yuan(self.spent),
            "carryover": plain_yuan(self.carryover), "balance": plain_yuan(self.balance),
            "proposal": plain_yuan(self.proposal), "other_proposal": plain_yuan(self.other_proposal),
            "schedule": [[year, plain_yuan(amount)] for year, amount in self.schedule],
            "notes": [note.to_dict() for note in self.notes],
        }


def _total(values) -> Decimal:
    return sum((v for v in values if v is not None), start=Decimal("0.00"))


@dataclass(frozen=True)
class RolloverReport:
    this_year: int
    next_year: int
    projects: tuple[ProjectRollover, ...]

    @property
    def continuing(self) -> tuple[ProjectRollover, ...]:
        return tuple(p for p in self.projects if p.status == CONTINUES)

    @property
    def ending(self) -> tuple[ProjectRollover, ...]:
        """The 结余 list: projects that end this year, with their unspent money."""
        return tuple(p for p in self.projects if p.status == ENDS)

    @property
    def notes(self) -> tuple[tuple[ProjectRollover, RolloverNote], ...]:
        return tuple((p, n) for p in self.projects for n in p.notes)

    def totals(self) -> dict[str, Decimal]:
        """Column totals of the 结转情况 sheet (unknown amounts count as 0)."""
        return {
            "annual": _total(p.annual for p in self.projects),
            "spent": _total(p.spent for p in self.projects),
            "carryover": _total(p.carryover for p in self.projects),
            "balance": _total(p.balance for p in self.projects),
            "proposal": _total(p.proposal for p in self.projects),
        }

    def count(self, severity: str) -> int:
        return sum(1 for _, note in self.notes if note.severity == severity)

    def to_dict(self) -> dict[str, Any]:
        return {
            "this_year": self.this_year, "next_year": self.next_year,
            "projects": [p.to_dict() for p in self.projects],
            "totals": {k: plain_yuan(v) for k, v in self.totals().items()},
        }
