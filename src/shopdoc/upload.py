"""Change sheets in the layout an ad console takes: a view of the bid sheet (`bidsheet.bid_table`).

`--bid-sheet-format` chooses the layout; `auto` takes the platform of the ad reports read (from
their headers), and the general sheet (`bidsheet`) when none is known or several are:

- `ztc` (直通车 / 万相台): plan, unit and keyword names with the current and new bid, what to do and
  why, money and to-do key, one row per change, in the order an operator works through a unit's
  keywords in 批量改价 (plans first). Every change is there, budgets and new creatives too.
- `google-ads-editor`: a CSV with Google Ads Editor's own headers (Campaign, Campaign Status,
  Budget, Ad group, Keyword, Criterion Type, Max CPC, Status) for Account → Import → From file: new
  bids, paused keywords and plans, new budgets where a report gave the current one. A blank cell is
  "no change" to Editor, so a row says only what changes.
- `amazon-bulk`: a Sponsored Products bulk sheet (Product, Entity, Operation=Update and the IDs)
  for Bulk operations → Upload, built from the IDs of an Amazon bulk file read with the reports;
  when only reports without IDs are there, nothing is written and one line says which file to
  download.

What a layout cannot carry (a budget cut whose budget no report shows, a new creative, a bid the
exports do not show) is left out of it and counted in a note; the report's to-dos still say it.
Text from the exports never becomes a formula: the ztc layout escapes it like the general sheet;
an upload layout must carry names as they are, so a formula-like name leaves its row out (noted).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from shopdoc.errors import UsageError
from shopdoc.neutral import clean_text, csv_cell, is_formula_like

if TYPE_CHECKING:
    import pandas as pd

    from shopdoc.dataset import Dataset
    from shopdoc.model import InputFile, Report

LAYOUTS = ("auto", "ztc", "google-ads-editor", "amazon-bulk")
SUFFIXES = {"table": (".csv", ".xlsx"), "ztc": (".csv", ".xlsx"), "google-ads-editor": (".csv",),
            "amazon-bulk": (".xlsx", ".csv")}

# What each verdict asks of the console (bidsheet.VERDICT_WORDS words it).
BID = ("raise_bid", "lower_bid", "cut_bid", "refund_bid")
BID_BY_STEP = ("raise_nobid", "lower_nobid", "cut_nobid", "refund_nobid")  # no bid in the export: a share of the current one
PAUSE = ("pause", "pause_floor", "zero", "lower_floor", "pause_plan", "pause_test")  # pause_test: a test plan's loser
BUDGET = ("raise_budget", "lower_budget", "cut_budget", "refund_budget", "raise_target", "raise_test")  # a plan's daily budget by `change`
TARGET = ("cut_target", "lower_target", "refund_target")  # 全站推: a higher target ROI (or a smaller budget)
CREATIVE = ("creative", "creative_keyword")
# What a verdict asks of the console.
ACTIONS = {"pause": PAUSE, "bid": BID + BID_BY_STEP, "budget": BUDGET, "target": TARGET, "creative": CREATIVE}


def action_of(verdict: str) -> str:
    """pause, bid, budget, target, creative, or other (a verdict the console has no field for)."""
    return next((action for action, verdicts in ACTIONS.items() if verdict in verdicts), "other")


# -- the platform of the ad reports ---------------------------------------------------------------
# Headers only one platform's ad exports have (FORMATS.md §B, §G, §H; matched case-insensitively).
AMAZON_HEADERS = ("entity", "record type", "customer search term", "advertised asin", "campaign name (informational only)",
                  "keyword text", "product targeting expression", "total return on advertising spend (roas)")
AMAZON_PREFIXES = ("7 day ", "14 day ", "30 day ")
GOOGLE_HEADERS = ("max. cpc", "impr.", "conv. value", "conv. value / cost", "keyword status", "campaign status",
                  "currency code", "criterion type", "max cpc", "avg. cpc")
ZTC_HEADERS = ("推广单元", "单元名字", "计划名字", "场景名字", "场景ID", "主体ID", "平均展现排名", "总成交金额")
NOT_ZTC = ("跟单SKU ID", "营销场景", "总订单行", "推广名称", "曝光量")  # 京准通, 拼多多


def platform_of(headers: Iterable[str]) -> str | None:
    """`amazon`, `google`, `ztc` or None, from one ad report's source headers."""
    names = {str(h).strip() for h in headers if h}
    low = {name.lower() for name in names}
    if low & set(AMAZON_HEADERS) or any(name.startswith(AMAZON_PREFIXES) for name in low):
        return "amazon"
    if low & set(GOOGLE_HEADERS):
        return "google"
    if names & set(ZTC_HEADERS) and not names & set(NOT_ZTC):
        return "ztc"
    return None


def platforms(inputs: Iterable["InputFile"]) -> list[str]:
    """The platforms of the ad reports read, in input order, each once (None when not known)."""
    found: list[str] = []
    for item in inputs:
        if item.kind in ("ad_report", "ad_settings") and item.status == "ok":
            name = platform_of(item.columns)
            if name and name not in found:
                found.append(name)
    return found


PLATFORM_LAYOUT = {"ztc": "ztc", "google": "google-ads-editor", "amazon": "amazon-bulk"}


def choose_layout(layout: str, inputs: Iterable["InputFile"]) -> str:
    """The layout to write: `auto` by the one platform of the ad reports, else the general table."""
    if layout != "auto":
        return layout
    found = platforms(inputs)
    return PLATFORM_LAYOUT[found[0]] if len(found) == 1 else "table"


def check_path(path: str, layout: str) -> None:
    """A UsageError when the file name does not suit the layout (before any work is done)."""
    allowed = SUFFIXES.get(layout, (".csv", ".xlsx"))
    if Path(path).suffix.lower() not in allowed:
        raise UsageError(f"--bid-sheet {path}: the {layout} layout is written as {' or '.join(allowed)}")


# -- the changes ------------------------------------------------------------------------------------
@dataclass
class Written:
    """What `write_change_sheet` wrote: rows, the layout, and a line for each kind of change left out."""

    rows: int
    layout: str
    notes: list[str] = field(default_factory=list)


WORDS = {
    "zh": {
        "left_out": "{n} 项调整没写进{layout}表（{why}），待办里照样有",
        "why.amount": "报表里没有当前日预算或出价",
        "why.creative": "换创意图不用上传",
        "why.target": "全站推改目标投产比要在后台改",
        "why.formula": "名字以 = + - @ 开头，不能原样写进表",
        "why.id": "批量文件里找不到它的 ID",
        "no_ids": ("--bid-sheet-format amazon-bulk：读到的亚马逊报表没有 ID。请在 Amazon Ads 后台 → Sponsored ads → "
                   "Bulk operations 下载 Sponsored Products 批量文件（勾选带数据的日期范围），和今天的报表放在一起再运行"),
        "suffix": "{layout} 格式只能是 {allowed} 文件：{path} 里写的是通用改价表；要能直接上传，换成 {allowed} 文件名",
        "op.bid": "改出价", "op.pause": "暂停", "op.pause_plan": "暂停计划", "op.budget": "日限额 {change}", "op.budget_to": "日限额 {budget} → {new_budget}（{change}）",
        "op.target": "目标投产比提到 {target} 以上（或日预算 {change}）", "op.creative": "换创意图（出价不动）",
        "op.step": "出价 {change}",
    },
    "en": {
        "left_out": "{n} change{s} not in the {layout} sheet ({why}); the to-dos still say them",
        "why.amount": "no report shows the current budget or bid",
        "why.creative": "a new creative is not uploaded",
        "why.target": "a target ROI is set in the console",
        "why.formula": "a name starts with = + - @ and cannot be written as it is",
        "why.id": "the bulk file has no ID for it",
        "no_ids": ("--bid-sheet-format amazon-bulk: the Amazon reports read carry no IDs. Download a Sponsored Products "
                   "bulk file (Amazon Ads console → Sponsored ads → Bulk operations, with a date range so it has the "
                   "numbers) and run again with it beside today's reports"),
        "suffix": "the {layout} layout is {allowed} only: {path} holds the general sheet; name it {allowed} for a sheet to upload",
        "op.bid": "Change bid", "op.pause": "Pause", "op.pause_plan": "Pause campaign", "op.budget": "Daily budget {change}", "op.budget_to": "Daily budget {budget} → {new_budget} ({change})",
        "op.target": "Target ROI above {target} (or daily budget {change})", "op.creative": "New creative (keep bids)",
        "op.step": "Bid {change}",
    },
}
LAYOUT_NAMES = {"zh": {"google-ads-editor": " Google Ads Editor ", "amazon-bulk": "亚马逊批量", "ztc": "直通车改价"},
                "en": {"google-ads-editor": "Google Ads Editor", "amazon-bulk": "Amazon bulk", "ztc": "直通车"}}


def _words(lang: str) -> dict[str, str]:
    return WORDS["zh" if lang == "zh" else "en"]


def _pct(value: Any) -> str:
    return "" if value is None or value != value else f"{value:+.0%}"


def _known(value: Any) -> bool:
    return value is not None and value == value and value != ""


def _break_even(report: "Report") -> float | None:
    for block in getattr(report, "blocks", None) or ():
        if block.rule == "ads.roi_breakeven" and block.values.get("break_even"):
            return float(block.values["break_even"])
    return None


# -- what the reports know beyond the verdicts: IDs, bids, budgets ----------------------------------
_IDS = ("campaign_id", "ad_group_id", "keyword_id", "product_targeting_id")
_KEYS = ("_c", "_g", "_k", "_m")


def _norm(value: Any) -> str:
    return str(value).strip().casefold() if _known(value) else ""


def _folded(series: "pd.Series") -> "pd.Series":
    """Names compared as an operator would: trimmed, case-folded (`EXACT` is `exact`); "" for none.
    Folded once per distinct name (names repeat over many rows)."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(series.astype("object"))
    folded = np.array([_norm(value) for value in uniques] + [""], dtype=object)
    return pd.Series(folded[codes], index=series.index, dtype="object")


def _keyed(frame: "pd.DataFrame") -> "pd.DataFrame":
    import pandas as pd

    out = pd.DataFrame(index=frame.index)
    for key, name in zip(_KEYS, ("campaign", "ad_group", "keyword", "match_type")):
        out[key] = _folded(frame[name]) if name in frame.columns else ""
    return out


def console_frames(dataset: "Dataset | None") -> tuple["pd.DataFrame | None", "pd.DataFrame | None"]:
    """The console's side of each subject from the reports read: IDs (Amazon bulk files), bids and
    budgets, the latest day's non-blank value of each, per keyword (campaign, ad group, keyword,
    match type, compared case-folded) and per campaign. Vectorised: one groupby per level."""
    import pandas as pd

    if dataset is None:
        return None, None
    frames = [dataset.frames.get(kind) for kind in ("ad_report", "ad_settings")]
    frames = [frame for frame in frames if frame is not None and not frame.empty]
    if not frames:
        return None, None
    wanted = ["level", "date", *_IDS, "bid", "budget"]
    rows = pd.concat([frame[[c for c in ("campaign", "ad_group", "keyword", "match_type", *wanted)
                              if c in frame.columns]] for frame in frames], ignore_index=True)
    for name in wanted:
        if name not in rows.columns:
            rows[name] = None
    rows = pd.concat([rows, _keyed(rows)], axis=1)
    rows = rows[rows["_c"] != ""]
    rows = rows.sort_values("date", kind="stable", na_position="first")  # the latest day last
    values = [*_IDS, "bid", "budget"]
    rows[values] = rows[values].astype("object").where(rows[values].notna() & (rows[values] != ""), None)
    is_keyword = (rows["_k"] != "") & (rows["level"].astype("object") != "campaign")
    keywords = rows[is_keyword].groupby(list(_KEYS), sort=False)[[*_IDS, "bid"]].last()
    campaigns = rows.groupby("_c", sort=False)[["campaign_id"]].last()
    budgets = rows[~is_keyword].groupby("_c", sort=False)[["budget"]].last()
    return keywords, campaigns.join(budgets, how="left")


def _attach(table: "pd.DataFrame", dataset: "Dataset | None") -> "pd.DataFrame":
    """The bid table with the console's IDs, bid (`known_bid`) and budget joined on."""
    import pandas as pd

    keywords, campaigns = console_frames(dataset)
    out = pd.concat([table.reset_index(drop=True), _keyed(table.reset_index(drop=True))], axis=1)
    for name in (*_IDS, "known_bid", "budget"):
        out[name] = None
    if keywords is None:
        return out
    kw = out["level_code"] != "campaign"
    if len(keywords) and kw.any():
        found = keywords.reindex(pd.MultiIndex.from_frame(out.loc[kw, list(_KEYS)]))
        # a report that names no ad group or match type (直通车 without 匹配方式): the one keyword of that name
        loose = keywords.reset_index()
        alone = loose.groupby(["_c", "_k"], sort=False)["_g"].transform("size") == 1
        loose = loose[alone.to_numpy()].set_index(["_c", "_k"])
        other = loose.reindex(pd.MultiIndex.from_frame(out.loc[kw, ["_c", "_k"]]))
        for name, target in ((n, n) for n in _IDS):
            out.loc[kw, target] = found[name].where(found[name].notna(), other[name]).to_numpy()
        out.loc[kw, "known_bid"] = found["bid"].where(found["bid"].notna(), other["bid"]).to_numpy()
    if len(campaigns):
        plan = campaigns.reindex(out["_c"])
        out["campaign_id"] = out["campaign_id"].where(out["campaign_id"].notna(), plan["campaign_id"].to_numpy())
        out.loc[~kw, "budget"] = plan["budget"].to_numpy()[(~kw).to_numpy()]
    return out


def changes(report: "Report", dataset: "Dataset | None" = None) -> list[dict[str, Any]]:
    """Every proposed change as a plain row: the bid table's columns plus `action` (bid, pause,
    budget, target, creative), `new_bid` (a bid the console can take: the suggested one, or the
    current bid moved by the verdict's step when only a report with IDs shows it), `new_budget`,
    and what the console knows of the subject (`ids`: campaign_id, ad_group_id, keyword_id,
    product_targeting_id). Worked out column by column; rows are made once, at the end."""
    return list(iter_changes(report, dataset))


def iter_changes(report: "Report", dataset: "Dataset | None" = None) -> Iterator[dict[str, Any]]:
    """`changes` a row at a time: a writer that goes through them once holds one row, not 270,000
    dicts (the 300k account's bid sheet: a third of a GiB)."""
    out = change_frame(report, dataset)
    columns = [_plain_list(out[name]) for name in out.columns]  # None for a missing value, column by column
    names = list(out.columns)
    id_columns = [columns[names.index(name)] for name in _IDS]
    del out
    for values, found in zip(zip(*columns), zip(*id_columns)):
        row = dict(zip(names, values))
        row["ids"] = {name: value for name, value in zip(_IDS, found) if value is not None and value != ""}
        yield row


def _plain_list(column: "pd.Series") -> list[Any]:
    values = column.tolist()
    if column.hasnans:
        missing = column.isna().to_numpy()
        return [None if gone else value for value, gone in zip(values, missing)]
    return values


def change_frame(report: "Report", dataset: "Dataset | None" = None) -> "pd.DataFrame":
    """`changes` as one frame (no row objects): what the history keeps of each day's advice."""
    import numpy as np

    from shopdoc.bidsheet import COLUMNS, RAW_COLUMNS, bid_table
    from shopdoc.rules.ads import _stepped_array

    table = _attach(bid_table(report), dataset)
    msg = table["msg"].astype("object")
    current = table["current_bid"].astype("float64").fillna(table["known_bid"].astype("float64"))
    change = table["change"].astype("float64")
    action = np.select([msg.isin(verdicts) for verdicts in ACTIONS.values()], list(ACTIONS), default="other")
    stepped = _stepped_array(current.to_numpy(), change.fillna(0.0).to_numpy())
    new_bid = np.where(msg.isin(BID), table["suggested_bid"].astype("float64"),
                       np.where(msg.isin(BID_BY_STEP) & current.notna() & change.notna(), stepped, np.nan))
    budget = table["budget"].astype("float64")
    new_budget = np.where(msg.isin(BUDGET), np.round(budget * (1 + change), 2), np.nan)
    return table[[*COLUMNS, *RAW_COLUMNS, *_IDS]].assign(current_bid=current, action=action, new_bid=new_bid,
                                                          budget=budget, new_budget=new_budget)


# -- writing ----------------------------------------------------------------------------------------
def write_change_sheet(report: "Report", path: str, layout: str = "auto",
                       dataset: "Dataset | None" = None) -> Written:
    """Write the day's changes to `path` in `layout` (see LAYOUTS); `dataset` gives the IDs, bids
    and budgets the reports carry beyond the verdicts. Raises UsageError for a file name the layout
    cannot take, a path that cannot be written, or an Amazon sheet without IDs to write it from."""
    from shopdoc.bidsheet import write_bid_sheet

    chosen = choose_layout(layout, getattr(report, "inputs", None) or ())
    if chosen not in SUFFIXES:
        raise UsageError(f"--bid-sheet-format: use one of {', '.join(LAYOUTS)}")
    lang = report.lang if report.lang in WORDS else "en"
    fallback: list[str] = []
    if layout == "auto" and Path(path).suffix.lower() not in SUFFIXES[chosen]:
        # the platform's layout does not come in this file type (Editor imports CSV): the general sheet
        allowed = " / ".join(SUFFIXES[chosen])
        fallback.append(_words(lang)["suffix"].format(layout=chosen, allowed=allowed, path=path))
        chosen = "table"
    check_path(path, chosen)
    if chosen == "table":
        return Written(write_bid_sheet(report, path), "table", fallback)
    # Amazon's writer looks at the rows twice (whether any has the IDs it needs); the others once.
    rows = changes(report, dataset) if chosen == "amazon-bulk" else iter_changes(report, dataset)
    writer = {"ztc": _ztc, "google-ads-editor": _google, "amazon-bulk": _amazon}[chosen]
    try:
        headers, cells, left = writer(rows, lang, _break_even(report))
    except UsageError as exc:
        if layout != "auto":
            raise
        # auto on Amazon reports without IDs: the general sheet, and the line saying what to download
        return Written(write_bid_sheet(report, path), "table", [exc.line()])
    guard = "escape" if chosen == "ztc" else "exact"
    try:
        if Path(path).suffix.lower() == ".xlsx":
            _write_xlsx(path, headers, cells, SHEETS.get(chosen, {}).get(lang, "Sheet1"))
        else:
            encoding = "utf-8" if chosen == "google-ads-editor" else "utf-8-sig"
            _write_csv(path, headers, cells, encoding, guard)
    except OSError as exc:
        raise UsageError(f"--bid-sheet: cannot write {path}: {exc.strerror or exc}") from None
    words = _words(lang)
    notes = []
    for why, n in left.items():
        if n:
            notes.append(words["left_out"].format(n=n, s="" if n == 1 else "s", why=words["why." + why],
                                                  layout=LAYOUT_NAMES[lang if lang == "zh" else "en"][chosen]))
    return Written(len(cells), chosen, fallback + notes)


SHEETS = {"ztc": {"zh": "批量改价", "en": "Bid changes"},
          "amazon-bulk": {"zh": "Sponsored Products Campaigns", "en": "Sponsored Products Campaigns"}}


def _exact(values: Iterable[Any]) -> bool:
    """Whether text can go into an upload sheet as it is (no formula-like name)."""
    return not any(isinstance(value, str) and is_formula_like(clean_text(value)) for value in values)


# 直通车 / 万相台 批量改价: what the operator pastes, unit by unit (README: "Change sheets").
ZTC_HEADERS_OUT = {
    "zh": ("层级", "推广计划", "推广单元", "关键词", "匹配方式", "当前出价", "新出价", "调整幅度", "操作", "原因", "每天涉及金额",
           "待办编号"),
    "en": ("Level", "Campaign", "Ad group", "Keyword", "Match type", "Current bid", "New bid", "Change", "Do", "Reason",
           "Money per day", "To-do key"),
}


def _ztc(rows: list[dict[str, Any]], lang: str, break_even: float | None):
    words = _words(lang)
    cells = []
    for row in rows:
        action = row["action"]
        change = _pct(row.get("change"))
        if action == "bid":
            todo = words["op.bid"] if _known(row.get("new_bid")) else words["op.step"].format(change=change)
        elif action == "pause":
            todo = words["op.pause_plan"] if row["level_code"] == "campaign" else words["op.pause"]
        elif action == "budget" and _known(row.get("budget")) and _known(row.get("new_budget")):
            # a report shows the plan's daily budget: the new one written out, as Editor and Amazon get it
            todo = words["op.budget_to"].format(budget=_money(row["budget"]), new_budget=_money(row["new_budget"]),
                                                change=change)
        elif action == "budget":
            todo = words["op.budget"].format(change=change)
        elif action == "target":
            todo = words["op.target"].format(target=f"{break_even:.2f}" if break_even else "—", change=change)
        elif action == "creative":
            todo = words["op.creative"]
        else:
            todo = row.get("verdict") or ""
        cells.append([row.get("level"), row.get("campaign"), row.get("ad_group"), row.get("keyword"), row.get("match_type"),
                      _number(row.get("current_bid")), _number(row.get("new_bid")), change if action != "pause" else "",
                      todo, row.get("reason"), _number(row.get("money")), row.get("key")])
    return ZTC_HEADERS_OUT["zh" if lang == "zh" else "en"], cells, {}


def _number(value: Any) -> float | None:
    return round(float(value), 2) if _known(value) else None


def _money(value: Any) -> str:
    return f"{float(value):.2f}" if _known(value) else ""


# Google Ads Editor, Account → Import → From file (CSV). Headers as Editor's CSV import documents them
# (support.google.com/google-ads/editor/answer/57747); a blank cell leaves that setting as it is.
GOOGLE_HEADERS_OUT = ("Campaign", "Campaign Status", "Budget", "Ad group", "Keyword", "Criterion Type", "Max CPC", "Status")


def criterion_type(match_type: Any) -> str:
    """`Exact match` / `EXACT` / `exact` → `Exact` (Editor's Criterion Type); blank when unknown."""
    text = _norm(match_type).replace(" match", "").replace("match_type_", "")
    return {"exact": "Exact", "phrase": "Phrase", "broad": "Broad"}.get(text, "")


def _google(rows: list[dict[str, Any]], lang: str, break_even: float | None):
    cells, left = [], {"amount": 0, "creative": 0, "target": 0, "formula": 0}
    for row in rows:
        action = row["action"]
        names = (row.get("campaign"), row.get("ad_group"), row.get("keyword"))
        if action in ("creative", "target", "other"):
            left["creative" if action == "creative" else "target"] += 1
            continue
        if not _exact(names):
            left["formula"] += 1
            continue
        if row["level_code"] == "campaign":
            if action == "pause":
                cells.append([row["campaign"], "Paused", "", "", "", "", "", ""])
            elif action == "budget" and _known(row.get("new_budget")):
                cells.append([row["campaign"], "", _money(row["new_budget"]), "", "", "", "", ""])
            else:
                left["amount"] += 1
            continue
        if action == "pause":
            cells.append([row["campaign"], "", "", row.get("ad_group") or "", row["keyword"],
                          criterion_type(row.get("match_type")), "", "Paused"])
        elif action == "bid" and _known(row.get("new_bid")):
            cells.append([row["campaign"], "", "", row.get("ad_group") or "", row["keyword"],
                          criterion_type(row.get("match_type")), _money(row["new_bid"]), ""])
        else:
            left["amount"] += 1
    return GOOGLE_HEADERS_OUT, cells, left


# Amazon Ads bulk operations, Sponsored Products sheet: the bulk file's own columns, in its order,
# without the performance columns (sources in tests/test_upload.py). Update rows need Product,
# Entity, Operation and the entity's IDs; the names go in the "(Informational only)" columns.
AMAZON_HEADERS_OUT = (
    "Product", "Entity", "Operation", "Campaign ID", "Ad Group ID", "Portfolio ID", "Ad ID", "Keyword ID",
    "Product Targeting ID", "Campaign Name", "Ad Group Name", "Campaign Name (Informational only)",
    "Ad Group Name (Informational only)", "Portfolio Name (Informational only)", "Start Date", "End Date",
    "Targeting Type", "State", "Campaign State (Informational only)", "Ad Group State (Informational only)",
    "Daily Budget", "SKU", "ASIN (Informational only)", "Eligibility Status (Informational only)",
    "Reason for Ineligibility (Informational only)", "Ad Group Default Bid", "Ad Group Default Bid (Informational only)",
    "Bid", "Keyword Text", "Native Language Keyword", "Native Language Locale", "Match Type", "Bidding Strategy",
    "Placement", "Percentage", "Product Targeting Expression",
    "Resolved Product Targeting Expression (Informational only)",
)


def _amazon(rows: list[dict[str, Any]], lang: str, break_even: float | None):
    if rows and not any(row["ids"].get("keyword_id") or row["ids"].get("product_targeting_id")
                        or (row["level_code"] == "campaign" and row["ids"].get("campaign_id")) for row in rows):
        raise UsageError(_words(lang)["no_ids"])
    index = {name: i for i, name in enumerate(AMAZON_HEADERS_OUT)}
    cells, left = [], {"amount": 0, "creative": 0, "target": 0, "id": 0}
    for row in rows:
        action, ids = row["action"], row["ids"]
        if action in ("creative", "target", "other"):
            left["creative" if action == "creative" else "target"] += 1
            continue
        out: list[Any] = [""] * len(AMAZON_HEADERS_OUT)
        values = {"Product": "Sponsored Products", "Operation": "Update",
                  "Campaign Name (Informational only)": row.get("campaign") or ""}
        if row["level_code"] == "campaign":
            if not ids.get("campaign_id"):
                left["id"] += 1
                continue
            values.update({"Entity": "Campaign", "Campaign ID": ids["campaign_id"]})
            if action == "pause":
                values["State"] = "paused"
            elif action == "budget" and _known(row.get("new_budget")):
                values["Daily Budget"] = round(float(row["new_budget"]), 2)
            else:
                left["amount"] += 1
                continue
        else:
            target = ids.get("keyword_id") or ids.get("product_targeting_id")
            if not target or not ids.get("campaign_id") or not ids.get("ad_group_id"):
                left["id"] += 1
                continue
            entity = "Keyword" if ids.get("keyword_id") else "Product Targeting"
            values.update({"Entity": entity, "Campaign ID": ids["campaign_id"], "Ad Group ID": ids["ad_group_id"],
                           "Keyword ID" if entity == "Keyword" else "Product Targeting ID": target,
                           "Ad Group Name (Informational only)": row.get("ad_group") or ""})
            if action == "pause":
                values["State"] = "paused"
            elif action == "bid" and _known(row.get("new_bid")):
                values["Bid"] = round(float(row["new_bid"]), 2)
            else:
                left["amount"] += 1
                continue
        for name, value in values.items():
            out[index[name]] = value
        cells.append(out)
    return AMAZON_HEADERS_OUT, cells, left


def _write_csv(path: str, headers: Iterable[str], cells: list[list[Any]], encoding: str, guard: str) -> None:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(headers))
        for row in cells:
            if guard == "escape":
                row = [csv_cell(value) for value in row]
            writer.writerow(["" if value is None else f"{value:.2f}" if isinstance(value, float) else value
                             for value in row])


def _write_xlsx(path: str, headers: Iterable[str], cells: list[list[Any]], title: str) -> None:
    from shopdoc.io.xlsx_write import write_xlsx

    write_xlsx(path, title, list(headers), cells, bold_header=False, freeze_header=False)
