"""What several rules read from one form, worked out once per form and shared.

``check_form`` runs every rule on a form before it moves on to the next one, so a value
computed from the form is kept for the last form it was asked for (recognised by
identity: forms are immutable) and handed to the next rule that asks.
"""

from __future__ import annotations

from functools import wraps
from typing import Callable, NamedTuple, TypeVar

from ..model import Form, Indicator, Target
from ..text import squash

Value = TypeVar("Value")


def per_form(compute: Callable[[Form], Value]) -> Callable[[Form], Value]:
    """``compute`` kept for the form it was last called with; what it returns must not be
    changed by its callers (tuples, frozensets)."""
    kept: tuple[Form, Value] | None = None

    @wraps(compute)
    def shared(form: Form) -> Value:
        nonlocal kept
        last = kept  # one read: another thread may replace it meanwhile
        if last is not None and last[0] is form:
            return last[1]
        value = compute(form)
        kept = (form, value)
        return value

    return shared


class ValueRow(NamedTuple):
    """An indicator with a quantitative target, as the V rules read it."""

    indicator: Indicator
    target: Target
    name: str  # the name as the V rules compare it: squash(indicator.name)


@per_form
def quantitative_rows(form: Form) -> tuple[ValueRow, ...]:
    """The form's indicators whose target is quantitative, in table order."""
    return tuple(ValueRow(indicator, indicator.target, squash(indicator.name))
                 for indicator in form.indicators if indicator.target.kind == "quantitative")
