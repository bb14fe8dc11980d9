"""Year-end carry-over (结转): this year's forms + spending → next year's forms and a report.

How the money moves (our reading of the form, stated once here and in docs/rollover.md):

* 年度资金申请总额 = 当年财政拨款 + 上年结转资金 + 其他资金 (rule F01).
* 上年结转资金 next year = this year's 年度资金申请总额 − 实际支出: money granted in an earlier
  year and spent late. It is **not new money**: over the life of a project the new fiscal
  money — the 当年财政拨款 of each year — adds up to 财政资金, and with the 其他资金 of each
  year to 项目资金总额. A carry-over is never negative; spending more than the annual money
  (overspend) is a finding and carries nothing over.
* The proposal for next year's 当年财政拨款 is the fiscal money not yet appropriated —
  财政资金 − the 当年财政拨款 of this and earlier years — spread evenly over the remaining
  years, cut to the fen, the last year taking the rounding remainder. 其他资金 (annual
  side) is proposed the same way from 其他资金 (project side). The proposal is marked for
  the user to confirm.

  Sample: 未来公园展厅运营项目 (2023–2024, 财政资金 22,438,416.00) had 11,219,208.00 in 2023
  and spent 10,000,000.00. 2024: 上年结转资金 1,219,208.00; proposed 当年财政拨款
  22,438,416.00 − 11,219,208.00 = 11,219,208.00 (the two years' appropriations add up to
  项目资金总额); 年度资金申请总额 11,219,208.00 + 1,219,208.00 = 12,438,416.00.
* Earlier years' appropriations are known for this year's start year (none before it) and
  from ``history`` (forms of earlier years). A year neither covers is assumed to have had
  this year's 当年财政拨款, and the proposal says so.
* Projects that end this year (single-year projects, multi-year projects in their last
  year) get no next-year form: their unspent money is 结余, listed, not carried over.

The core reads and writes no file: see ``perfxl.rollover.files`` for the doors.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_DOWN, Decimal
from typing import Iterable, Sequence

from ..model import Form, Funding, Goals, Ref
from ..money import FEN, format_yuan
from .report import ENDS, CONTINUES, SKIPPED, ProjectRollover, RolloverNote, RolloverReport
from .spent import Spending, as_spending, form_key

ZERO = Decimal("0.00")


def _add(*parts: Decimal | None) -> Decimal:
    return sum((p for p in parts if p is not None), start=ZERO)


def spread(amount: Decimal, years: Sequence[int]) -> tuple[tuple[int, Decimal], ...]:
    """``amount`` over ``years``: equal shares cut to the fen, the last year takes the rest.

    Shares are rounded down so that the last year's share is never below the others (and
    never negative): 10.00 over three years is 3.33, 3.33, 3.34.
    """
    if not years:
        return ()
    share = (amount / len(years)).quantize(FEN, rounding=ROUND_DOWN)
    schedule = [(year, share) for year in years[:-1]]
    schedule.append((years[-1], amount - share * (len(years) - 1)))
    return tuple(schedule)


def this_year_of(forms: Sequence[Form]) -> int | None:
    """The budget year the forms are for (the most common form year)."""
    years = [f.year for f in forms if f.year is not None]
    return max(set(years), key=years.count) if years else None


def _history_by_year(form: Form, history: Iterable[Form]) -> dict[int, Form]:
    key = form_key(form)
    return {f.year: f for f in history if f.year is not None and form_key(f) == key}


def _earlier_new_money(form: Form, this_year: int, history: Iterable[Form]):
    """(Σ earlier 当年财政拨款, Σ earlier annual 其他资金, years assumed) before this year."""
    start = form.project.start.year
    known = _history_by_year(form, history)
    appropriation = other = ZERO
    assumed: list[int] = []
    for year in range(start, this_year):
        earlier = known.get(year)
        if earlier is None:
            assumed.append(year)
            appropriation += form.funding.appropriation or ZERO
            other += form.funding.other_annual or ZERO
        else:
            appropriation += earlier.funding.appropriation or ZERO
            other += earlier.funding.other_annual or ZERO
    return appropriation, other, tuple(assumed)


def _fiscal_total(funding: Funding) -> Decimal | None:
    if funding.fiscal is not None:
        return funding.fiscal
    if funding.total is not None:
        return funding.total - (funding.other_total or ZERO)
    return None


def propose(form: Form, this_year: int, history: Iterable[Form] = ()):
    """Next year's (当年财政拨款, 其他资金) proposals, the appropriation schedule, and notes."""
    funding = form.funding
    end = form.project.end.year
    remaining_years = list(range(this_year + 1, end + 1))
    earlier_appropriation, earlier_other, assumed = _earlier_new_money(form, this_year, history)
    notes: list[RolloverNote] = []
    if assumed:
        notes.append(RolloverNote.make("assumed_history", "info", form.source,
                                       years="、".join(map(str, assumed)),
                                       amount=format_yuan(funding.appropriation or ZERO)))
    fiscal = _fiscal_total(funding)
    if fiscal is None:
        notes.append(RolloverNote.make("no_total", "warning", form.ref("funding.total")))
        appropriation = funding.appropriation or ZERO
        schedule = tuple((year, appropriation) for year in remaining_years)
        return appropriation, funding.other_annual or ZERO, schedule, notes
    left = fiscal - earlier_appropriation - (funding.appropriation or ZERO)
    if left < 0:
        notes.append(RolloverNote.make("over_appropriated", "warning", form.ref("funding.fiscal"),
                                       fiscal=format_yuan(fiscal), over=format_yuan(-left)))
        left = ZERO
    schedule = spread(left, remaining_years)
    other_left = max(ZERO, (funding.other_total or ZERO) - earlier_other
                     - (funding.other_annual or ZERO))
    other = spread(other_left, remaining_years)[0][1]
    return schedule[0][1], other, schedule, notes


def unspent(form: Form, spending: Spending, missing: str = "no_spending"):
    """(This year's 年度资金申请总额 − 实际支出, never negative, or None; notes)."""
    spent = spending.of(form)
    annual = form.funding.annual
    if spent is None:
        return None, [RolloverNote.make(missing, "warning", form.source)]
    if annual is None:
        return None, [RolloverNote.make("no_annual", "warning", form.ref("funding.annual"))]
    if spent > annual:
        ref = spending.ref_of(form) or form.source
        return ZERO, [RolloverNote.make("overspend", "warning", ref, spent=format_yuan(spent),
                                        annual=format_yuan(annual),
                                        over=format_yuan(spent - annual))]
    return annual - spent, []


def next_year_form(form: Form, next_year: int, carryover: Decimal | None,
                   appropriation: Decimal, other: Decimal) -> Form:
    """The next-year form of a continuing project (project, totals, goals and indicators kept)."""
    funding = replace(
        form.funding,
        appropriation=appropriation,
        carryover=carryover,
        other_annual=other,
        annual=_add(appropriation, carryover, other),
    )
    return replace(
        form,
        year=next_year,
        funding=funding,
        goals=Goals(overall=form.goals.overall, annual="", overall_period=form.goals.overall_period),
        source=Ref(),
        cells={},
        raw={},
    )


def _status(form: Form, this_year: int) -> str:
    """CONTINUES, ENDS, or the note kind saying why the form is skipped."""
    project = form.project
    if form.year not in (None, this_year):
        return "skipped"
    if project.start is None or project.end is None:
        return "no_dates"
    return CONTINUES if project.end.year > this_year else ENDS


def _continuing(form: Form, this_year: int, next_year: int, spending: Spending, history):
    carryover, notes = unspent(form, spending)
    appropriation, other, schedule, proposal_notes = propose(form, this_year, history)
    new_form = next_year_form(form, next_year, carryover, appropriation, other)
    plan_zh = "，".join(f"{year}年 {format_yuan(amount)}" for year, amount in schedule)
    plan_en = ", ".join(f"{year}: {format_yuan(amount)}" for year, amount in schedule)
    proposal_notes.insert(0, RolloverNote.make("proposal", "info", form.ref("funding.appropriation"),
                                               schedule_zh=plan_zh, schedule_en=plan_en))
    entry = ProjectRollover.of(form, CONTINUES, spent=spending.of(form),
                               spent_ref=spending.ref_of(form), carryover=carryover,
                               proposal=appropriation, other_proposal=other, schedule=schedule,
                               notes=tuple(notes + proposal_notes))
    return new_form, entry


def _ending(form: Form, spending: Spending) -> ProjectRollover:
    balance, notes = unspent(form, spending, "no_spending_balance")
    return ProjectRollover.of(form, ENDS, spent=spending.of(form), spent_ref=spending.ref_of(form),
                              balance=balance, notes=tuple(notes))


def rollover(
    forms: Sequence[Form],
    spent: object = None,
    next_year: int | None = None,
    *,
    history: Iterable[Form] = (),
) -> tuple[list[Form], RolloverReport]:
    """Roll this year's forms forward: (next year's forms, the report).

    ``spent``: a ``Spending``, a spending file path, or a mapping name / (name, unit) →
    amount (checked against the forms; ``SpendingError`` on a key matching no project or
    two). ``next_year`` defaults to the forms' year + 1. ``history``: forms of earlier
    years, used for the appropriations already made (see the module docstring).
    """
    forms = list(forms)
    this_year = (next_year - 1) if next_year is not None else this_year_of(forms)
    if this_year is None:
        from ..errors import FormParseError

        raise FormParseError("申报表没有年度，请用 next_year 指定下一年度",
                             "the forms carry no year; give next_year")
    next_year = this_year + 1
    spending = as_spending(spent, forms)
    history = list(history)
    next_forms: list[Form] = []
    entries: list[ProjectRollover] = []
    for form in forms:
        status = _status(form, this_year)
        if status == CONTINUES:
            new_form, entry = _continuing(form, this_year, next_year, spending, history)
            next_forms.append(new_form)
        elif status == ENDS:
            entry = _ending(form, spending)
        else:
            entry = ProjectRollover.of(form, SKIPPED, notes=(RolloverNote.make(
                status, "warning", form.source, year=str(form.year or ""),
                this_year=str(this_year)),))
        entries.append(entry)
    return next_forms, RolloverReport(this_year, next_year, tuple(entries))
