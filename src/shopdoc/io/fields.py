"""Canonical fields and their aliases (`data/fields.yaml` plus the user's `inputs.aliases`).

Headers are compared after `header_key`, so `人均停留时长（秒）`, `人均停留时长(秒)` and
`人均停留时长 ` are one header, and so are `Sessions – Total` and `Sessions - Total`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from shopdoc.io.currency import HEADER_UNITS, code_of

# Unit suffixes dropped before matching: `(元)`, `(%)`, `（秒）`, `(USD)`, `(₹)` ... The currency ones are
# remembered (a header in 元 says the money is CNY, one in ₹ that it is INR).
_CURRENCY_UNITS = "|".join(re.escape(token.casefold()) for token in HEADER_UNITS)
_UNIT_RE = re.compile(rf"\(({_CURRENCY_UNITS}|%|‰|秒|s|sec|个|人|次|件|笔|单|天|#)\)$", re.IGNORECASE)
_DASHES = str.maketrans({"–": "-", "—": "-", "－": "-", "～": "~", "〜": "~"})


def header_key(text: str) -> str:
    """The form a header is matched in: NFKC (full-width to ASCII), dashes folded, no spaces,
    lower case, and a trailing unit such as `(元)` or `(%)` removed."""
    key = unicodedata.normalize("NFKC", str(text)).translate(_DASHES)
    key = re.sub(r"\s+", "", key).casefold()
    return _UNIT_RE.sub("", key) or key


def header_unit(text: str) -> str | None:
    """The unit a header names (`支付金额(元)` -> `元`, `点击率(%)` -> `%`), else None."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).casefold()
    match = _UNIT_RE.search(key)
    return match.group(1) if match else None


def header_currency(text: str) -> str | None:
    """The currency a header's unit names (`支付金额(元)` -> CNY, `14 Day Total Sales (₹)` -> INR)."""
    unit = header_unit(text)
    return code_of(unit) if unit else None


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # date | id | text | number | money | rate | duration
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def builtin_fields() -> dict[str, dict[str, Field]]:
    """Every kind's fields as shipped in `data/fields.yaml`."""
    import yaml

    text = resources.files("shopdoc").joinpath("data/fields.yaml").read_text(encoding="utf-8")
    # The safe loader, in C when libyaml is there: the pure-Python one takes longer than the sample files.
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {
        kind: {
            name: Field(name, spec.get("type", "text"), tuple(str(a) for a in spec.get("aliases", [])))
            for name, spec in fields.items()
        }
        for kind, fields in data.items()
    }


@dataclass
class KindAliases:
    """One kind's alias table: header key -> (field, priority). Lower priority wins a tie."""

    kind: str
    fields: dict[str, Field]
    index: dict[str, tuple[str, int]]

    def match(self, header: str) -> tuple[str, int] | None:
        return self.index.get(header_key(header))


def alias_tables(extra: dict[str, dict[str, list[str]]] | None = None) -> dict[str, KindAliases]:
    """Alias tables for every kind, with the user's aliases from the config added.

    A user's alias that is also a built-in alias of another field moves it to the user's field:
    the user is redirecting a column on purpose.
    """
    tables: dict[str, KindAliases] = {}
    for kind, fields in builtin_fields().items():
        fields = dict(fields)
        index: dict[str, tuple[str, int]] = {}
        for field in fields.values():
            for priority, alias in enumerate(field.aliases):
                index.setdefault(header_key(alias), (field.name, priority))
        for name, aliases in (extra or {}).get(kind, {}).items():
            if name not in fields:
                fields[name] = Field(name, "text", tuple(aliases))
            for alias in aliases:
                index[header_key(alias)] = (name, len(fields[name].aliases) + 1)
        tables[kind] = KindAliases(kind, fields, index)
    return tables
