"""The bid sheet: every ad verdict as a table an operator applies in the ad console.

A view of the ad rules' blocks (`report.blocks`: one frame per rule, verdict and level), nothing
computed here but the words: one row per keyword or plan with its verdict, current and suggested
bid, change, CTR, ROI, the money at stake per day, the reason and the key of the printed to-do it
belongs to (a keyword of a grouped to-do: the group's key). A subject has one verdict across the
three ad rules (the rules see to that), so it has one row. Every proposed change is a row: raises,
cuts, pauses (ROI pauses and zero-click words), plan budget and target-ROI changes, new creatives.
Held raises (pages failing) are not: nothing to apply today. The upload layouts (`shopdoc.upload`)
are views of this table.

Writing is linear in the rows: .csv through csv.writer, .xlsx streamed as XML by
`shopdoc.io.xlsx_write` (text cells are inline strings, never formulas). Text from the exports goes
through the formula guard in CSV.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from shopdoc.errors import UsageError
from shopdoc.model import Report
from shopdoc.neutral import clean_text, csv_cell

if TYPE_CHECKING:
    import pandas as pd

# The rules whose verdicts are changes (ads.test_plan emits no block: its rows come from its to-dos).
AD_RULES = ("ads.ctr_bid", "ads.roi_breakeven", "ads.zero_click", "ads.test_plan")
LEFT_OUT = ("raise_held", "raise_held_plan")
# ads.test_plan judges a few plans with one to-do each (no block): a winner's budget raise and a
# loser's pause are rows too, made from those to-dos (the verdict's name as the sheet knows it).
TEST_RULE = "ads.test_plan"
TEST_VERDICTS = {"winner": "raise_test", "loser": "pause_test"}

COLUMNS = ("level", "campaign", "ad_group", "keyword", "match_type", "verdict", "current_bid", "suggested_bid",
           "change", "ctr", "roi", "money", "reason", "key")
TEXT_COLUMNS = ("level", "campaign", "ad_group", "keyword", "match_type", "verdict", "reason", "key")
# Carried by `bid_table` after COLUMNS, never written: what the upload layouts need (the verdict's
# code, the level's code, the subject and its currency).
RAW_COLUMNS = ("msg", "level_code", "subject", "currency", "rule", *("impressions", "clicks", "cost", "gmv"))
# ... with the rule that gave the verdict and the window's numbers it was judged on (the history
# keeps them beside each change, to see a week later whether it worked).
JUDGED = ("impressions", "clicks", "cost", "gmv")

HEADERS = {
    "zh": ("层级", "推广计划", "推广单元", "关键词", "匹配方式", "处理", "当前出价", "建议出价", "调整幅度", "点击率",
           "投产比", "每天涉及金额", "原因", "待办编号"),
    "en": ("Level", "Campaign", "Ad group", "Keyword", "Match type", "Do", "Current bid", "Suggested bid", "Change",
           "CTR", "ROI", "Money per day", "Reason", "To-do key"),
}
LEVELS = {"zh": {"campaign": "计划", "keyword": "关键词"}, "en": {"campaign": "Campaign", "keyword": "Keyword"}}
SHEET_TITLE = {"zh": "出价调整", "en": "Bid changes"}

# verdict -> (what to do, why), short: the full wording is in the report.
VERDICT_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "zh": {
        "raise_bid": ("加价", "点击率高、投产比过保本线"),
        "raise_nobid": ("加价", "点击率高、投产比过保本线"),
        "raise_budget": ("加出价和日限额", "点击率高、投产比过保本线"),
        "raise_target": ("加日预算（目标投产比不动）", "点击率高、投产比过保本线"),
        "lower_bid": ("降价", "点击率低、投产比低于保本"),
        "lower_nobid": ("降价", "点击率低、投产比低于保本"),
        "lower_floor": ("暂停或删词（出价已到下限）", "点击率低、投产比低于保本"),
        "lower_budget": ("降出价和日限额", "点击率低、投产比低于保本"),
        "lower_target": ("提高目标投产比或降日预算", "点击率低、投产比低于保本"),
        "creative": ("换图测图（出价不动）", "点击率低，但不亏钱"),
        "creative_keyword": ("观察、换创意图（出价不动）", "点击率低，但不亏钱"),
        "cut_bid": ("降价", "投产比低于保本"),
        "cut_nobid": ("降价", "投产比低于保本"),
        "cut_budget": ("降出价和日限额", "投产比低于保本"),
        "cut_target": ("提高目标投产比或降日预算", "投产比低于保本"),
        "refund_bid": ("降价", "扣掉退款后投产比低于保本"),
        "refund_nobid": ("降价", "扣掉退款后投产比低于保本"),
        "refund_budget": ("降出价和日限额", "扣掉退款后投产比低于保本"),
        "refund_target": ("提高目标投产比或降日预算", "扣掉退款后投产比低于保本"),
        "pause": ("暂停", "投产比不到保本的一半"),
        "pause_plan": ("暂停计划", "投产比不到保本的一半"),
        "pause_floor": ("暂停（出价已到下限）", "投产比低于保本"),
        "zero": ("暂停或删词", "展现很多、零点击"),
        "raise_test": ("加日预算（测款测出来了）", "测款期满，收藏加购率高于账户其他计划"),
        "pause_test": ("暂停测款计划", "测款期满，收藏加购率低于账户其他计划"),
    },
    "en": {
        "raise_bid": ("Raise bid", "high CTR, ROI above break-even"),
        "raise_nobid": ("Raise bid", "high CTR, ROI above break-even"),
        "raise_budget": ("Raise bids and budget", "high CTR, ROI above break-even"),
        "raise_target": ("Raise budget (keep target ROI)", "high CTR, ROI above break-even"),
        "lower_bid": ("Lower bid", "low CTR, ROI under break-even"),
        "lower_nobid": ("Lower bid", "low CTR, ROI under break-even"),
        "lower_floor": ("Pause or delete (bid at the floor)", "low CTR, ROI under break-even"),
        "lower_budget": ("Cut bids and budget", "low CTR, ROI under break-even"),
        "lower_target": ("Raise target ROI or cut budget", "low CTR, ROI under break-even"),
        "creative": ("New creative (keep bids)", "low CTR, but it does not lose money"),
        "creative_keyword": ("Watch, new creative (keep bid)", "low CTR, but it does not lose money"),
        "cut_bid": ("Lower bid", "ROI under break-even"),
        "cut_nobid": ("Lower bid", "ROI under break-even"),
        "cut_budget": ("Cut bids and budget", "ROI under break-even"),
        "cut_target": ("Raise target ROI or cut budget", "ROI under break-even"),
        "refund_bid": ("Lower bid", "ROI under break-even net of refunds"),
        "refund_nobid": ("Lower bid", "ROI under break-even net of refunds"),
        "refund_budget": ("Cut bids and budget", "ROI under break-even net of refunds"),
        "refund_target": ("Raise target ROI or cut budget", "ROI under break-even net of refunds"),
        "pause": ("Pause", "ROI under half of break-even"),
        "pause_plan": ("Pause campaign", "ROI under half of break-even"),
        "pause_floor": ("Pause (bid at the floor)", "ROI under break-even"),
        "zero": ("Pause or delete", "many impressions, no click"),
        "raise_test": ("Raise budget (test found a winner)", "test over, cart-add rate above the account's"),
        "pause_test": ("Pause test campaign", "test over, cart-add rate under the account's"),
    },
}
PROVISIONAL = {"zh": "（毛利率未设置，暂定）", "en": " (provisional: gross margin not set)"}


def ad_frames(report: Report) -> Iterator[tuple[str, "pd.DataFrame", str]]:
    """(verdict, frame, rule) for each ad block of the report, then the test plans' verdicts."""
    for block in report.blocks:
        if block.rule in AD_RULES and block.msg not in LEFT_OUT:
            yield block.msg, block.frame, block.rule
    yield from test_plan_frames(report)


def _every(findings: Any) -> Iterator[Any]:
    for finding in findings or ():
        yield finding
        yield from _every(getattr(finding, "parts", None))


def test_plan_frames(report: Report) -> Iterator[tuple[str, "pd.DataFrame", str]]:
    """ads.test_plan's winners (a daily-budget raise by the rule's step) and losers (a campaign pause)
    as frames shaped like a block's: one row per plan, from its to-do (wherever it is printed)."""
    import pandas as pd

    rows: dict[str, list[dict[str, Any]]] = {}
    seen: set[str] = set()
    for finding in _every(getattr(report, "findings", None)):
        verdict = TEST_VERDICTS.get(finding.msg or "") if finding.rule == TEST_RULE else None
        if verdict is None or finding.subject in seen:
            continue
        seen.add(finding.subject)
        evidence = finding.evidence
        shown, clicks = evidence.get("impressions"), evidence.get("clicks")
        rows.setdefault(verdict, []).append({
            "subject": finding.subject, "level": "campaign", "campaign": evidence.get("campaign"),
            "change": evidence.get("change") if verdict == "raise_test" else None,
            "ctr": clicks / shown if shown and clicks is not None else None,
            "money": finding.money, "currency": finding.currency, "provisional": False,
            "impressions": shown, "clicks": clicks, "cost": evidence.get("cost")})
    for verdict, found in rows.items():
        frame = pd.DataFrame(found)
        for name in ("change", "ctr", "money", "impressions", "clicks", "cost"):
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
        yield verdict, frame, TEST_RULE


def bid_table(report: Report) -> "pd.DataFrame":
    """One row per subject with a verdict (columns: COLUMNS, then RAW_COLUMNS), sorted by level,
    plan, unit and keyword."""
    import pandas as pd

    lang = report.lang if report.lang in HEADERS else "en"
    words = VERDICT_WORDS[lang]
    keys = todo_keys(report)
    parts = []
    for verdict, frame, rule_id in ad_frames(report):
        if frame.empty:
            continue
        part = pd.DataFrame({name: _column(frame, name) for name in (*COLUMNS, "subject", "currency", *JUDGED)
                             if name not in ("verdict", "reason", "key")})
        part["rule"] = rule_id
        todo, why = words.get(verdict, (verdict, ""))
        part["verdict"] = todo
        provisional = _column(frame, "provisional").fillna(False).astype(bool)
        part["reason"] = why + provisional.map({True: PROVISIONAL[lang], False: ""})
        part["msg"] = verdict
        part["key"] = part["subject"].astype(str).map(keys).astype(object)
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=[*COLUMNS, *RAW_COLUMNS])
    table = pd.concat(parts, ignore_index=True)
    table["level_code"] = table["level"]
    table["order"] = table["level"].map({"campaign": 0, "keyword": 1}).fillna(2)
    table = table.sort_values(["order", "campaign", "ad_group", "keyword"], kind="stable", na_position="first")
    table["level"] = table["level"].map(LEVELS[lang]).fillna(table["level"])
    return table[[*COLUMNS, *RAW_COLUMNS]].reset_index(drop=True)


def todo_keys(report: Report) -> dict[str, str]:
    """subject -> the key of the to-do that prints it: its own, its group's (a plan's keywords
    cut as one), or the account-level one ("and N more") it was counted into.

    A to-do folded into another (an item's diagnosis) keeps its own key: it is printed as a
    line of that to-do and is the ad verdict `shopdoc done`/history will look for.
    """
    own: dict[str, str] = {}
    grouped: dict[str, str] = {}
    accounts: dict[tuple[str, str, bool], str] = {}

    def visit(finding: Any) -> None:
        for part in getattr(finding, "parts", None) or ():
            visit(part)
        if not finding.rule.startswith("ads."):
            return
        subjects = finding.values.get("_subjects")
        if finding.subject == "account":
            accounts[(finding.rule, str(finding.facet or ""), bool(finding.values.get("rest")))] = finding.key
        elif subjects:
            for subject in subjects:
                grouped.setdefault(str(subject), finding.key)
        else:
            own.setdefault(finding.subject, finding.key)

    for finding in getattr(report, "findings", None) or ():
        visit(finding)
    keys = {**own, **grouped}  # a keyword of a grouped to-do: the group's key, even when an item also lists it
    fill: dict[str, str] = {}
    for block in reversed(getattr(report, "blocks", None) or ()):  # the first block's key wins, as before
        if block.rule not in AD_RULES or (block.msg in LEFT_OUT):
            continue
        facet = f"{getattr(block, 'level', '')} {block.msg}"
        account = next((key for (rule, found, rest), key in accounts.items()
                        if rule == block.rule and found.split("#")[0] == facet + (" rest" if rest else "")), None)
        if account is None:
            continue
        fill.update(dict.fromkeys(block.frame["subject"].astype(str).tolist(), account))
    if fill:  # the account's key for every subject not keyed yet: one merge, not a loop per subject
        keys = {**fill, **keys}
    return keys


def _column(frame: "pd.DataFrame", name: str) -> "pd.Series":
    import pandas as pd

    if name in frame.columns:
        return frame[name].reset_index(drop=True)
    return pd.Series([None] * len(frame), dtype="object")


def write_bid_sheet(report: Report, path: str) -> int:
    """Write the sheet to `path` (.csv as UTF-8 with BOM so Excel shows Chinese, or .xlsx).

    Returns the number of rows written (0 still writes the header, so yesterday's sheet is not
    mistaken for today's). Raises UsageError for another extension or a path that cannot be written.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise UsageError("--bid-sheet: use a .csv or .xlsx file name")
    lang = report.lang if report.lang in HEADERS else "en"
    table = bid_table(report)
    try:
        if suffix == ".csv":
            _write_csv(table, path, lang)
        else:
            _write_xlsx(table, path, lang)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UsageError(f"--bid-sheet: cannot write {path}: {reason}") from None
    return len(table)


def _text(series: "pd.Series", cell: Any) -> list[Any]:
    """A text column through the guard, once per distinct value (names repeat over many rows)."""
    values = series.fillna("").astype(str)
    guarded = {value: cell(value) for value in values.unique()}
    return values.map(guarded).tolist()


def _numbers(series: "pd.Series", spec: str) -> list[str]:
    return ["" if value is None or value != value else format(value, spec) for value in series.tolist()]


CSV_FORMATS = {"current_bid": ".2f", "suggested_bid": ".2f", "roi": ".2f", "money": ".2f", "change": "+.1%",
               "ctr": ".2%"}


def _write_csv(table: "pd.DataFrame", path: str, lang: str) -> None:
    """Text Excel reads back as numbers: '1.32', '-10.0%', '2.35%'; text never a live formula."""
    columns = [_text(table[name], csv_cell) if name in TEXT_COLUMNS else _numbers(table[name], CSV_FORMATS[name])
               for name in COLUMNS]
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS[lang])
        writer.writerows(zip(*columns))


XLSX_FORMATS = {"current_bid": "0.00", "suggested_bid": "0.00", "roi": "0.00", "money": "#,##0.00",
                "change": "+0.0%;-0.0%", "ctr": "0.00%"}
WIDTHS = {"campaign": 24, "ad_group": 18, "keyword": 24, "verdict": 22, "reason": 36}


def _write_xlsx(table: "pd.DataFrame", path: str, lang: str) -> None:
    from shopdoc.io.xlsx_write import write_xlsx

    columns = [_text(table[name], clean_text) if name in TEXT_COLUMNS else table[name].astype("float64").tolist()
               for name in COLUMNS]
    write_xlsx(path, SHEET_TITLE[lang], HEADERS[lang], zip(*columns),
               widths=[WIDTHS.get(name, 12) for name in COLUMNS],
               formats=[None if name in TEXT_COLUMNS else XLSX_FORMATS[name] for name in COLUMNS])


