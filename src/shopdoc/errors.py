"""Typed errors. Each knows how to say itself in one line; the CLI turns them into exit codes."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shopdoc.messages import Said

# Exit codes (SPEC §2). Where several apply, the largest wins.
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_PARTIAL_INPUT = 3
EXIT_SEND_FAILED = 4


def location(path: str, sheet: str | None = None, row: int | None = None, column: str | None = None,
             lang: str = "en") -> str:
    """Where in an export something is, as a user finds it: `file.xls, sheet 商品, row 12, column 访客数`
    (`file.xls，工作表「商品」，第 12 行，「访客数」列` in Chinese)."""
    from shopdoc.messages import say

    where = [path] if path else []
    if sheet:
        where.append(say("where.sheet", lang, sheet=sheet))
    if row is not None:
        where.append(say("where.row", lang, row=row))
    if column:
        where.append(say("where.column", lang, column=column))
    return say("where.sep", lang).join(where)


def warning_line(warning, lang: str = "en", file: bool = True) -> str:
    """A data warning (`model.DataWarning`) as one line in `lang`: where, why, and the value read."""
    from shopdoc.messages import say

    where = location(warning.file if file else "", warning.sheet, warning.row, warning.column, lang)
    if warning.value is None:
        value = ""
    else:
        value = f"（“{warning.value}”）" if lang == "zh" else f" ({warning.value!r})"
    return f"{where}{say('where.then', lang)}{warning.reason}{value}" if where else f"{warning.reason}{value}"


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
    """An export that cannot be read (whole file, or one sheet of it). `reason` and `hint` are
    catalogue messages (`shopdoc.messages.Said`: a reason code and its values), worded in the
    report's language by `line(lang)`; plain strings are shown as they are."""

    def __init__(
        self,
        path: str,
        reason: "str | Said",
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: "str | Said | None" = None,
    ):
        self.path, self.reason, self.sheet, self.row, self.column, self.hint = (
            path, reason, sheet, row, column, hint,
        )
        super().__init__(self.line())

    def line(self, lang: str = "en") -> str:
        return self.said(lang, self.path)

    def said(self, lang: str, path: str = "", sheet: bool = True) -> str:
        """The line in `lang`, from `path` on (none: from the sheet, row, column; `sheet=False`: the
        sheet left out too, for a line that names it already)."""
        from shopdoc.messages import say, words

        where = location(path, self.sheet if sheet else None, self.row, self.column, lang)
        text = f"{where}{say('where.then', lang)}{words(self.reason, lang)}" if where else words(self.reason, lang)
        return text + say("where.hint", lang, hint=self.hint) if self.hint else text


class HistoryError(ShopdocError):
    """The history database cannot be used (not a shopdoc history, read-only, disk full...)."""
