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

from shopdoc.model import SEVERITY_RANK, Assumption, Block, Finding

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
TODOS_PER_VERDICT = 5
WORST = 3

# The diagnosis's own to-dos, worded like a rule's: message -> language -> (title, action).
MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    "gross_margin": {
        "zh": ("先设好毛利率：推广的降价和暂停都按默认毛利率 {margin:pct} 估算（保本投产比 {break_even:num}）",
               "在配置里写上真实毛利率（shop.gross_margin，例如 0.45），再看推广的待办：下面 {n:count} 项降价/暂停"
               "是按 {margin:pct} 算的（暂定）。真实毛利率更高，保本线就更低，其中有些词其实不亏；更低，要降的还会更多。"),
        "en": ("Set your gross margin first: every ad cut assumes the default {margin:pct} (break-even ROI {break_even:num})",
               "Put your real gross margin in the config (shop.gross_margin, e.g. 0.45), then read the ad to-dos: the "
               "{n:count} cuts and pauses below assume {margin:pct} (provisional). A higher real margin lowers the "
               "break-even line and spares some of them; a lower one adds more."),
    },
}
MESSAGES["item"] = {
    "zh": ("商品诊断：「{name}」有 {n} 件事要一起处理",
           "先由{first_owner:owner}做第一件，其余按下面写的负责人分头做：问题出在同一个商品上，一起看才找得到原因。"),
    "en": ("“{name}”: {n} related issues to handle together",
           "{first_owner:owner} goes first, then the rest below; they all concern this item, and only together do "
           "they show the cause."),
}
MESSAGES["item_moved"] = {
    "zh": ("商品诊断：「{name}」成交额 {compare_gmv:money} → {gmv:money}，拖累全店，有 {n} 件事要一起处理",
           "先由{first_owner:owner}做第一件，其余按下面写的负责人分头做：问题出在同一个商品上，一起看才找得到原因。"),
    "en": ("“{name}”: sales fell from {compare_gmv:money} to {gmv:money}, pulling the shop down — {n} related issues",
           "{first_owner:owner} goes first, then the rest below; they all concern this item, and only together do "
           "they show the cause."),
}
MESSAGES["assumed_margin"] = {
    "zh": ("毛利率未配置，按 {margin:pct} 估算：保本投产比 {break_even:num}（账户整体投产比 {roi:num}，"
           "毛利率 ≥ {margin_ok:pct} 时整体不亏）", ""),
    "en": ("no gross margin set, so {margin:pct} is assumed: break-even ROI {break_even:num} (the account as a whole "
           "returns {roi:num}, which breaks even at a margin of {margin_ok:pct} or more)", ""),
}
MESSAGES["assumed_margin_net"] = {  # the account's ROI net of refunds (item.refund_rate's reading)
    "zh": ("毛利率未配置，按 {margin:pct} 估算：保本投产比 {break_even:num}（账户整体投产比 {gross_roi:num}，扣掉退款后 {roi:num}，"
           "毛利率 ≥ {margin_ok:pct} 时整体不亏）", ""),
    "en": ("no gross margin set, so {margin:pct} is assumed: break-even ROI {break_even:num} (the account as a whole "
           "returns {gross_roi:num}, {roi:num} net of refunds, which breaks even at a margin of {margin_ok:pct} or more)", ""),
}
DIAGNOSIS_RULES = {"setup.gross_margin": ("gross_margin", "assumed_margin", "assumed_margin_net"),
                   "item.diagnosis": ("item", "item_moved")}


def compose(state: "RunState", config: "Config", lang: str) -> None:
    """Turn the run's blocks and findings into the printed to-dos, in place."""
    judged_changes = _subject_changes_judged(state)
    for block in state.blocks:
        state.findings.extend(_block_todos(block, state.facts))
    _changes_into_their_rules(state)
    _subject_changes_into_their_rules(state, judged_changes)
    _keep_told_rows(state, judged_changes)
    story = _gmv_story(state)
    _items(state, story)
    _assumptions(state, config)
    _unique(state.findings)


# -- bulk verdicts -------------------------------------------------------------------------------
def _block_todos(block: Block, facts: dict[str, Any]) -> list[Finding]:
    import numpy as np
    import pandas as pd

    from shopdoc.rules import get_rule

    frame = block.frame
    messages = get_rule(block.rule).messages
    grouped = "group" in frame.columns and "group." + block.msg in messages
    judged = facts.get(f"judged.{block.rule}.{block.level}") or facts.get(f"judged.{block.level}")
    # The groups as codes, once (-1: no group; such rows are neither single nor grouped).
    codes, names = pd.factorize(frame["group"]) if grouped else (None, ())
    groups = len(names)
    if ("account." + block.msg in messages and len(frame) >= ACCOUNT_MIN_ROWS and groups >= ACCOUNT_MIN_GROUPS
            and judged and len(frame) >= ACCOUNT_SHARE * judged):
        return [_account(block, frame, judged, groups=groups)]
    has_rest = "account." + block.msg in messages
    units: list[Finding] = []
    candidates = 0
    singles = frame
    if grouped:
        grouped_row = codes >= 0
        sizes = np.bincount(codes[grouped_row], minlength=groups)[np.where(grouped_row, codes, 0)]
        singles = frame[grouped_row & (sizes < GROUP_MIN)]
        in_many = grouped_row & (sizes >= GROUP_MIN)
        many = _summed(frame)[in_many]
        if len(many):
            # Totals per group in one pass; only the groups that will be printed become objects.
            many_codes = codes[in_many]
            totals = _rank(many).groupby(many_codes, sort=False).sum()
            totals = totals.sort_values(ascending=False, kind="stable")
            candidates += len(totals)
            for code in totals.index[:TODOS_PER_VERDICT if has_rest else len(totals)]:
                units.append(_group(block, str(names[code]), many.iloc[np.flatnonzero(many_codes == code)]))
    candidates += len(singles)
    order = _rank(singles).sort_values(ascending=False, kind="stable").index
    for index in order[:TODOS_PER_VERDICT if has_rest else len(order)]:
        units.append(_single(block, frame.loc[index]))
    units.sort(key=lambda f: -(f.money or 0.0))
    if candidates <= TODOS_PER_VERDICT or not has_rest:
        return units
    kept = units[:TODOS_PER_VERDICT]
    shown = {s for f in kept for s in ([f.subject] if f.count == 1 else f.values.get("_subjects", []))}
    left = _summed(frame)[~frame["subject"].isin(shown)] if shown else frame
    if len(left):
        kept.append(_account(block, left, judged, rest=True))
    return kept


# What a to-do of many rows reads of them (`_group`, `_account`): its rows are cut out of tables of
# 100,000 subjects with all their evidence, so only these columns are.
SUMMED = ("subject", "name", "group", "money", "currency", "provisional", "rank",
          "impressions", "clicks", "cost", "gmv", "loss", "visitors")


def _summed(frame: Any) -> Any:
    return frame[[name for name in SUMMED if name in frame.columns]]


def _rank(rows: Any) -> Any:
    """What the worst are the worst by: a block's own `rank` column when it has one (a change: the
    size of the move), else the money at stake; for a verdict without money (no clicks, a new
    creative), the spend, else the impressions — the biggest first, never arbitrary."""
    for name in ("rank", "money", "cost", "impressions", "visitors"):
        if name in rows.columns and rows[name].fillna(0.0).any():
            return rows[name].fillna(0.0)
    return rows["money"].fillna(0.0)


def _values(block: Block, row: Any) -> dict[str, Any]:
    return {name: row[name] for name in ("name", "group", "item_id", "ad_group", "provisional")
            if name in row.index and _known(row[name])}


def _known(value: Any) -> bool:
    """Not missing: None, NaN and NA are no value (a keyword without an item link)."""
    if value is None:
        return False
    try:
        return not (value != value)
    except (TypeError, ValueError):  # pd.NA compares to nothing
        return False


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
    import numpy as np
    import pandas as pd

    # The rows' positions by rank (as DataFrame.nlargest picks them: the largest first, ties in row
    # order), without copying the rows; a small group by a stable sort, not pandas' selection.
    rank = _rank(rows).to_numpy(dtype="float64")
    if len(rank) <= 1000 and not np.isnan(rank).any():
        top = np.argsort(-rank, kind="stable")[:WORST]
    else:
        top = pd.Series(rank).nlargest(WORST).index.to_numpy()
    subjects = rows["subject"].to_numpy()[top]
    names = rows["name"].to_numpy()[top] if "name" in rows.columns else subjects
    return [{"subject": str(subject), "name": str(name), "money": _money(money)}
            for subject, name, money in zip(subjects, names, rows["money"].to_numpy()[top])]


def _sums(block: Block, rows: Any) -> dict[str, Any]:
    """Evidence of many subjects: the summed counts and money (rates are not summed)."""
    out = {}
    for name in ("impressions", "clicks", "cost", "gmv", "loss", "visitors"):
        if name in block.evidence and name in rows.columns:
            total = round(float(rows[name].sum()), 2)
            if total or name != "loss":
                out[name] = total
    if "cost" in out and "gmv" in out and out["cost"]:
        out["roi"] = round(out["gmv"] / out["cost"], 4)
    return out


def _currency(rows: Any) -> str | None:
    if "currency" not in rows.columns:
        return None
    codes = rows["currency"].dropna().unique()
    return str(codes[0]) if len(codes) == 1 else None


# What a grouped to-do is about, by the level of its rows, when the rows name the group by name only.
GROUP_SUBJECT = {"keyword": "campaign"}


def _group(block: Block, group: str, rows: Any) -> Finding:
    money = _money(rows["money"].sum(min_count=1))
    prefix = GROUP_SUBJECT.get(block.level)
    if prefix and not group.startswith(prefix + ":"):
        name, group = group, f"{prefix}:{group}"
    else:
        name = group.split(":", 1)[1] if ":" in group else group
    values = {**block.values, "n": len(rows), "group": name, "money": money, "_subjects": rows["subject"].tolist()}
    return Finding(
        rule=block.rule, severity=block.severity, owner=block.owner, subject=group, evidence=_sums(block, rows),
        money=money, order=block.order, msg="group." + block.msg, values=values, facet=block.msg,
        currency=_currency(rows), count=len(rows), worst=_worst(rows),
        provisional=bool(rows["provisional"].any()) if "provisional" in rows.columns else False,
    )


def _account(block: Block, rows: Any, judged: int | None, *, rest: bool = False, groups: int | None = None) -> Finding:
    money = _money(rows["money"].sum(min_count=1))
    if groups is None:
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


# -- one story per cause ---------------------------------------------------------------------------
# A GMV drop told once: the day's GMV against the day before (else the target) is the story; the
# target gap, the week-on-week drop and the sources that lost visitors are its parts. They measure
# the same lost sales, so the story's money is the largest of them, never their sum.
STORY_RULES = ("sales.gmv_drivers", "sales.daily_target", "traffic.source_change")
SHOP_SHORTFALLS = ("conversion.below_peer", "conversion.order_to_payment", "conversion.funnel")


def _gmv_story(state: "RunState") -> Finding | None:
    findings = state.findings
    drops = [f for f in findings if f.rule == "sales.gmv_drivers" and f.severity != "info"]
    target = [f for f in findings if f.rule == "sales.daily_target" and f.severity != "info"]
    if not drops and not target:
        return None
    primary = next((f for f in drops if f.evidence.get("compare") == "previous_day"), None) or (drops or target)[0]
    members = [f for f in drops + target if f is not primary]
    if primary.rule == "sales.daily_target" or primary.evidence.get("driver") == "visitors":
        members += [f for f in findings if f.rule == "traffic.source_change" and (f.evidence.get("change") or 0) < 0]
    # Shop-wide shortfalls measured against a line (conversion under the peers', orders left unpaid)
    # are slices of the same lost sales: their own to-dos, their money inside the story's.
    for finding in findings:
        if finding.rule in SHOP_SHORTFALLS and finding.subject == "shop" and finding is not primary:
            finding.within = finding.within or primary.key
    if not members:
        return primary
    for finding in target:
        primary.evidence.setdefault("target_gap", finding.evidence.get("shortfall"))
        primary.evidence.setdefault("target", finding.evidence.get("threshold"))
    every = [primary, *members]
    primary.money = max((f.money for f in every if f.money), default=None)
    primary.severity = min((f.severity for f in every), key=lambda sev: SEVERITY_RANK[sev])
    _fold(state, primary, members)
    return primary


# A metric's overnight change told with the rule that judges the metric's line: "bounce 72.4%, over
# the 70% line" and "bounce broke on 11-22 (usually 64%)" are one problem, and the change says it is new.
CHANGE_JUDGED_BY = {"bounce_rate": "page.bounce_rate", "pages_per_visitor": "page.visit_depth",
                    "avg_stay_seconds": "page.bounce_rate",  # time on the page: the same page problem
                    "conversion_rate": "conversion.below_peer"}


# The metric a rule's own line is drawn on: when that metric broke for the worse, the rule's to-do
# is worded as the break it is ("跳失率 11-22 起突然变差，超过 70%": look at what changed that day), not as
# a chronic problem ("改完一周后再看"), if the rule has such wording (`<msg>.broke`).
OWN_METRIC = {"page.bounce_rate": "bounce_rate", "page.visit_depth": "pages_per_visitor"}


def _changes_into_their_rules(state: "RunState") -> None:
    from shopdoc.rules import get_rule

    for change in [f for f in state.findings if f.rule == "change.shop_metrics"]:
        metric = change.evidence.get("metric", "")
        rule = CHANGE_JUDGED_BY.get(metric)
        judged = next((f for f in state.findings if f.rule == rule and f.subject == "shop"), None)
        if judged is None:
            continue
        judged.evidence.setdefault("changed_since", change.evidence.get("since"))
        broke = f"{judged.msg}.broke"
        own = get_rule(judged.rule)
        if (change.msg == "break_bad" and OWN_METRIC.get(judged.rule) == metric and own is not None
                and broke in own.messages):
            # the break is the to-do's own story: said in its title, not again under it
            judged.msg = broke
            judged.values = {**judged.values, "usual": change.evidence.get("usual_level")}
            change.within = judged.key
            judged.members = [*judged.members, change.key]
            state.findings[:] = [f for f in state.findings if f is not change]
            continue
        _fold(state, judged, [change])


def _subject_changes_judged(state: "RunState") -> list[tuple[str, Block, Any]]:
    """An item's, source's or campaign's break whose subject and metric another rule already judges
    (the source that lost visitors, the campaign under break-even) leaves its block: it is told
    under that rule's to-do (`_subject_changes_into_their_rules`), not as a to-do of its own."""
    from shopdoc.rules.change_subjects import JUDGED_BY

    changes = [b for b in state.blocks if b.rule == "change.subjects"]
    if not changes:
        return []
    rules = set(JUDGED_BY.values())
    judged = {(f.rule, f.subject) for f in state.findings if f.rule in rules}
    for block in state.blocks:
        if block.rule in rules:
            judged.update((block.rule, subject) for subject in block.frame["subject"].astype(str))
    out = []
    for block in changes:
        metric = str(block.frame["metric"].iloc[0])
        rule = JUDGED_BY.get((block.level, metric))
        if rule is None:
            continue
        told = block.frame["subject"].map(lambda subject: (rule, subject) in judged).to_numpy(dtype=bool)
        if told.any():
            out.append((rule, block, block.frame[told].copy()))
            block.frame = block.frame[~told].reset_index(drop=True)
    state.blocks[:] = [b for b in state.blocks if len(b.frame)]
    return out


def _subject_changes_into_their_rules(state: "RunState", judged: list[tuple[str, Block, Any]]) -> None:
    """Each break under the to-do that prints its subject: the subject's own or its group's; when the
    subject is one of an "and N more" (or an account-level) to-do's rows, under that to-do, so the
    break is printed once, with its money inside the host's. With no to-do at all for the subject,
    the break is a to-do of its own. The rows keep the host's key (`within`) for the details."""
    seen: dict[int, set[str]] = {}
    for rule, block, rows in judged:
        hosts = []
        for _, row in rows.iterrows():
            subject = str(row["subject"])
            primary = next((f for f in state.findings if f.rule == rule and (
                f.subject == subject or subject in f.values.get("_subjects", ()))), None) \
                or _overflow(state, rule, subject, block.level, seen)
            part = _single(block, row)
            if primary is None:
                state.findings.append(part)
                hosts.append(part.key)
                continue
            hosts.append(primary.key)
            if primary.count == 1:
                primary.evidence.setdefault("changed_since", row["since"])
            if SEVERITY_RANK[part.severity] < SEVERITY_RANK[primary.severity]:
                primary.severity = part.severity  # a break on top of a note: no longer just a note
            part.within = primary.key
            primary.parts = [*primary.parts, part]
            primary.members = [*primary.members, part.key]
        rows["within"] = hosts


def _overflow(state: "RunState", rule: str, subject: str, level: str, seen: dict[int, set[str]]) -> Finding | None:
    """The account-level to-do ("and N more", or the whole account's) whose rows hold `subject`: looked
    for in the rule's blocks of the subject's level only (a campaign is no keyword row), each block's
    subjects made a set once (`seen`)."""
    for block in state.blocks:
        if block.rule != rule or block.level != level:
            continue
        if id(block) not in seen:
            seen[id(block)] = set(block.frame["subject"].astype(str))
        if subject not in seen[id(block)]:
            continue
        facet = f"{block.level} {block.msg}"
        found = next((f for f in state.findings if f.rule == rule and f.subject == "account"
                      and f.facet in (facet, facet + " rest")), None)
        if found is not None:
            return found
    return None


def _keep_told_rows(state: "RunState", judged: list[tuple[str, Block, Any]]) -> None:
    """The breaks told under another rule's to-do stay in the details (`within`: that to-do's key)."""
    import pandas as pd

    for _, block, rows in judged:
        block.frame = pd.concat([block.frame, rows], ignore_index=True) if len(block.frame) else rows.reset_index(drop=True)
        if not any(b is block for b in state.blocks):
            state.blocks.append(block)


def _fold(state: "RunState", primary: Finding, members: list[Finding]) -> None:
    """Members leave the list and are printed under `primary` ("还有：…"); their money is inside its."""
    for member in members:
        member.within = primary.key
    primary.parts = [*primary.parts, *members]
    primary.members = [*primary.members, *(m.key for m in members)]
    gone = {id(m) for m in members}
    state.findings[:] = [f for f in state.findings if id(f) not in gone]


# -- one diagnosis per item -----------------------------------------------------------------------
# An item that two or more things concern (its conversion fell, a new bad review, a keyword of its
# losing money, its traffic...) is one to-do: the linked evidence in one place, owned by whoever
# acts first. Ours: the documents ask "why did it fall?" of each item, not how to bundle findings.
ITEM_MIN_CONCERNS = 2


def _item_of(finding: Finding) -> str | None:
    if finding.subject.startswith("item:"):
        return finding.subject[5:]
    value = finding.evidence.get("item_id")
    if not _known(value) or value == "":
        value = finding.values.get("item_id")
    return str(value) if _known(value) and value != "" else None


def _items(state: "RunState", story: Finding | None) -> None:
    names: dict[str, str] = dict(state.facts.get("item_names", {}))
    moved = {str(item["item_id"]): item for item in
             (state.facts.get("sales.item_moves", {}).get("previous_day") or [])}
    for item in moved.values():
        names.setdefault(item["item_id"], item["name"])
    concerns: dict[str, list[Finding]] = {}
    for finding in state.findings:
        if finding is story or finding.rule.startswith("setup."):
            continue
        item_id = _item_of(finding)
        if item_id:
            concerns.setdefault(item_id, []).append(finding)
    _link_ads(state, concerns, names)
    for item_id, found in concerns.items():
        count = len(found) + (1 if item_id in moved else 0)
        if count < ITEM_MIN_CONCERNS or len(found) < 1:
            continue
        found.sort(key=lambda f: (0 if f.urgent else 1, SEVERITY_RANK[f.severity], -(f.money or 0.0)))
        lead = found[0]
        name = names.get(item_id) or lead.values.get("item_name") or lead.evidence.get("item_name") or item_id
        move = moved.get(item_id)
        evidence: dict[str, Any] = {"item_id": item_id}
        if move:
            evidence.update(gmv=move["gmv"], compare_gmv=move["compare_gmv"])
            if move.get("conversion_rate") is not None:
                evidence.update(conversion_rate=move["conversion_rate"],
                                compare_conversion_rate=move["compare_conversion_rate"])
        diagnosis = Finding(
            rule="item.diagnosis", severity=lead.severity, owner=lead.owner, subject=f"item:{item_id}",
            # a note's money (traffic that could be given to it) is no loss: not at stake
            evidence=evidence, money=max((f.money for f in found if f.money and f.severity != "info"), default=None),
            order=min(f.order for f in found), msg="item_moved" if move else "item", urgent=any(f.urgent for f in found),
            currency=next((f.currency for f in found if f.currency), None),
            values={"name": name, "n": count, "first_owner": lead.owner},
        )
        if story is not None and move:
            diagnosis.within = story.key  # its lost sales are inside the shop's GMV story
        listed = [f for f in found if any(f is g for g in state.findings)]
        state.findings.append(diagnosis)
        _fold(state, diagnosis, listed)
        diagnosis.parts = found


def _link_ads(state: "RunState", concerns: dict[str, list[Finding]], names: dict[str, str]) -> None:
    """Ad subjects of an item already concerned: its unit (ad group) is named after the item.

    A unit links to an item when every character of the unit's name is in the item's name and no
    other concerned item's name has them all ("麻花纹开衫" → "复古麻花纹V领开衫外套"). Only items that
    something else already concerns are tried, so a 20,000-item account costs nothing here.
    """
    if not concerns:
        return
    wanted = {item_id: set(names.get(item_id, "")) for item_id in concerns if names.get(item_id)}

    def match(unit: Any) -> str | None:
        chars = set(str(unit or "").replace(" ", ""))
        if len(chars) < 3:
            return None
        hits = [item_id for item_id, have in wanted.items() if chars <= have]
        return hits[0] if len(hits) == 1 else None

    for finding in state.findings:
        if not finding.rule.startswith("ads.") or finding.count != 1 or finding.severity == "info":
            continue
        item_id = match(finding.values.get("ad_group") or finding.evidence.get("ad_group"))
        if item_id and not any(finding is f for f in concerns[item_id]):
            concerns[item_id].append(finding)
    for block in state.blocks:
        if not block.rule.startswith("ads.") or "ad_group" not in block.frame.columns or block.severity == "info":
            continue
        for unit in block.frame["ad_group"].dropna().unique():
            item_id = match(unit)
            if item_id is None:
                continue
            rows = block.frame[block.frame["ad_group"] == unit]
            printed = {f.subject for f in concerns[item_id]}
            for _, row in rows.nlargest(WORST, "money").iterrows():
                if str(row["subject"]) in printed:
                    continue
                part = _single(block, row)
                group = next((f for f in state.findings if f.count > 1 and str(row["subject"]) in
                              f.values.get("_subjects", ())), None)
                part.within = group.key if group is not None else None
                concerns[item_id].append(part)


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
    gross_roi = state.facts.get("ads.account_roi_gross")  # set when refunds are taken off the account's ROI
    values = {"margin": margin, "break_even": break_even, "n": rows or len(provisional),
              "roi": roi, "margin_ok": (1 / roi) if roi else None}
    if gross_roi is not None and roi is not None and abs(gross_roi - roi) > 1e-9:
        values["gross_roi"] = gross_roi
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
    names = DIAGNOSIS_RULES.get(rule_id)
    if names is None:
        return None
    return {name: MESSAGES[name] for name in ((names,) if isinstance(names, str) else names)}
