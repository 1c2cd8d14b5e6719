"""Collects one input's data warnings, a few per problem: a broken column must not print 100,000 lines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from shopdoc.model import DataWarning

if TYPE_CHECKING:
    from shopdoc.messages import Said

PER_PROBLEM = 20  # warnings shown per (column, reason); the rest are counted in one line


class Warnings:
    """`lang` words the reasons: code that finds a problem gives a catalogue code (`say`), the words
    come from `shopdoc.messages` in the report's language."""

    def __init__(self, file: str, sheet: str | None = None, lang: str = "en"):
        self.file, self.sheet, self.lang = file, sheet, lang
        self.items: list[DataWarning] = []
        self._more: dict[tuple[str | None, str], int] = {}

    def say(self, code: str, **params: Any) -> str:
        """The catalogue message in the report's language; the text keeps its code (JSON `code`)."""
        from shopdoc.messages import say

        text = Worded(say(code, self.lang, **params))
        text.code = code
        return text

    def add(self, reason: "str | Said", *, row: int | None = None, column: str | None = None, value: Any = None) -> None:
        """One warning; a `Said` reason is worded in the report's language."""
        from shopdoc.messages import words

        self.items.append(DataWarning(self.file, words(reason, self.lang), row=row, column=column,
                                      value=None if value is None else _show(value), sheet=self.sheet,
                                      code=getattr(reason, "code", None)))

    def cells(self, rows: pd.Series, column: str, values: pd.Series, reason: str) -> None:
        """One warning per cell, up to PER_PROBLEM for this column and reason."""
        key = (column, reason)
        shown = sum(1 for item in self.items if (item.column, item.reason) == key)
        room = max(PER_PROBLEM - shown, 0)
        for row, value in zip(rows.iloc[:room].tolist(), values.iloc[:room].tolist()):
            self.add(reason, row=int(row), column=column, value=value)
        if len(rows) > room:
            self._more[key] = self._more.get(key, 0) + len(rows) - room

    def done(self) -> list[DataWarning]:
        for (column, reason), count in self._more.items():
            self.add(self.say("value.more_rows", reason=reason, n=count), column=column)
        self._more.clear()
        return self.items


class Worded(str):
    """A worded catalogue message that still knows its code."""

    code: str | None = None


def _show(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
