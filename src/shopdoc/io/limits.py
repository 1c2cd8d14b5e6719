"""Budgets for reading: how much one file, one sheet, one zip and one run may take.

A morning's exports are a few megabytes; a big account's keyword report is 300,000 rows. Anything
far beyond that is a broken or hostile file (a zip bomb, a sheet with one cell at XFD1048576), and
reading it would take the whole run down with it. Every limit is generous for real exports and can
be raised in the config:

    inputs:
      limits:
        max_rows: 1000000

A refusal is one line naming the file (and sheet or member), what was over which limit, and the
setting that raises it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, fields, replace
from typing import Any

from shopdoc.messages import Said

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_file_mb: int = 256  # one file, one zip member or one workbook part, decompressed
    max_run_mb: int = 2048  # everything one run reads, decompressed
    max_rows: int = 500_000  # rows of one table (a sheet, a CSV)
    max_columns: int = 1_000  # columns of one table
    max_cells: int = 10_000_000  # cells of one table: a CSV's, or rows × columns of a sheet as a workbook lays it out
    max_cell_chars: int = 32_767  # characters of one cell (Excel's own limit); longer ones are cut
    max_zip_members: int = 200  # export files in one zip

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * MIB

    @property
    def max_run_bytes(self) -> int:
        return self.max_run_mb * MIB

    @classmethod
    def from_config(cls, config: Any) -> "Limits":
        data = getattr(config, "data", None) or {}
        configured = (data.get("inputs") or {}).get("limits") or {}
        return replace(cls(), **configured) if configured else cls()


NAMES = tuple(item.name for item in fields(Limits))
DEFAULTS = Limits()


def setting(name: str) -> Said:
    """How a user raises a limit, for the end of a refusal line."""
    return Said("hint.limit", limit=name)


class TooBig(Exception):
    """A budget ran out; `reason` is the line's middle (what was over which limit), a catalogue message."""

    def __init__(self, reason: Said, limit: str):
        self.reason, self.limit = reason, limit
        super().__init__(f"{reason} — {setting(limit)}")


class Budget:
    """The run's decompressed bytes, shared by the reader threads."""

    def __init__(self, limits: Limits | None = None):
        self.limits = limits or DEFAULTS
        self.used = 0
        self._lock = threading.Lock()

    def take(self, size: int) -> None:
        """Count `size` more bytes; TooBig once the run's total would pass its limit."""
        with self._lock:
            if self.used + size > self.limits.max_run_bytes:
                raise TooBig(Said("limit.run", used=self.used // MIB, max=self.limits.max_run_mb), "max_run_mb")
            self.used += size


def mib(size: int) -> str:
    return f"{size / MIB:,.0f} MiB" if size >= MIB else f"{size:,} bytes"
