"""Small helpers the rule families share: earlier days, one day's rows, money and change wording.

Not a rule module (the leading underscore keeps discovery away). No pandas at import time: the
functions take frames that the Dataset already holds.
"""

from __future__ import annotations

import math
from datetime import date as Date, timedelta
from typing import TYPE_CHECKING, Any

from shopdoc.dataset import SHOP_MONEY, Dataset
from shopdoc.metrics import item_day, shop_day

if TYPE_CHECKING:
    import pandas as pd

    from shopdoc.engine import RuleContext

WEEKDAYS = {
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}

# Evidence lists (item ids, reviews counted) stop here so a 20,000-item shop's JSON stays small;
# the finding's `count` always has the full number.
EVIDENCE_LIMIT = 100




def shift_day(day: str, days: int) -> str:
    """`day` moved by `days` (negative: earlier), as ISO text."""
    return (Date.fromisoformat(day) + timedelta(days=days)).isoformat()


def weekday(day: str, lang: str) -> str:
    return WEEKDAYS.get(lang, WEEKDAYS["en"])[Date.fromisoformat(day).weekday()]


def short_day(day: str, lang: str) -> str:
    """`11-21` in Chinese, `Nov 21` in English: the way an operator names a recent day."""
    parsed = Date.fromisoformat(day)
    return f"{parsed.month}-{parsed.day:02d}" if lang == "zh" else parsed.strftime("%b %d").replace(" 0", " ")


def rows_exactly_on(dataset: Dataset, kind: str, day: str) -> "pd.DataFrame | None":
    """Rows dated exactly `day`. Unlike `Dataset.on`, undated rows are not counted: an earlier day
    must come from a file (or the history) that says it is that day."""
    frame = dataset.frame(kind)
    if frame is None or "date" not in frame.columns:
        return None
    rows = frame[frame["date"] == day]
    return None if rows.empty else rows


def shop_on(dataset: Dataset, day: str) -> dict[str, Any]:
    """The shop's metrics of an earlier day, from exactly-dated rows only (see above); the report
    day's are `ctx.shop_day()`. Made once per dataset, shop export and day (like `metrics.shop_day`)."""
    def make() -> dict[str, Any]:
        rows = rows_exactly_on(dataset, "shop_daily", day)
        return {} if rows is None else shop_day(Dataset(frames={"shop_daily": rows}), day)

    return dict(dataset.remembered("shop_on", day, ("shop_daily",), make))


def items_on(dataset: Dataset, day: str | None) -> "pd.DataFrame | None":
    """Item rows of the report day, one per item id (the last row wins when a file repeats one).

    Eight rules ask for the same day: with copy-on-write (pandas 3) the frame is made once per
    dataset, day and item frame, as no rule can change it for the next."""
    import pandas as pd

    if int(pd.__version__.split(".")[0]) < 3:
        return _items_on(dataset, day)
    found = dataset.remembered("items_on", day, ("item_daily",), lambda: _items_on(dataset, day))
    return None if found is None else found.copy(deep=False)  # a column set on it stays the caller's


def _items_on(dataset: Dataset, day: str | None) -> "pd.DataFrame | None":
    items = item_day(dataset, day)
    if items is None:
        return None
    return items.drop_duplicates("item_id", keep="last")


def column(frame: "pd.DataFrame", name: str) -> "pd.Series":
    """A numeric column of `frame` as float, all-NaN when the export does not have it."""
    import pandas as pd

    if name in frame.columns:
        return pd.to_numeric(frame[name], errors="coerce").astype("float64")
    return pd.Series(float("nan"), index=frame.index, dtype="float64")


def text_of(row: Any, name: str) -> str | None:
    """A text cell of a row (a Series), None when missing or blank."""
    import pandas as pd

    value = row.get(name) if hasattr(row, "get") else None
    if value is None or pd.isna(value):
        return None
    text = str(value).strip()
    return text or None


def item_label(lang: str, item_id: Any, item_name: str | None) -> str:
    """How an item is named in a title: 「name」 in Chinese, “name” in English, else its id."""
    if not item_name:
        return f"商品 {item_id}" if lang == "zh" else f"item {item_id}"
    return f"「{item_name}」" if lang == "zh" else f"“{item_name}”"


def data_currency(ctx: "RuleContext", *kinds: str) -> str | None:
    """The ISO code of the money a rule judges: the one currency the rows of `kinds` carry (the
    file's, see `shopdoc.io.currency`), else `shop.currency` as configured. None when the rows mix
    currencies or nothing says one (the report then writes the shop's currency).

    A finding's money is passed on with it (`ctx.finding(..., currency=data_currency(ctx, kind))`),
    so a USD account's findings say `$` and its JSON `money.currency` is USD, whatever the default
    `shop.currency` is."""
    from shopdoc.io.currency import configured

    key = ("data_currency", kinds or SHOP_MONEY)  # once per run: every rule asks, the frames do not change
    if key not in ctx.state.cache:
        ctx.state.cache[key] = frozenset(ctx.dataset.currencies(kinds or SHOP_MONEY))
    codes = set(ctx.state.cache[key])
    if codes:
        return codes.pop() if len(codes) == 1 else None
    return configured(ctx.config.get("shop", "currency"))


def currency_symbol(ctx: "RuleContext", currency: str | None = None) -> str | None:
    """None means yuan written the Chinese way ("1,240 元")."""
    from shopdoc.report._format import _SYMBOLS as SYMBOLS

    code = (currency or ctx.config.data.get("shop", {}).get("currency") or "CNY").strip()
    if code.upper() in ("CNY", "RMB", "元", "￥", "¥"):
        return None
    return SYMBOLS.get(code.upper(), code)


def money_text(ctx: "RuleContext", amount: float, *, exact: bool = False, currency: str | None = None) -> str:
    """Money as the operator writes it: `1,240 元`, `¥1,240`, `$1,240`, `₹1,240`, `1,240 CHF`, in
    `currency` (an ISO code; None: the currency of the shop's own exports, see `data_currency`). Amounts of 100 or more are rounded to the unit
    unless `exact` (prices: 1,299.5 stays 1,299.5)."""
    if exact:
        rounded = f"{abs(amount):,.2f}".rstrip("0").rstrip(".")
    elif abs(amount) < 100:
        rounded = f"{abs(amount):,.2f}"
    else:
        rounded = f"{abs(amount):,.0f}"
    sign = "-" if amount < 0 else ""
    symbol = currency_symbol(ctx, currency or data_currency(ctx, *SHOP_MONEY))
    if symbol is None:
        return f"{sign}{rounded} 元" if ctx.lang == "zh" else f"{sign}¥{rounded}"
    if len(symbol) == 3 and symbol.isalpha():  # a code without a symbol: after the amount
        return f"{sign}{rounded} {symbol}"
    return f"{sign}{symbol}{rounded}"


def signed_pct(value: float) -> str:
    """+12.3% / -4.0%: a change as a signed percentage."""
    return f"{value:+.1%}"


def rate_text(value: float | None) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.2%}"


def count_text(value: float) -> str:
    return f"{value:,.0f}"


def clean(value: Any) -> float | None:
    """A float, or None for missing (NaN, None, text that is not a number)."""
    try:
        number_ = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number_) else number_


def too_few(ctx: "RuleContext", what_zh: str, what_en: str, have: float, need: float, subject: str | None = None) -> None:
    """The standard minimum-sample skip: `访客数 80 太少，至少要 100`."""
    ctx.skip(ctx.t(f"{what_zh} {have:,.0f} 太少，至少要 {need:,.0f}", f"only {have:,.0f} {what_en}, needs {need:,.0f}"),
             subject=subject)


def refund_rates(dataset: Dataset, day: str | None, days: int) -> tuple["pd.DataFrame | None", dict[str, float] | None]:
    """Refunds against sales over the `days` days up to `day`: per item (`item_id`, `refund`, `gmv`,
    `buyers`, `rate`, `days`) and for the shop (`refund`, `gmv`, `buyers`, `rate`), or None where the
    exports carry no refund column (成功退款金额). A blank refund cell in a file that has the column is
    no refund; a negative one (Shopify's Returns) counts by its size. The shop's figures are the
    items' sums, else the shop export's.

    item.refund_rate and the ad rules (ROI net of refunds) read the same window: made once per
    dataset, day and window, like `items_on`; each caller gets its own copies."""
    per_item, shop = dataset.remembered("refund_rates", (day, days), ("item_daily", "shop_daily"),
                                        lambda: _refund_rates(dataset, day, days))
    return (None if per_item is None else per_item.copy(deep=False)), (None if shop is None else dict(shop))


def _refund_rates(dataset: Dataset, day: str | None, days: int) -> tuple["pd.DataFrame | None", dict[str, float] | None]:
    import pandas as pd

    if day is None:
        return None, None
    window = {shift_day(day, -back) for back in range(max(days, 1))}
    items = dataset.frame("item_daily")
    per_item, shop = None, None
    if items is not None and "refund_amount" in items.columns and "date" in items.columns:
        rows = items[items["date"].isin(window) & items["item_id"].notna()]
        rows = rows[column(rows, "refund_amount").notna().groupby(rows["item_id"]).transform("any")] if not rows.empty else rows
        if not rows.empty:
            rows = rows.drop_duplicates(["item_id", "date"], keep="last")
            table = pd.DataFrame({"item_id": rows["item_id"].astype(str), "date": rows["date"],
                                  "refund": column(rows, "refund_amount").fillna(0.0).abs(), "gmv": column(rows, "gmv"),
                                  "buyers": column(rows, "buyers")})
            per_item = table.groupby("item_id", sort=False).agg(
                refund=("refund", "sum"), gmv=("gmv", "sum"), buyers=("buyers", "sum"), days=("date", "nunique")).reset_index()
            per_item["rate"] = per_item["refund"] / per_item["gmv"].where(per_item["gmv"] > 0)
            shop = {"refund": float(per_item["refund"].sum()), "gmv": float(per_item["gmv"].sum()),
                    "buyers": float(per_item["buyers"].sum())}
    if shop is None:
        frame = dataset.frame("shop_daily")
        if frame is not None and "refund_amount" in frame.columns and "date" in frame.columns:
            rows = frame[frame["date"].isin(window)].drop_duplicates("date", keep="last")
            if column(rows, "refund_amount").notna().any():
                # Shopify's Returns are negative (they come off the sales): a refund is its size.
                shop = {"refund": float(column(rows, "refund_amount").fillna(0.0).abs().sum()),
                        "gmv": float(column(rows, "gmv").sum()), "buyers": float(column(rows, "buyers").sum())}
    if shop is not None:
        shop["rate"] = shop["refund"] / shop["gmv"] if shop["gmv"] > 0 else float("nan")
    return per_item, shop
