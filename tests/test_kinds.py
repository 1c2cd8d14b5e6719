"""Each export kind is declared once (`shopdoc.kinds`), with its fields and aliases in the one aliases
file (`data/fields.yaml`): the modules that detect, date, store and name a kind read that declaration,
so the two can never disagree and a new kind touches those two places only."""

from __future__ import annotations

import re

import pytest

from shopdoc import dataset, kinds, model
from shopdoc.commands.info import KIND_NAMES
from shopdoc.history import rows, store
from shopdoc.io import detect
from shopdoc.io.fields import builtin_fields


def test_the_declared_kinds_are_the_kinds_of_the_aliases_file_and_of_the_report_model():
    assert set(kinds.NAMES) == set(builtin_fields())
    assert kinds.NAMES == model.KINDS


@pytest.mark.parametrize("name", kinds.NAMES)
def test_every_field_a_declaration_names_is_a_field_of_that_kind(name):
    kind, fields = kinds.KINDS[name], builtin_fields()[name]
    for alternative in kind.signatures:
        assert set(alternative) <= set(fields), alternative
    assert set(kind.not_shop) <= set(fields)
    assert kind.period in ("days", "dated")
    if kind.period == "days":  # a day kind is dated by a date column, or a Week/Month one
        assert {"date", "week", "month"} <= set(fields)
    else:
        assert "date" in fields
    if kind.shop_money:
        assert any(field.type == "money" for field in fields.values())
        assert "currency" in fields  # a Currency column says the money's currency per row
    assert set(kind.labels) == {"zh", "en"} and all(kind.labels.values())
    assert re.search(r"[\u4e00-\u9fff]", kind.labels["zh"])
    if kind.sheet_hint:
        re.compile(kind.sheet_hint)


def test_detection_dating_history_and_labels_come_from_the_declaration():
    assert detect.SPECIFICITY[-1] == "shop_daily"  # what is left when nothing more specific fits
    assert set(detect.SPECIFICITY) == set(kinds.NAMES)
    for name, kind in kinds.KINDS.items():
        assert detect.SIGNATURES[name] == list(kind.signatures)
        assert (name in dataset.DAY_KINDS) == (kind.period == "days")
        assert (name in dataset.SHOP_MONEY) == kind.shop_money
        assert (name in store.AUGMENTED_KINDS) == kind.augmented
        assert rows.STORED_KIND.get(name) == (kind.history[0] if kind.history else None)
        if kind.history:
            assert kind.history[1] in rows.KEEP
        assert KIND_NAMES["zh"][name] == kind.labels["zh"] and KIND_NAMES["en"][name] == kind.labels["en"]
    assert "review" not in rows.STORED_KIND  # a review is news once
    from shopdoc.io.normalise import STEPS

    for kind in kinds.KINDS.values():
        assert set(kind.steps) <= set(STEPS), kind.steps
    assert set(STEPS) == {step for kind in kinds.KINDS.values() for step in kind.steps}  # none unused
    assert [name for name, kind in kinds.KINDS.items() if kind.one_row_per_day] == ["shop_daily"]


def test_a_kind_that_is_stored_but_not_given_back_is_said_so():
    # The ad report's campaign totals are kept, but the ad rules are not given earlier days: they
    # judge a window and divide by the days it covers (see history.store).
    ad = kinds.KINDS["ad_report"]
    assert ad.history == ("ad_campaign", "per_campaign") and not ad.augmented
