"""Each export kind declared once: how it is recognised, how its rows are dated, what the history
keeps of it, and what it is called in both languages.

Its fields and their column aliases are the other half of a kind, in `data/fields.yaml` (the one
aliases file, which users extend with `inputs.aliases`). Adding a kind, or teaching one a new
export, touches this declaration and that file; the modules below read both:

- `io.detect`: `signatures`, `not_shop`, `sheet_hint` and `tie` decide the kind of a table;
- `io.normalise` and `dataset.DAY_KINDS`: `period` says how a row's days are worked out,
  `one_row_per_day` what a shop's day must look like, `steps` the kind's own normalising steps;
- `dataset.SHOP_MONEY`: `shop_money` says whose money the report's currency follows;
- `history.rows` and `history.store`: `history` and `augmented` say what is kept, and how;
- `shopdoc inspect` and the config's checks: `labels` and the names themselves.

Pure data, no imports beyond the standard library: `shopdoc rules` and `--help` load it and must
stay fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Kind:
    name: str
    # Alternatives, each a set of canonical fields that must all be mapped for a table to be this kind.
    signatures: tuple[tuple[str, ...], ...]
    # Ties between two kinds that map as many columns go to the lower `tie` (the more specific kind).
    tie: int
    labels: dict[str, str] = field(default_factory=dict)  # {"zh": ..., "en": ...}
    # Mapped fields that say "this is not the whole shop's day" (they rule `shop_daily` out).
    not_shop: tuple[str, ...] = ()
    # A sheet name matching this (a regular expression, case ignored) breaks a tie toward the kind.
    sheet_hint: str | None = None
    # "days": every row carries `date` (its last day), `start_date` and `window_days`, from a date or
    # range column, Week/Month/Quarter, the description rows or the file name, and its dates decide
    # the report day; "dated": a date column, else the description or file name, gives each row a day.
    period: str = "days"
    # Whether its money is the shop's own (the report writes amounts without a currency in it);
    # ad reports may hold several accounts in several currencies.
    shop_money: bool = False
    # What the history keeps of a day of it: (stored kind, how), `how` one of `history.rows.KEEP`;
    # None: not kept (a review is news once, on the day it arrives).
    history: tuple[str, str] | None = None
    # Whether the rules get its earlier days from the history (see `history.store`).
    augmented: bool = False
    # One row per day (or a single total): a file of many rows with no date is refused, and so is
    # a detail table (rows on one day that differ by an unmapped text column); multi-day rows warned.
    one_row_per_day: bool = False
    # Its own normalising steps, by name, run in order after the common ones (`io.normalise.STEPS`).
    steps: tuple[str, ...] = ()


_DECLARED = (
    Kind("shop_daily", signatures=(("visitors",), ("gmv",)), tie=5,
         labels={"zh": "店铺整体数据", "en": "shop daily"},
         shop_money=True, history=("shop_daily", "shop_day"), augmented=True, one_row_per_day=True),
    Kind("item_daily",
         signatures=tuple(("item_id", metric) for metric in (
             "visitors", "pageviews", "gmv", "buyers", "units", "conversion_rate", "order_buyers", "add_to_cart",
             "favorites")) + (("item_name", "units"), ("item_name", "gmv")),  # Shopify: products by title
         tie=2, labels={"zh": "商品数据", "en": "items"}, not_shop=("item_id",),
         sheet_hint=r"商品|宝贝|sku|product|asin",
         shop_money=True, history=("item_daily", "per_item"), augmented=True, steps=("items_by_title",)),
    Kind("traffic_source", signatures=(("source", "visitors"), ("source_detail", "visitors"), ("keyword", "visitors")),
         tie=1, labels={"zh": "流量来源", "en": "traffic sources"}, not_shop=("source", "source_detail", "keyword"),
         sheet_hint=r"来源|source",
         shop_money=True, history=("traffic_source", "as_exported"), augmented=True, steps=("source_level",)),
    Kind("ad_report", signatures=(("impressions", "clicks"), ("cost", "clicks")), tie=0,
         labels={"zh": "推广报表（直通车等）", "en": "ad report"}, not_shop=("keyword", "impressions", "clicks", "campaign"),
         sheet_hint=r"关键词|计划|推广|keyword|campaign|search term",
         history=("ad_campaign", "per_campaign"), steps=("ad_level", "bulk_entities", "breakdowns", "derived_rates")),
    Kind("review", signatures=(("content",), ("rating",), ("level",)), tie=3,
         labels={"zh": "评价", "en": "reviews"}, not_shop=("content", "rating", "level"),
         sheet_hint=r"评价|评论|review", period="dated", steps=("review_placeholders",)),
    Kind("dsr", signatures=(("description", "service", "logistics"),), tie=4,
         labels={"zh": "店铺评分（DSR）", "en": "DSR scores"}, sheet_hint=r"dsr|动态评分|店铺评分",
         period="dated", history=("dsr", "last_row"), augmented=True),
    # Bids and states without numbers to judge: the upload sheets `--bid-sheet-format` writes (Amazon
    # bulk rows, Google Ads Editor keyword or campaign rows, the 直通车 改价表 with its to-do keys) and
    # console exports of that shape. Read back, never judged. Ties go to ad_report
    # (same tie, declared first).
    Kind("ad_settings", signatures=(("entity", "operation"), ("keyword", "match_type", "bid"),
                                    ("keyword", "match_type", "state"), ("campaign", "campaign_state"),
                                    ("key", "bid"), ("key", "action")), tie=0,
         labels={"zh": "出价设置（上传表、批量文件）", "en": "ad settings (upload sheets, bulk files)"},
         not_shop=("keyword", "campaign", "entity"), period="dated", steps=("settings_level", "bulk_entities")),
)

KINDS: dict[str, Kind] = {kind.name: kind for kind in _DECLARED}
NAMES: tuple[str, ...] = tuple(KINDS)


def label(name: str, lang: str) -> str:
    """What a kind is called in `lang` (its id when it has no label)."""
    kind = KINDS.get(name)
    return kind.labels.get(lang, name) if kind else name
