"""`Dataset.remembered`: what several rules ask of the same day is made once, and made again when a
frame it reads is replaced; callers get copies (a rule that sets a column keeps it to itself)."""

from __future__ import annotations

import pandas as pd

from shopdoc.dataset import Dataset
from shopdoc.metrics import shop_day
from shopdoc.rules._helpers import items_on


def shop(visitors: float) -> pd.DataFrame:
    return pd.DataFrame({"date": ["2026-11-22"], "visitors": [visitors], "buyers": [visitors / 50]})


def test_made_once_per_key_and_again_when_a_frame_it_reads_is_replaced():
    dataset = Dataset(frames={"shop_daily": shop(1000.0)})
    made = []

    def make():
        made.append(1)
        return len(made)

    assert dataset.remembered("n", "2026-11-22", ("shop_daily",), make) == 1
    assert dataset.remembered("n", "2026-11-22", ("shop_daily",), make) == 1  # not made again
    assert dataset.remembered("n", "2026-11-21", ("shop_daily",), make) == 2  # another key
    dataset.frames["item_daily"] = pd.DataFrame({"item_id": ["1"]})
    assert dataset.remembered("n", "2026-11-22", ("shop_daily",), make) == 1  # a frame it does not read
    dataset.frames["shop_daily"] = shop(2000.0)
    assert dataset.remembered("n", "2026-11-22", ("shop_daily",), make) == 3  # the one it reads


def test_a_day_read_through_it_follows_the_data_and_hands_out_copies():
    dataset = Dataset(frames={"shop_daily": shop(1000.0),
                              "item_daily": pd.DataFrame({"date": ["2026-11-22"], "item_id": ["5531"], "visitors": [10.0]})})
    first = shop_day(dataset, "2026-11-22")
    first["visitors"] = -1  # the caller's dict
    assert shop_day(dataset, "2026-11-22")["visitors"] == 1000
    dataset.frames["shop_daily"] = shop(2000.0)
    assert shop_day(dataset, "2026-11-22")["visitors"] == 2000
    items = items_on(dataset, "2026-11-22")
    items["extra"] = 1
    assert "extra" not in items_on(dataset, "2026-11-22").columns
