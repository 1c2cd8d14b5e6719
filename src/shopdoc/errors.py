"""Typed errors. Each knows how to say itself in one line; the CLI turns them into exit codes."""

from __future__ import annotations

# Exit codes (SPEC §2). Where several apply, the largest wins.
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_PARTIAL_INPUT = 3
EXIT_SEND_FAILED = 4


def location(path: str, sheet: str | None = None, row: int | None = None, column: str | None = None) -> str:
    """Where in an export something is, as a user finds it: `file.xls, sheet 商品, row 12, column 访客数`."""
    where = [path]
    if sheet:
        where.append(f"sheet {sheet}")
    if row is not None:
        where.append(f"row {row}")
    if column:
        where.append(f"column {column}")
    return ", ".join(where)


class ShopdocError(Exception):
    """Base class: a problem the user can fix, told in one line."""

    exit_code = EXIT_USAGE

    def line(self) -> str:
        return str(self)


class UsageError(ShopdocError):
    """A wrong option or argument."""


class ConfigError(ShopdocError):
    """An invalid config value, named by its key path (`rules.page.bounce_rate.critical`)."""

    def __init__(self, key: str, reason: str, file: str | None = None):
        self.key, self.reason, self.file = key, reason, file
        super().__init__(self.line())

    def line(self) -> str:
        where = f"{self.file}: " if self.file else ""
        key = _key_path(self.key)
        return f"{where}{key}: {self.reason}" if key else f"{where}{self.reason}"


def _key_path(key: str) -> str:
    """A key path as an error may show it: a URL or secret pasted as a key is not echoed."""
    if not key:
        return key
    from shopdoc.params import looks_secret

    if not looks_secret(key):
        return key
    parts = [part if not looks_secret(part) else "<key not shown>" for part in key.split(".")]
    joined = ".".join(parts)
    return joined if not looks_secret(joined) else "<key not shown: it looks like a URL or a secret>"


class InputError(ShopdocError):
    """An export that cannot be read (whole file, or one sheet of it)."""

    def __init__(
        self,
        path: str,
        reason: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ):
        self.path, self.reason, self.sheet, self.row, self.column, self.hint = (
            path, reason, sheet, row, column, hint,
        )
        super().__init__(self.line())

    def line(self) -> str:
        text = f"{location(self.path, self.sheet, self.row, self.column)}: {self.reason}"
        return f"{text} — {self.hint}" if self.hint else text


class HistoryError(ShopdocError):
    """The history database cannot be used (not a shopdoc history, read-only, disk full...)."""
