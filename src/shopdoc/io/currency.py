"""Which currency a file's money is in, as an ISO code (CNY, USD, INR ...).

Exports say it in several ways, looked at in this order:
1. a currency column (Google Ads `Currency code`, Amazon `Currency`, 币种): per row;
2. symbols and codes in the money cells: `Rs.201.68` and `₹201.68` (Amazon.in), `$12.50`, `US$12.50`,
   `€`, `£`, `¥99`, `99元`, `12.50 EUR`;
3. a unit in a money header: `14 Day Total Sales (₹)`, `花费（元）`, `Spend (USD)`;
4. `shop.currency` in the config, when the user set it;
5. the platform's: exports with Chinese headers (生意参谋, 直通车, 万相台, 京东, 拼多多) are in 元.
Otherwise the currency is unknown, and amounts are written without a symbol.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import islice
from typing import Iterable

# A symbol or code as written in a cell or a header (upper-cased, spaces and dots removed) -> ISO.
TOKENS: dict[str, str] = {
    "¥": "CNY", "￥": "CNY", "元": "CNY", "万元": "CNY", "RMB": "CNY", "CN¥": "CNY", "人民币": "CNY",
    "$": "USD", "US$": "USD", "USD": "USD", "美元": "USD",
    "CA$": "CAD", "C$": "CAD", "CAD": "CAD",
    "A$": "AUD", "AU$": "AUD", "AUD": "AUD",
    "HK$": "HKD", "HKD": "HKD", "NT$": "TWD", "TWD": "TWD", "S$": "SGD", "SGD": "SGD",
    "MX$": "MXN", "MXN": "MXN", "R$": "BRL", "BRL": "BRL",
    "€": "EUR", "EUR": "EUR", "欧元": "EUR",
    "£": "GBP", "GBP": "GBP", "英镑": "GBP",
    "₹": "INR", "RS": "INR", "INR": "INR",
    "JP¥": "JPY", "JPY": "JPY", "日元": "JPY", "円": "JPY",
    "₩": "KRW", "KRW": "KRW",
    "CNY": "CNY", "CHF": "CHF", "SEK": "SEK", "PLN": "PLN", "AED": "AED", "SAR": "SAR", "TRY": "TRY",
    "NZD": "NZD", "NZ$": "NZD", "ZAR": "ZAR", "MYR": "MYR", "RM": "MYR", "THB": "THB", "฿": "THB",
    "IDR": "IDR", "RP": "IDR", "PHP": "PHP", "₱": "PHP", "VND": "VND", "₫": "VND",
}
ISO_CODES = frozenset(TOKENS.values())

# What a money cell holds besides its currency: digits, separators, signs, 万/亿, spaces.
_NUMBER_PARTS_RE = re.compile(r"[\d.,，\s+\-−()%万亿]")
_NOT_NUMBER_PART_RE = re.compile(r"[^\d.,，\s+\-−()%万亿]")
# Header units: `(₹)`, `（元）`, `(USD)`, `(US$)`, `(Rs.)`.
HEADER_UNITS = sorted({token for token in TOKENS} | {"rs."}, key=len, reverse=True)


def code_of(text: str) -> str | None:
    """The ISO code a symbol or code stands for (`Rs.` -> INR, `$` -> USD, `usd` -> USD), else None."""
    token = re.sub(r"[\s.]", "", str(text)).upper()
    if not token:
        return None
    return TOKENS.get(token) or TOKENS.get(str(text).strip())


def in_cell(cell: str) -> str | None:
    """The currency a money cell shows (`Rs.201.68` -> INR, `12.50 EUR` -> EUR), else None.
    A cell without a digit (`--`, a note) shows none."""
    if not any(ch.isdigit() for ch in cell):
        return None
    rest = _NUMBER_PARTS_RE.sub("", cell)
    return code_of(rest) if rest else None


def in_cells(cells: Iterable[object], limit: int = 5000) -> Counter:
    """How many text cells show each currency, among the first `limit` text cells."""
    found: Counter = Counter()
    text = list(islice((cell for cell in cells if isinstance(cell, str)), limit))
    if not _NOT_NUMBER_PART_RE.search(" ".join(text)):  # digits and separators only (nearly always): no symbol
        return found
    for cell in text:
        code = in_cell(cell)
        if code:
            found[code] += 1
    return found


def configured(value: str | None) -> str | None:
    """`shop.currency` as an ISO code (`$` -> USD, `cny` -> CNY); None when empty."""
    if not value or not str(value).strip():
        return None
    return code_of(value) or str(value).strip().upper()
