"""Old problems at the document's pace: a to-do open for days is said in full only every
`remind_days` (per rule; page rules 7, after 003: "这三个数据，一般每隔一周观察一次"), and on the other
mornings as one line with its age under "还没解决的老问题" — unless something about it is new today
(it broke again overnight, got more severe than when last seen, or a part of it was first seen today).

Needs `first_seen` (the history): without it every to-do is new and printed in full.
"""

from __future__ import annotations

from datetime import date as Date
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shopdoc.config import Config
    from shopdoc.model import Finding, Report


def remind_days(config: "Config", rule_id: str) -> int:
    """The rule's cadence as configured (`rules.<id>.remind_days`); 1 for to-dos no rule emitted."""
    try:
        return int(config.rule_settings(rule_id).get("remind_days", 1))
    except KeyError:
        return 1


def apply_cadence(report: "Report", config: "Config", before: dict[tuple[str, str], str] | None = None) -> None:
    """Set `reminder` on every to-do open for more than a day whose rule has a cadence. `before`:
    each key's severity when last seen (rule, stored subject); a to-do worse than that is news."""
    from shopdoc.history.store import stored_subject
    from shopdoc.model import SEVERITY_RANK

    if not report.date:
        return
    today = Date.fromisoformat(report.date)
    for finding in report.findings:
        if not finding.first_seen or finding.first_seen >= report.date:
            continue
        every = remind_days(config, finding.rule)
        if every <= 1 or _news(finding, report.date):
            continue
        last = (before or {}).get((finding.rule, stored_subject(finding)))
        if last in SEVERITY_RANK and SEVERITY_RANK[finding.severity] < SEVERITY_RANK[last]:
            continue  # it got worse (a warning yesterday, critical today): said in full
        age = (today - Date.fromisoformat(finding.first_seen)).days + 1
        since_due = (age - 1) % every
        due = since_due == 0
        following = today + timedelta(days=every if due else every - since_due)
        finding.reminder = {"age_days": age, "remind_days": every, "held": not due, "next": following.isoformat()}


def _news(finding: "Finding", day: str) -> bool:
    """Something about an old problem is new today: it broke again (`<msg>.broke`) or a part of it
    (a change, a new review of the item) was first seen today."""
    if finding.msg.endswith(".broke"):
        return True
    return any(part.first_seen == day for part in finding.parts)
