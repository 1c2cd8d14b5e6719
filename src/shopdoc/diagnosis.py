"""From what the rules found to the day's to-do list: one verdict per subject, every amount once.

Rules judge and emit (`RuleContext.finding`, `RuleContext.emit`); this module decides what is
printed, without writing a word of it:

- a bulk verdict (`model.Block`) becomes one to-do per group (a plan's 38 keywords cut by 10%:
  one to-do naming the worst few), or one account-level to-do when most of the account sits on one
  side of a line; the rows stay in the report's details and the bid sheet;
- a default the user never set that verdicts rest on (the gross margin) is an assumption, said in
  the report's head, and when cuts rest on it, setting it is the first to-do;
- keys are unique: rule + subject + facet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shopdoc.model import Assumption, Block, Finding, finding_key

if TYPE_CHECKING:
    from shopdoc.config import Config
    from shopdoc.engine import RunState

# A bulk verdict on at least this many subjects of one group (a plan's keywords) is one to-do. Ours.
GROUP_MIN = 2
# One account-level to-do instead of a line per plan when a verdict covers at least this share of
# the judged subjects of its level, at least ACCOUNT_MIN_ROWS of them, in at least ACCOUNT_MIN_GROUPS
# groups. Ours: the documents give none ("most of an account on one side of a line").
ACCOUNT_SHARE = 0.5
ACCOUNT_MIN_ROWS = 20
ACCOUNT_MIN_GROUPS = 3
# At most this many to-dos per verdict are printed one by one (the groups with the most money);
# the rest are one "and N more plans" to-do, the full list in the bid sheet and details. Ours.
TODOS_PER_VERDICT = 10
WORST = 3

# The diagnosis's own to-dos, worded like a rule's: message -> language -> (title, action).
MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    "gross_margin": {
        "zh": ("先设好毛利率：推广的降价和暂停都按默认毛利率 {margin:pct} 估算（保本投产比 {break_even:num}）",
               "在配置里写上真实毛利率（shop.gross_margin，例如 0.45），再看推广的待办。{n:count} 项降价/暂停"
               "是暂定的：毛利率 ≥ {margin_ok:pct} 时，投产比 {roi:num} 的词就不亏。"),
        "en": ("Set your gross margin first: every ad cut assumes the default {margin:pct} (break-even ROI {break_even:num})",
               "Put your real gross margin in the config (shop.gross_margin, e.g. 0.45), then read the ad to-dos. "
               "{n:count} cuts and pauses are provisional: at a margin of {margin_ok:pct} or more, a word at ROI "
               "{roi:num} does not lose money."),
    },
}
DIAGNOSIS_RULES = {"setup.gross_margin": "gross_margin"}


def compose(state: "RunState", config: "Config", lang: str) -> None:
    """Turn the run's blocks and findings into the printed to-dos, in place."""
    for block in state.blocks:
        state.findings.extend(_block_todos(block, state.facts))
    _assumptions(state, config)
    _unique(state.findings)


# -- bulk verdicts -------------------------------------------------------------------------------
def _block_todos(block: Block, facts: dict[str, Any]) -> list[Finding]:
    from shopdoc.rules import get_rule

    frame = block.frame
    messages = get_rule(block.rule).messages
    grouped = "group" in frame.columns and "group." + block.msg in messages
    judged = facts.get(f"judged.{block.rule}.{block.level}") or facts.get(f"judged.{block.level}")
    groups = frame["group"].nunique() if grouped else 0
    if ("account." + block.msg in messages and len(frame) >= ACCOUNT_MIN_ROWS and groups >= ACCOUNT_MIN_GROUPS
            and judged and len(frame) >= ACCOUNT_SHARE * judged):
        return [_account(block, frame, judged)]
    units: list[Finding] = []
    if grouped:
        sizes = frame.groupby("group", sort=False)["subject"].transform("size")
        singles = frame[sizes < GROUP_MIN]
        many = frame[sizes >= GROUP_MIN]
        for group, rows in many.groupby("group", sort=False):
            units.append(_group(block, str(group), rows))
    else:
        singles = frame
    # Singles: only the ones that can be printed become objects; the rest are counted.
    money = singles["money"].fillna(0.0)
    order = money.sort_values(ascending=False, kind="stable").index
    limit = max(TODOS_PER_VERDICT - len(units), 0) + TODOS_PER_VERDICT
    for index in order[:limit]:
        units.append(_single(block, frame.loc[index]))
    units.sort(key=lambda f: -(f.money or 0.0))
    if len(units) <= TODOS_PER_VERDICT and len(order) <= limit:
        return units
    if "account." + block.msg not in messages:
        return units
    kept, rest = units[:TODOS_PER_VERDICT], units[TODOS_PER_VERDICT:]
    shown = {s for f in kept for s in ([f.subject] if f.count == 1 else f.values.get("_subjects", []))}
    left = frame[~frame["subject"].isin(shown)] if shown else frame
    if len(left):
        kept.append(_account(block, left, judged, rest=True))
    return kept


def _values(block: Block, row: Any) -> dict[str, Any]:
    return {name: row[name] for name in ("name", "group", "item_id", "provisional") if name in row.index}


def _evidence(block: Block, row: Any) -> dict[str, Any]:
    from shopdoc.engine import _plain

    return {name: _plain(row[name]) for name in block.evidence if name in row.index}


def _money(value: Any) -> float | None:
    value = float(value) if value is not None else None
    return None if value is None or value != value else value


def _single(block: Block, row: Any) -> Finding:
    values = {**block.values, **_values(block, row)}
    return Finding(
        rule=block.rule, severity=block.severity, owner=block.owner, subject=str(row["subject"]),
        evidence=_evidence(block, row), money=_money(row["money"]), order=block.order, msg=block.msg,
        values=values, facet=row["facet"] if "facet" in row.index and row["facet"] else None,
        currency=row["currency"] if "currency" in row.index and isinstance(row["currency"], str) else None,
        provisional=bool(row["provisional"]) if "provisional" in row.index else False,
    )


def _worst(rows: Any) -> list[dict[str, Any]]:
    top = rows.assign(_m=rows["money"].fillna(0.0)).nlargest(WORST, "_m")
    names = top["name"] if "name" in top.columns else top["subject"]
    return [{"subject": str(subject), "name": str(name), "money": _money(money)}
            for subject, name, money in zip(top["subject"], names, top["money"])]


def _sums(block: Block, rows: Any) -> dict[str, Any]:
    """Evidence of many subjects: the summed counts and money (rates are not summed)."""
    out = {}
    for name in ("impressions", "clicks", "cost", "gmv", "loss", "visitors"):
        if name in block.evidence and name in rows.columns:
            out[name] = round(float(rows[name].sum()), 2)
    if "cost" in out and "gmv" in out and out["cost"]:
        out["roi"] = round(out["gmv"] / out["cost"], 4)
    return out


def _currency(rows: Any) -> str | None:
    if "currency" not in rows.columns:
        return None
    codes = rows["currency"].dropna().unique()
    return str(codes[0]) if len(codes) == 1 else None


def _group(block: Block, group: str, rows: Any) -> Finding:
    money = _money(rows["money"].sum(min_count=1))
    name = group.split(":", 1)[1] if ":" in group else group
    values = {**block.values, "n": len(rows), "group": name, "money": money, "_subjects": list(rows["subject"])}
    return Finding(
        rule=block.rule, severity=block.severity, owner=block.owner, subject=group, evidence=_sums(block, rows),
        money=money, order=block.order, msg="group." + block.msg, values=values, facet=block.msg,
        currency=_currency(rows), count=len(rows), worst=_worst(rows),
        provisional=bool(rows["provisional"].any()) if "provisional" in rows.columns else False,
    )


def _account(block: Block, rows: Any, judged: int | None, *, rest: bool = False) -> Finding:
    money = _money(rows["money"].sum(min_count=1))
    groups = int(rows["group"].nunique()) if "group" in rows.columns else 0
    values = {**block.values, "n": len(rows), "groups": groups, "money": money, "rest": rest,
              "share": len(rows) / judged if judged else None, "judged": judged}
    return Finding(
        rule=block.rule, severity=block.severity, owner=block.owner, subject="account",
        evidence=_sums(block, rows), money=money, order=block.order, msg="account." + block.msg,
        values=values, facet=f"{block.level} {block.msg}" + (" rest" if rest else ""),
        currency=_currency(rows), count=len(rows), worst=_worst(rows),
        provisional=bool(rows["provisional"].any()) if "provisional" in rows.columns else False,
    )


# -- what the report assumes ---------------------------------------------------------------------
def _assumptions(state: "RunState", config: "Config") -> None:
    """The gross margin: when ad verdicts rest on its default, say so, and make setting it first."""
    if config.is_set("shop", "gross_margin"):
        return
    provisional = [f for f in state.findings if f.provisional]
    rows = sum(int(b.frame["provisional"].sum()) for b in state.blocks if "provisional" in b.frame.columns)
    judged = state.facts.get("ads.break_even_used")
    if not provisional and not rows and not judged:
        return
    margin = float(config.get("shop", "gross_margin"))
    break_even = 1 / margin
    roi = state.facts.get("ads.account_roi")
    values = {"margin": margin, "break_even": break_even, "n": rows or len(provisional),
              "roi": roi, "margin_ok": (1 / roi) if roi else None}
    state.assumptions.append(Assumption("shop.gross_margin", values,
                                        sorted({f.rule for f in provisional} | {b.rule for b in state.blocks
                                               if "provisional" in b.frame.columns})))
    if provisional or rows:
        state.findings.append(Finding(
            rule="setup.gross_margin", severity="warning", owner="operations", subject="shop",
            evidence={"gross_margin": margin, "break_even_roi": round(break_even, 4)},
            order=-1, msg="gross_margin", values=values, urgent=True,
        ))


# -- keys ----------------------------------------------------------------------------------------
def _unique(findings: list[Finding]) -> None:
    """Every key once: a second finding of one rule on one subject takes its message as facet."""
    seen: dict[str, Finding] = {}
    for finding in findings:
        key = finding.key
        if key in seen and not finding.facet:
            finding.facet = finding.msg or None
            key = finding.key
        number = 2
        base = finding.facet
        while key in seen:
            finding.facet = f"{base or ''}#{number}".lstrip()
            key = finding.key
            number += 1
        seen[key] = finding


def message(rule_id: str) -> dict[str, dict[str, tuple[str, str]]] | None:
    """The diagnosis's own wording, for to-dos no rule emitted (`setup.gross_margin`)."""
    name = DIAGNOSIS_RULES.get(rule_id)
    return {name: MESSAGES[name]} if name else None
