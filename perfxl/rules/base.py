"""The rule catalogue's machinery: a rule declares everything the user sees.

A rule is a small function decorated with ``@rule(...)``. The decorator records the
code (the id of rules.md, declared, never derived), a dotted name, the default
severity, zh/en message templates with named placeholders, a separate fix hint, the
source it rests on, and a 反例/正例 example pair that the tests run.

The function receives a Form and the Config and yields ``Hit``s: which field (or
indicator part) is wrong and the values for the message. It never builds messages
or findings itself.

A rule across forms (scope "forms", the C family) is a class instead: made with the
Config, it is handed the forms one at a time (``FormsCheck.add``) and then asked for its
hits, each with the index of the form it is about. It keeps what it sums or matches, not
the forms: a summary of 20,000 forms runs it without holding them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Callable, Iterable, Iterator, Mapping, Protocol, TypeVar

from ..model import Form, Indicator, Ref

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)


@dataclass(frozen=True, init=False)
class Hit:
    """One thing a rule found.

    ``field`` is a field path of the form (``funding.annual``) or, with ``indicator``,
    the indicator part (``level1``, ``level2``, ``name``, ``value``).
    ``variant`` picks one of the rule's message variants; ``severity`` overrides the
    rule's default for this hit (rules with two grades, e.g. error above 100 %).
    """

    field: str
    values: Mapping[str, Any] = field(default_factory=dict)
    indicator: Indicator | None = None
    variant: str = "default"
    severity: str | None = None

    def __init__(self, field: str, values: Mapping[str, Any] | None = None,
                 indicator: Indicator | None = None, variant: str = "default",
                 severity: str | None = None) -> None:
        # One per finding: filling the instance dict (as model.Ref does) is several times
        # faster than the frozen dataclass's generated __init__; the instance stays frozen.
        fields = self.__dict__
        fields["field"], fields["values"] = field, {} if values is None else values
        fields["indicator"], fields["variant"], fields["severity"] = indicator, variant, severity

    def ref(self, form: Form) -> Ref:
        if self.indicator is not None:
            return self.indicator.ref(self.field) or self.indicator.ref("name") or form.source
        return form.ref(self.field)


class FormsCheck(Protocol):
    """A rule across forms at work (what its class makes, for one set of forms)."""

    def add(self, index: int, form: Form, first: int | None) -> None:
        """The next form of the set; ``first``: the index of the form it is a later copy
        of (rule C03's identity: same 项目名称, 实施单位 and year), else None."""

    def hits(self, form_at: Callable[[int], Form]) -> Iterator[tuple[int, Hit]]:
        """(index of the form, Hit) for each thing found; ``form_at(index)`` gives a form
        of the set back."""


@dataclass(frozen=True)
class Message:
    zh: str
    en: str


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    messages: Mapping[str, Message]  # variant → message templates
    fix: Message
    source: str
    check: Callable[..., Any]  # see ``scope``
    # 反例 / 正例: a form fragment (see rules/examples.py) that must give exactly this code /
    # nothing from it. For scope "forms": {"forms": [fragment, fragment, …]}.
    bad: Mapping[str, Any]
    good: Mapping[str, Any]
    summary: Message = Message("", "")
    needs_indicators: bool = False  # P05: skipped on a form with no indicator block
    # "form": check(form, config) → Hits; "forms": check(config) → a FormsCheck
    scope: str = "form"

    @property
    def family(self) -> str:
        return self.code[0]

    def __call__(self, form: Form, config: Any) -> Iterable[Hit]:
        return self.check(form, config)


_REGISTRY: dict[str, Rule] = {}
_PLACEHOLDER = re.compile(r"\{[a-z_0-9]+\}")


def _blank_out(template: str) -> str:
    """A message template as a catalogue summary: placeholders shown as …"""
    return _PLACEHOLDER.sub("…", template)


def rule(
    *,
    code: str,
    name: str,
    severity: str,
    message_zh: str | Mapping[str, str],
    message_en: str | Mapping[str, str],
    fix_zh: str,
    fix_en: str,
    source: str,
    bad: Mapping[str, Any],
    good: Mapping[str, Any],
    summary_zh: str = "",
    summary_en: str = "",
    needs_indicators: bool = False,
    scope: str = "form",
) -> Callable[[Callable[..., Any]], Rule]:
    """Register a check under its catalogue code."""
    if severity not in SEVERITIES:
        raise ValueError(f"{code}: unknown severity {severity!r}")
    zh = {"default": message_zh} if isinstance(message_zh, str) else dict(message_zh)
    en = {"default": message_en} if isinstance(message_en, str) else dict(message_en)
    if zh.keys() != en.keys():
        raise ValueError(f"{code}: zh and en message variants differ")
    messages = {variant: Message(zh[variant], en[variant]) for variant in zh}

    def register(check: Callable[..., Any]) -> Rule:
        if code in _REGISTRY:
            raise ValueError(f"rule code {code} declared twice")
        registered = Rule(
            code=code,
            name=name,
            severity=severity,
            messages=messages,
            fix=Message(fix_zh, fix_en),
            source=source,
            check=check,
            bad=bad,
            good=good,
            summary=Message(summary_zh or _blank_out(zh["default"]),
                            summary_en or _blank_out(en["default"])),
            needs_indicators=needs_indicators,
            scope=scope,
        )
        _REGISTRY[code] = registered
        return registered

    return register


def registry() -> dict[str, Rule]:
    """All registered rules by code, in code order."""
    return dict(sorted(_REGISTRY.items()))


_IN_ORDER: dict[str, tuple[int, tuple[Rule, ...]]] = {}  # scope → (registry size, rules)


def rules_of_scope(scope: str) -> tuple[Rule, ...]:
    """The registered rules of one scope ("form" or "forms"), in code order.

    Kept between calls (a check runs this for every form); rules are only ever added, so
    the registry's size says whether the kept tuple is still complete.
    """
    kept = _IN_ORDER.get(scope)
    if kept is None or kept[0] != len(_REGISTRY):
        rules = tuple(r for _, r in sorted(_REGISTRY.items()) if r.scope == scope)
        kept = _IN_ORDER[scope] = (len(_REGISTRY), rules)
    return kept[1]


Value = TypeVar("Value")


def per_form(compute: Callable[[Form], Value]) -> Callable[[Form], Value]:
    """``compute(form)``, worked out once per form and shared by the rules that ask for it.

    ``check_form`` runs every rule on a form before it moves on to the next one, so the
    value is kept for the form it was last computed for, recognised by identity (forms are
    immutable). What ``compute`` returns must not be changed by its callers (tuples,
    frozensets).
    """
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
