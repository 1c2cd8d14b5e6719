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
from typing import TYPE_CHECKING, Any, Iterable

from shopdoc.errors import UsageError
from shopdoc.neutral import clean_text, csv_cell, is_formula_like, xlsx_cell

if TYPE_CHECKING:
    import pandas as pd

    from shopdoc.dataset import Dataset
    from shopdoc.model import InputFile, Report

LAYOUTS = ("auto", "ztc", "google-ads-editor", "amazon-bulk")
SUFFIXES = {"table": (".csv", ".xlsx"), "ztc": (".csv", ".xlsx"), "google-ads-editor": (".csv",),
            "amazon-bulk": (".xlsx", ".csv")}

# What each verdict asks of the console (bidsheet.VERDICT_WORDS words it).
BID = ("raise_bid", "lower_bid", "cut_bid")
BID_BY_STEP = ("raise_nobid", "lower_nobid", "cut_nobid")  # no bid in the export: a share of the current one
PAUSE = ("pause", "pause_floor", "zero", "lower_floor", "pause_plan")
BUDGET = ("raise_budget", "lower_budget", "cut_budget", "raise_target")  # a plan's daily budget by `change`
TARGET = ("cut_target", "lower_target")  # 全站推: a higher target ROI (or a smaller budget)
CREATIVE = ("creative", "creative_keyword")

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
        "op.bid": "改出价", "op.pause": "暂停", "op.pause_plan": "暂停计划", "op.budget": "日限额 {change}",
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
        "op.bid": "Change bid", "op.pause": "Pause", "op.pause_plan": "Pause campaign", "op.budget": "Daily budget {change}",
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


def _stepped(bid: float, change: float) -> float:
    """A bid moved by `change`, to the cent, at least one cent (as the ad rules step a bid)."""
    import numpy as np

    from shopdoc.rules.ads import _stepped_array

    return float(_stepped_array(np.array([bid]), np.array([change]))[0])


# -- what the reports know beyond the verdicts: IDs, bids, budgets ----------------------------------
def _norm(value: Any) -> str:
    return str(value).strip().casefold() if _known(value) else ""


@dataclass
class Console:
    """The console's side of each subject, from the reports read: IDs (Amazon bulk files), bids
    and budgets. Keyed by (campaign, ad group, keyword, match type) and by campaign, case-folded."""

    keywords: dict[tuple[str, str, str, str], dict[str, Any]] = field(default_factory=dict)
    loose: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)  # (campaign, keyword)
    campaigns: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def of(cls, dataset: "Dataset | None") -> "Console":
        console = cls()
        if dataset is None:
            return console
        for kind in ("ad_report", "ad_settings"):
            frame = dataset.frames.get(kind)
            if frame is None or frame.empty:
                continue
            console._add(frame)
        return console

    def _add(self, frame: "pd.DataFrame") -> None:
        wanted = ["campaign", "ad_group", "keyword", "match_type", "level", "campaign_id", "ad_group_id", "keyword_id",
                  "product_targeting_id", "bid", "budget", "date"]
        columns = {name: frame[name].tolist() if name in frame.columns else [None] * len(frame) for name in wanted}
        order = sorted(range(len(frame)), key=lambda i: str(columns["date"][i] or ""))  # latest day last
        for i in order:
            row = {name: columns[name][i] for name in wanted}
            campaign = _norm(row["campaign"])
            if not campaign:
                continue
            keyword = _norm(row["keyword"])
            if keyword and row.get("level") != "campaign":
                key = (campaign, _norm(row["ad_group"]), keyword, _norm(row["match_type"]))
                self._merge(self.keywords.setdefault(key, {}), row)
                entries = self.loose.setdefault((campaign, keyword), [])
                if not any(entry is self.keywords[key] for entry in entries):
                    entries.append(self.keywords[key])
            else:
                self._merge(self.campaigns.setdefault(campaign, {}), row)
            if _known(row.get("campaign_id")):
                self.campaigns.setdefault(campaign, {}).setdefault("campaign_id", row["campaign_id"])

    @staticmethod
    def _merge(into: dict[str, Any], row: dict[str, Any]) -> None:
        for name, value in row.items():
            if _known(value):
                into[name] = value  # the latest day's value wins

    def keyword(self, row: dict[str, Any]) -> dict[str, Any]:
        campaign, keyword = _norm(row.get("campaign")), _norm(row.get("keyword"))
        exact = self.keywords.get((campaign, _norm(row.get("ad_group")), keyword, _norm(row.get("match_type"))))
        if exact is not None:
            return exact
        candidates = [entry for entry in self.loose.get((campaign, keyword), [])
                      if not _known(row.get("ad_group")) or _norm(entry.get("ad_group")) == _norm(row.get("ad_group"))]
        if not _known(row.get("match_type")) and len(candidates) == 1:
            return candidates[0]
        matched = [entry for entry in candidates if _norm(entry.get("match_type")) == _norm(row.get("match_type"))]
        return matched[0] if len(matched) == 1 else {}

    def campaign(self, row: dict[str, Any]) -> dict[str, Any]:
        return self.campaigns.get(_norm(row.get("campaign")), {})


def changes(report: "Report", dataset: "Dataset | None" = None) -> list[dict[str, Any]]:
    """Every proposed change as a plain row: the bid table's columns plus `action` (bid, pause,
    budget, target, creative), `new_bid` (a bid the console can take: the suggested one, or the
    current bid moved by the verdict's step when only a report with IDs shows it), `new_budget`,
    and what the console knows of the subject (`ids`: campaign_id, ad_group_id, keyword_id,
    product_targeting_id)."""
    from shopdoc.bidsheet import bid_table

    table = bid_table(report)
    console = Console.of(dataset)
    out = []
    for row in table.to_dict("records"):
        row = {name: (None if isinstance(value, float) and value != value else value) for name, value in row.items()}
        msg = row["msg"]
        level = row["level_code"]
        known = console.campaign(row) if level == "campaign" else console.keyword(row)
        bid = row.get("current_bid") if _known(row.get("current_bid")) else known.get("bid")
        row["current_bid"] = bid
        row["ids"] = {name: known.get(name) for name in ("campaign_id", "ad_group_id", "keyword_id",
                                                         "product_targeting_id") if _known(known.get(name))}
        if level != "campaign" and "campaign_id" not in row["ids"]:
            campaign_id = console.campaign(row).get("campaign_id")
            if _known(campaign_id):
                row["ids"]["campaign_id"] = campaign_id
        row["new_bid"] = row["new_budget"] = None
        row["budget"] = console.campaign(row).get("budget") if level == "campaign" else None
        if msg in PAUSE:
            row["action"] = "pause"
        elif msg in BID:
            row["action"], row["new_bid"] = "bid", row.get("suggested_bid")
        elif msg in BID_BY_STEP:
            row["action"] = "bid"
            if _known(bid) and _known(row.get("change")):
                row["new_bid"] = _stepped(float(bid), float(row["change"]))
        elif msg in BUDGET:
            row["action"] = "budget"
            if _known(row["budget"]) and _known(row.get("change")):
                row["new_budget"] = round(float(row["budget"]) * (1 + float(row["change"])), 2)
        elif msg in TARGET:
            row["action"] = "target"
        elif msg in CREATIVE:
            row["action"] = "creative"
        else:
            row["action"] = "other"
        out.append(row)
    return out


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
    rows = changes(report, dataset)
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
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(list(headers))
    for row in cells:
        out = []
        for value in row:
            if isinstance(value, str) and value:
                cell = WriteOnlyCell(sheet, value=clean_text(value))
                xlsx_cell(cell)  # a string cell, never a formula
                out.append(cell)
            else:
                out.append(None if value == "" or value is None else value)
        sheet.append(out)
    buffer = io.BytesIO()
    workbook.save(buffer)
    Path(path).write_bytes(buffer.getvalue())
