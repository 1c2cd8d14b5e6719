"""Values that cannot be right are warned about and blanked, so no rule is misled by them.

The operating document itself warns that exported data is sometimes wrong. A conversion rate above
100%, more clicks than impressions, more buyers than visitors, a negative visitor count: each gives a
data warning naming file, row and column, and the value becomes NaN. The rest of the row stays.
Presale items (orders but 0 payment conversion) are not wrong; a rule handles them.
"""

from __future__ import annotations

import pandas as pd

from shopdoc.io.fields import Field
from shopdoc.io.warn import Warnings

# Counts that cannot be negative.
COUNTS = ("visitors", "pageviews", "clicks", "impressions", "buyers", "order_buyers", "units", "orders",
          "favorites", "add_to_cart", "returning_visitors", "new_visitors", "cart_adds")

# (smaller, larger, which to blank): the first can never exceed the second.
PAIRS = (
    ("clicks", "impressions", ("clicks", "impressions"), "more clicks than impressions, both left out"),
    ("buyers", "visitors", ("buyers",), "more paying buyers than visitors, left out"),
)


def check(frame: pd.DataFrame, fields: dict[str, Field], raw: dict[str, pd.Series],
          headers: dict[str, str], warnings: Warnings) -> None:
    """Blank impossible values in `frame` (in place), with a warning for each."""
    rows = frame["_row"]
    for name, spec in fields.items():
        if name not in frame.columns or spec.type != "rate":
            continue
        values = frame[name]
        wrong = (values > 1) | (values < 0)
        if wrong.any():
            reason = "rate above 100%, left out" if (values[wrong] > 1).all() else "rate outside 0–100%, left out"
            warnings.cells(rows[wrong], headers[name], raw[name][wrong], reason)
            frame.loc[wrong, name] = float("nan")
    for name in COUNTS:
        if name not in frame.columns:
            continue
        wrong = frame[name] < 0
        if wrong.any():
            warnings.cells(rows[wrong], headers[name], raw[name][wrong], f"negative {name.replace('_', ' ')}, left out")
            frame.loc[wrong, name] = float("nan")
    for small, large, blank, reason in PAIRS:
        if small not in frame.columns or large not in frame.columns:
            continue
        wrong = frame[small] > frame[large]
        if wrong.any():
            warnings.cells(rows[wrong], headers[small], raw[small][wrong], reason)
            for name in blank:
                frame.loc[wrong, name] = float("nan")
