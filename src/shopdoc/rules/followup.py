"""Follow-up: was the earlier advice applied, and did it work? (issue 14)

Source: `003_01bac92a2fb6a989.txt` (运营的一天): "达标的话做得好的地方在哪里?不达标的话又差在哪里?综合分析各种情况找出背后的原因";
"追加哪些词的价格 , 降低哪些词的价格 , 删除哪些词 , 观察哪些词等 , 运营一定要心里有谱 , 心中有数".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shopdoc.rules import rule

if TYPE_CHECKING:
    import pandas as pd

    from shopdoc.engine import RuleContext

ORDER = 75  # after the ad rules: their view of today's numbers is the "after"
RULE_ID = "followup.outcomes"
WORST = 5  # the worst few named in the to-do
AFTER = ("after_cost", "after_gmv", "after_roi", "after_clicks", "lost")  # what judge_changes adds beside the outcome

# A change's direction and level, as the section and the worse to-do word it.
KIND_OF = {"bid": "bid", "budget": "budget", "target": "budget", "pause": "pause", "creative": "creative"}

MESSAGES = {
    # the to-do: applied changes that made things worse
    "worse_cut": {
        "zh": ("上周降价的 {n:count} 个词有 {worse:count} 个成交额掉了一半：{names}",
               "考虑把这 {worse:count} 个词的出价恢复到降价前（改价表里有原出价）；每天少了约 {money:money} 成交额。"),
        "en": ("{worse:count} of the {n:count} keywords whose bids were cut last week lost half their sales: {names}",
               "Consider putting their bids back to what they were (the earlier bid sheet has them); about "
               "{money:money} of sales a day is gone."),
    },
    "worse_cut_plan": {
        "zh": ("上周降出价或日限额的 {n:count} 个计划有 {worse:count} 个成交额掉了一半：{names}",
               "考虑把这 {worse:count} 个计划的出价和日限额恢复到调整前；每天少了约 {money:money} 成交额。"),
        "en": ("{worse:count} of the {n:count} campaigns whose bids or budgets were cut last week lost half their sales: {names}",
               "Consider restoring their bids and budgets; about {money:money} of sales a day is gone."),
    },
    "worse_raise": {
        "zh": ("上周加价的 {n:count} 个词有 {worse:count} 个投产比下降、成交没涨：{names}",
               "考虑把这 {worse:count} 个词的出价降回加价前；每天多花约 {money:money}。"),
        "en": ("{worse:count} of the {n:count} keywords raised last week lost ROI without more sales: {names}",
               "Consider taking their bids back to where they were; they cost about {money:money} a day more."),
    },
    "worse_raise_plan": {
        "zh": ("上周加价或加预算的 {n:count} 个计划有 {worse:count} 个投产比下降、成交没涨：{names}",
               "考虑把这 {worse:count} 个计划的出价和日限额调回去；每天多花约 {money:money}。"),
        "en": ("{worse:count} of the {n:count} campaigns given more bid or budget last week lost ROI without more sales: {names}",
               "Consider taking their bids and budgets back; they cost about {money:money} a day more."),
    },
    # the report's section "上周做的事，效果如何" (worded by report.wording.followup_lines; action unused)
    "section": {"zh": ("上周做的事，效果如何", ""), "en": ("Last week's advice: was it done, did it work?", "")},
    "line.applied": {
        "zh": ("{day:day} 建议的 {advised:count} 项改价和暂停：已改 {applied:count} 项，没改 {not_applied:count} 项，"
               "导出里看不出来 {unknown:count} 项（做了的用 shopdoc done 标记）", ""),
        "en": ("Of the {advised:count} bid changes and pauses advised on {day:day}: {applied:count} applied, "
               "{not_applied:count} not, {unknown:count} the exports cannot show (mark those with shopdoc done)", ""),
    },
    "line.bid_cut": {"zh": ("{day:day} 降价的 {n:count} 项（{rule}）：{counts}", ""),
                     "en": ("{n:count} bid cuts of {day:day} ({rule}): {counts}", "")},
    "line.bid_raise": {"zh": ("{day:day} 加价的 {n:count} 项（{rule}）：{counts}", ""),
                       "en": ("{n:count} bid raises of {day:day} ({rule}): {counts}", "")},
    "line.budget_cut": {"zh": ("{day:day} 降日限额的 {n:count} 个计划（{rule}）：{counts}", ""),
                        "en": ("{n:count} budget cuts of {day:day} ({rule}): {counts}", "")},
    "line.budget_raise": {"zh": ("{day:day} 加日限额的 {n:count} 个计划（{rule}）：{counts}", ""),
                          "en": ("{n:count} budget raises of {day:day} ({rule}): {counts}", "")},
    "line.pause": {"zh": ("{day:day} 暂停的 {n:count} 项（{rule}）：{counts}", ""),
                   "en": ("{n:count} pauses of {day:day} ({rule}): {counts}", "")},
    "line.creative": {"zh": ("{day:day} 换创意图的 {n:count} 项（{rule}）：{counts}", ""),
                      "en": ("{n:count} new creatives of {day:day} ({rule}): {counts}", "")},
    "line.todo": {"zh": ("{day:day} 做完的 {n:count} 项待办（{rule}）：{counts}", ""),
                  "en": ("{n:count} to-dos done on {day:day} ({rule}): {counts}", "")},
    "count.worked": {"zh": ("有效 {n:count}", ""), "en": ("{n:count} worked", "")},
    "count.no_change": {"zh": ("没变化 {n:count}", ""), "en": ("{n:count} no change", "")},
    "count.worse": {"zh": ("变差 {n:count}", ""), "en": ("{n:count} worse", "")},
    "count.too_little": {"zh": ("数据太少 {n:count}", ""), "en": ("{n:count} too little data", "")},
    "count.not_done": {"zh": ("没做 {n:count}", ""), "en": ("{n:count} not done", "")},
}


@rule("followup.outcomes", owner="promotion", severity="warning", needs={}, params=[], messages=MESSAGES,
      units={"money": "money", "lost": "money"})
def outcomes(ctx: "RuleContext") -> None:
    """Earlier advice: applied or not, and whether it worked; an applied change that made things worse is a to-do.

    [zh]
    检查：开着历史记录时，拿前一天的改价表（每一项改价、暂停、改日限额都有待办编号）对今天的导出：出价改到建议价一步以内算改了，词已暂停或不再有展现算暂停了；改了的待办记为已做。做了的建议过 outcome_days 天（默认 7 天，history.outcome_days 或 rules.<规则>.outcome_days）后，对比这个词或计划调整前后的数：加价看成交额和投产比，降价看投产比和成交额，暂停看花费，换图看点击率；页面、商品、客服的待办（shopdoc done 标记的）分别看跳失率和访问深度、商品转化率、DSR。样本不到原规则的门槛算“数据太少”。结果写在报告的“上周做的事，效果如何”里；改了以后变差的（降价后成交额掉了一半、加价后投产比降了成交没涨）单列一条待办。
    原因：《运营的一天》(003)：“达标的话做得好的地方在哪里?不达标的话又差在哪里?综合分析各种情况找出背后的原因”；“追加哪些词的价格 , 降低哪些词的价格 , 删除哪些词 , 观察哪些词等 , 运营一定要心里有谱 , 心中有数”。
    怎么做：变差的按待办把出价或日限额恢复到调整前；一直没效果的规则，可以在配置里调门槛或关掉。
    金额：降价变差的按每天少掉的成交额，加价变差的按每天多花的钱。
    [en]
    Checks: with the history on, yesterday's bid sheet (every raise, cut, pause and budget change, each with its to-do key) against today's exports: a bid within one step of the suggestion is applied, a keyword paused or no longer shown is paused; a to-do with an applied change is marked done. Once outcome_days have passed (7 by default; history.outcome_days or rules.<rule>.outcome_days), the subject's numbers before and after are compared: sales and ROI for a raise, ROI and sales for a cut, cost for a pause, CTR for a new creative; page, item and service to-dos marked with shopdoc done are judged on bounce and depth, item conversion and DSR. Under the advising rule's minimum sample it is "too little data". The outcomes go in the report's "Last week's advice" section; an applied change that made things worse (a cut that halved sales, a raise that lost ROI without more sales) becomes a to-do of its own.
    Why: "An operator's day" (003): "Where the target was met, what went well? Where it was missed, what fell short? Look at everything together and find the reason behind it"; "which keywords to bid up, which to bid down, which to delete, which to watch: the operator must know."
    Fix: put back the bids or budgets of the changes that made things worse; a rule whose advice keeps not working can be tuned or switched off in the config.
    Money: the sales lost per day for a cut that made things worse, the extra cost per day for a raise.
    """
    due = getattr(ctx.dataset, "followup", None)
    if due is None:
        return
    from shopdoc.followup import APPLIED, NOT_APPLIED, UNKNOWN, applied_status

    summary: dict[str, Any] = {"applied": None, "outcomes": []}
    ads_today = ctx.dataset.frame("ad_report") is not None or ctx.dataset.frame("ad_settings") is not None
    if due.pending is not None and due.pending.rows and ads_today:
        frame = due.pending.frame
        found = applied_status(frame, ctx.dataset).tolist()
        due.statuses = found
        summary["applied"] = {"day": due.pending.date, "advised": len(found),
                              APPLIED: found.count(APPLIED), NOT_APPLIED: found.count(NOT_APPLIED),
                              UNKNOWN: found.count(UNKNOWN)}
    worse_rows = []
    for day in due.changes:
        judged = _judge_day(ctx, due, day)
        if judged is not None:
            frame, result = judged
            summary["outcomes"] += _counts(frame, result, day.date)
            worse_rows.append((frame, result))
    summary["outcomes"] += _todo_outcomes(ctx, due)
    if worse_rows:
        _emit_worse(ctx, worse_rows)
    if summary["applied"] or summary["outcomes"]:
        ctx.state.facts["followup"] = summary


def _judge_day(ctx: "RuleContext", due: Any, day: Any) -> tuple["pd.DataFrame", "pd.DataFrame"] | None:
    """The changes of one advice day whose window has passed, judged on today's ad numbers."""
    import numpy as np
    import pandas as pd

    from shopdoc.followup import APPLIED, NOT_DONE, OUTCOMES, distinct, judge_changes
    from shopdoc.history.loop import expand_subjects, shift
    from shopdoc.rules.ads import ad_view

    frame = day.frame  # the subjects are written out below, for the changes looked up only
    # the day each change can be judged: worked out once per distinct (start, rule), not per change
    (start_codes, starts), (rule_codes, rules) = distinct(frame["status_on"]), distinct(frame["rule"])
    starts, rules = [*starts, shift(day.date, 1)], [*rules, None]  # code -1 takes the last: not applied, no rule
    windows = [7 if due.windows.get(rule) is None else int(due.windows[rule]) for rule in rules]
    table = np.array([[shift(str(start), window) <= due.day for window in windows] for start in starts], dtype=bool)
    ready = table[start_codes, rule_codes]  # -1 indexes the last row and column
    positions = np.flatnonzero(ready & frame["outcome"].isna().to_numpy())
    if not len(positions) or ctx.dataset.frame("ad_report") is None:
        return None
    frame = frame.iloc[positions].reset_index(drop=True) if len(positions) < len(frame) else frame.copy(deep=False)
    # a change the exports cannot show (a creative, a target ROI) counts as done when marked so
    by_hand = frame["key"].isin(list(due.done_keys)).to_numpy()
    frame["status"] = np.where(by_hand & (frame["status"] != APPLIED), APPLIED, frame["status"].astype(object))
    afters, guards, windows_seen = [], {}, set()
    for rule_id in sorted(str(rule) for rule in distinct(frame["rule"])[1]):
        settings = ctx.config.rule_settings(rule_id) if rule_id.startswith("ads.") else {}
        guards[rule_id] = {name: settings.get(name) for name in ("min_clicks", "min_cost", "min_impressions")}
        window = int(settings.get("window_days") or 7)
        view = ad_view(ctx, window) if window not in windows_seen else None  # the ad rules share one window
        windows_seen.add(window)
        if view is not None:
            afters += [level[["subject", "impressions", "clicks", "cost", "gmv", "days"]] for _, level in view.levels()]
    after = pd.concat(afters, ignore_index=True) if afters else pd.DataFrame(
        columns=["subject", "impressions", "clicks", "cost", "gmv", "days"])
    if len(windows_seen) > 1:  # rules judging different windows: a subject's latest window wins
        after = after.drop_duplicates("subject", keep="last")
    # only a change that was done is looked up in today's numbers; the rest are not done
    done = np.flatnonzero((frame["status"] == APPLIED).to_numpy(dtype=bool))
    # the outcome as a categorical of OUTCOMES: counted and written back on its codes
    outcome = np.full(len(frame), OUTCOMES.index(NOT_DONE), dtype=np.int8)
    result = pd.DataFrame({name: np.full(len(frame), np.nan) for name in AFTER})
    if len(done):
        frame = expand_subjects(frame, done)
        judged = judge_changes(frame.iloc[done].reset_index(drop=True), after, guards, due.min_change)
        outcome[done] = pd.Categorical(judged["outcome"].to_numpy(dtype=object), categories=OUTCOMES).codes
        for name in AFTER:
            values = result[name].to_numpy(copy=True)
            values[done] = judged[name].to_numpy()
            result[name] = values
    result.insert(0, "outcome", pd.Categorical.from_codes(outcome, categories=OUTCOMES))
    due.judged[day.date] = result
    due.judged_rows[day.date] = positions
    return frame, result


def _direction(frame: "pd.DataFrame") -> tuple["np.ndarray", list[str]]:
    """Each change's kind (bid_cut, bid_raise, budget_cut, budget_raise, pause, creative) as codes
    into the kinds' names: worked out per distinct (action, verdict), not per change."""
    import numpy as np
    import pandas as pd

    from shopdoc.followup import distinct

    (action_codes, actions), (msg_codes, msgs) = distinct(frame["action"]), distinct(frame["msg"])
    actions, msgs = [*actions, ""], [*msgs, ""]  # code -1 (none) takes the last
    pairs, found = pd.factorize(np.where(action_codes < 0, len(actions) - 1, action_codes) * len(msgs)
                                + np.where(msg_codes < 0, len(msgs) - 1, msg_codes))
    names = []
    for pair in found.tolist():
        action, msg = str(actions[pair // len(msgs)]), str(msgs[pair % len(msgs)])
        kind = KIND_OF.get(action, "bid")
        names.append(f"{kind}_{'raise' if msg.startswith('raise') else 'cut'}" if kind in ("bid", "budget") else kind)
    name_codes, kinds = pd.factorize(np.array(names, dtype=object))
    return name_codes[pairs] if len(found) else np.zeros(0, dtype=np.int64), kinds.tolist()


def _counts(frame: "pd.DataFrame", result: "pd.DataFrame", day: str) -> list[dict[str, Any]]:
    """Per rule and kind of change: how many, and each outcome (counted on integer codes)."""
    import numpy as np
    import pandas as pd

    from shopdoc.followup import OUTCOMES, distinct

    rule_codes, rules = distinct(frame["rule"])
    rules.append("")  # code -1 (no rule) takes the last
    rule_codes = np.where(rule_codes < 0, len(rules) - 1, rule_codes)
    kind_codes, kinds = _direction(frame)
    outcome_codes = pd.Categorical(result["outcome"], categories=OUTCOMES).codes
    groups = rule_codes * len(kinds) + kind_codes
    table = np.bincount(groups * len(OUTCOMES) + outcome_codes,
                        minlength=len(rules) * len(kinds) * len(OUTCOMES)).reshape(-1, len(OUTCOMES))
    seen = np.unique(groups).tolist()
    out = []
    for at in sorted(seen, key=lambda at: f"{rules[at // len(kinds)]}|{kinds[at % len(kinds)]}"):
        out.append({"rule": str(rules[at // len(kinds)]), "action": kinds[at % len(kinds)], "day": day,
                    "n": int(table[at].sum()), **{name: int(table[at, i]) for i, name in enumerate(OUTCOMES)}})
    return out


def _todo_outcomes(ctx: "RuleContext", due: Any) -> list[dict[str, Any]]:
    """To-dos done by hand whose window has passed: their metrics after against before."""
    from shopdoc.followup import OUTCOMES, judge, measure
    from shopdoc.history.loop import shift

    per: dict[tuple[str, str], dict[str, Any]] = {}
    for todo in due.todos:
        after = measure(ctx.dataset, todo["rule"], todo["subject"], shift(todo["done"], 1), due.day)
        settings = ctx.config.rule_settings(todo["rule"])
        from shopdoc.followup import MEASURES

        guard = settings.get(MEASURES[todo["rule"]].guard) if MEASURES[todo["rule"]].guard else None
        outcome = judge(todo["rule"], todo["before"], after, guard, due.min_change)
        due.todo_outcomes.append({**todo, "after": after, "outcome": outcome})
        entry = per.setdefault((todo["rule"], todo["done"]), {"rule": todo["rule"], "action": "todo",
                                                              "day": todo["done"], "n": 0,
                                                              **{name: 0 for name in OUTCOMES}})
        entry["n"] += 1
        entry[outcome] += 1
    return list(per.values())


def _emit_worse(ctx: "RuleContext", judged: list[tuple["pd.DataFrame", "pd.DataFrame"]]) -> None:
    """One to-do per direction and level: the applied changes that made things worse, worst first."""
    import numpy as np
    import pandas as pd

    from shopdoc.followup import APPLIED, WORSE

    read = ["msg", "level_code", "days", "cost", "keyword", "campaign", "subject"]  # what the to-dos are made of
    parts = []
    for frame, result in judged:  # the applied bid and budget changes, with their outcome and numbers after
        sized = (frame["action"].isin(("bid", "budget", "target")) & (frame["status"] == APPLIED)).to_numpy()
        after = {name: result[name].to_numpy()[sized] for name in result.columns}
        parts.append(frame.loc[sized, read].assign(**after))
    rows = pd.concat(parts, ignore_index=True)
    if rows.empty:
        return
    up = rows["msg"].astype(str).str.startswith("raise")
    plan = rows["level_code"].astype(str) == "campaign"
    days_b = pd.to_numeric(rows["days"], errors="coerce").fillna(1.0).clip(lower=1.0)
    extra = pd.to_numeric(rows["after_cost"], errors="coerce") - pd.to_numeric(rows["cost"], errors="coerce") / days_b
    money = np.where(up, extra, pd.to_numeric(rows["lost"], errors="coerce"))
    rows = rows.assign(_money=np.nan_to_num(money.astype("float64"), nan=0.0).clip(min=0.0), _up=up, _plan=plan)
    for (is_up, is_plan), group in rows.groupby(["_up", "_plan"], sort=True):
        bad = group[group["outcome"] == WORSE].sort_values("_money", ascending=False, kind="stable")
        if bad.empty:
            continue
        names = bad["keyword"].astype(object).where(~bad["_plan"], bad["campaign"].astype(object)).fillna(
            bad["subject"].astype(object)).astype(str)
        msg = f"worse_{'raise' if is_up else 'cut'}{'_plan' if is_plan else ''}"
        money = float(bad["_money"].sum())
        quoted = [ctx.t(f"「{name}」", f"“{name}”") for name in names.head(WORST)]
        shown = ctx.t("、", ", ").join(quoted)
        if len(bad) > WORST:
            shown += ctx.t(f" 等 {len(bad)} 个", f" and {len(bad) - WORST} more")
        finding = ctx.finding(msg, "account", {"changed": int(len(group)), "worse": int(len(bad)), "money": round(money, 2)},
                              facet=f"{'raise' if is_up else 'cut'} {'campaign' if is_plan else 'keyword'}",
                              money=money, n=int(len(group)), worse=int(len(bad)), names=shown)
        finding.count = int(len(bad))
        finding.worst = [{"subject": subject, "name": name, "money": round(float(value), 2)}
                         for subject, name, value in zip(bad["subject"].head(WORST), names.head(WORST),
                                                         bad["_money"].head(WORST))]
