"""The rule registry.

One module per rule family (`page.py`, `ads.py`, ...), one function per rule, registered by the
`@rule` decorator that carries the rule's id, owner, default severity, thresholds (with their
defaults: the operating document's numbers), the fields it needs, and its wording in Chinese and
English. Adding a rule is adding one decorated function; discovery picks up every module here.

A rule's docstring has a fixed shape, rendered by `shopdoc explain` and summarised by `shopdoc rules`:

    One-line summary in English.

    [zh]
    检查：...
    原因：...（quote the operating document, name the file）
    怎么做：...
    [en]
    Checks: ...
    Why: ...
    Fix: ...
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from shopdoc.model import OWNERS, SEVERITIES
from shopdoc.params import Param

if TYPE_CHECKING:
    from shopdoc.engine import RuleContext

# Wording: message key -> language -> (title template, action template).
Messages = dict[str, dict[str, tuple[str, str]]]


@dataclass
class Rule:
    id: str
    func: Callable[["RuleContext"], None]
    owner: str
    severity: str
    params: list[Param]
    needs: dict[str, list[str]]
    messages: Messages
    order: int = 0
    doc: str = ""
    units: dict[str, str] = field(default_factory=dict)  # evidence key -> percent | money | count | times
    # A problem still open after days is said in full every this many days (the document's cadence:
    # pages "一般每隔一周观察一次" → 7), otherwise one line under "还没解决的老问题"; 1 = every morning.
    remind_days: int = 1

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.id

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        raise KeyError(f"{self.id} has no parameter {name!r}")

    def defaults(self) -> dict[str, Any]:
        return {
            "enabled": True,
            "severity": self.severity,
            "owner": self.owner,
            "remind_days": self.remind_days,
            **{param.name: param.default for param in self.params},
        }

    def sections(self, lang: str) -> list[tuple[str, str]]:
        """The docstring's `[zh]`/`[en]` block as (label, text) pairs, continuation lines joined."""
        block = _doc_block(self.doc, lang)
        sections: list[tuple[str, str]] = []
        for raw in block.splitlines():
            line = raw.strip()
            if not line:
                continue
            match = re.match(r"^([^:：\s]{1,20})[:：]\s*(.*)$", line)
            if match and match.group(1) in _SECTION_LABELS:
                sections.append((match.group(1), match.group(2)))
            elif sections:
                label, text = sections[-1]
                sections[-1] = (label, f"{text}{'' if lang == 'zh' else ' '}{line}")
        return sections


_SECTION_LABELS = {"检查", "原因", "怎么做", "门槛", "金额", "Checks", "Why", "Fix", "Thresholds", "Money"}


def _doc_block(doc: str, lang: str) -> str:
    match = re.search(rf"\[{lang}\](.*?)(?=\n\s*\[[a-z]{{2}}\]|\Z)", doc, re.S)
    return match.group(1) if match else ""


_REGISTRY: dict[str, Rule] = {}
_LOADED = False


def rule(
    id: str,
    *,
    owner: str,
    severity: str,
    params: list[Param] | None = None,
    needs: dict[str, list[str]] | None = None,
    messages: Messages | None = None,
    units: dict[str, str] | None = None,
    remind_days: int = 1,
) -> Callable[[Callable], Callable]:
    """Register a rule function. See the module docstring for the docstring's shape."""
    if owner not in OWNERS:
        raise ValueError(f"{id}: unknown owner {owner!r}")
    if severity not in SEVERITIES:
        raise ValueError(f"{id}: unknown severity {severity!r}")

    def register(func: Callable) -> Callable:
        if id in _REGISTRY:
            raise ValueError(f"rule {id} registered twice")
        module = importlib.import_module(func.__module__)
        _REGISTRY[id] = Rule(
            id=id,
            func=func,
            owner=owner,
            severity=severity,
            params=list(params or []),
            needs=dict(needs or {}),
            messages=dict(messages or {}),
            order=getattr(module, "ORDER", 100) * 1000 + len(_REGISTRY),
            doc=func.__doc__ or "",
            units=dict(units or {}),
            remind_days=remind_days,
        )
        return func

    return register


def load_rules() -> list[Rule]:
    """Import every rule module once; return the rules in their run and report order."""
    global _LOADED
    if not _LOADED:
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
            if not info.name.startswith("_"):
                importlib.import_module(f"{__name__}.{info.name}")
        _LOADED = True
    return sorted(_REGISTRY.values(), key=lambda r: r.order)


def get_rule(rule_id: str) -> Rule | None:
    load_rules()
    return _REGISTRY.get(rule_id)
