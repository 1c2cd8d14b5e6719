"""Export text made harmless for where it goes: a spreadsheet cell, a terminal, a chat message.

Exports carry text written by strangers: buyers' reviews, keywords an ad platform matched, item
titles. Two things can go wrong when shopdoc writes that text back out:

- **Formula injection** (OWASP "CSV Injection"): a keyword `=HYPERLINK("http://…")` or
  `+cmd|' /C calc'!A0` becomes a live formula when the bid sheet is opened in Excel. A cell that
  starts with `= + - @`, a tab or a carriage return (full-width forms too) and is not a plain
  number is written as text: with a leading `'` in CSV, as a string cell in .xlsx.
- **Terminal control**: ESC sequences clear the screen, retitle the window (OSC 0), write the
  clipboard (OSC 52) or hide links (OSC 8); C1 controls (`\\x9b` is a CSI on its own), DEL, and
  bidi overrides (U+202E turns `gpj.exe` around) do their own mischief. `clean_text` removes them,
  leaving a visible `�` where something was taken out, so a reader sees that the text was altered.

`clean_text` runs once where text enters (io normalises text columns through it) and again in the
writers as a final guard; it is idempotent and cheap on clean text.
"""

from __future__ import annotations

import re
from typing import Any

PLACEHOLDER = "\ufffd"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d+)*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?$")

# ESC sequences: CSI (ESC [ … final), OSC/DCS/SOS/PM/APC strings (ended by BEL or ESC \ or the end),
# and two-character escapes; then single C0/C1 controls other than tab and line breaks, DEL, and
# the bidi embeddings, overrides and isolates.
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)"
    r"|\x1b[ -/]*[0-~]?"
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]",
    re.S,
)
_SUSPECT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_BREAKS = re.compile(r"[\t\r\n]+")


def clean_text(text: str, *, one_line: bool = True) -> str:
    """`text` without escape sequences, control characters, DEL and bidi overrides (each run taken
    out leaves one `�`); with `one_line`, tabs and line breaks become a space."""
    if _SUSPECT.search(text):
        text = _SEQUENCE.sub(PLACEHOLDER, text)
        text = re.sub(f"{PLACEHOLDER}{{2,}}", PLACEHOLDER, text)
    if one_line and ("\n" in text or "\r" in text or "\t" in text):
        text = _BREAKS.sub(" ", text)
    return text


def clean_value(value: Any) -> Any:
    """`clean_text` for strings; anything else as it is."""
    return clean_text(value) if isinstance(value, str) else value


def is_formula_like(text: str) -> bool:
    """A cell a spreadsheet would run as a formula: starts with = + - @ (or tab/CR/LF) and is not a
    plain number such as `-12.5` or `+3%`."""
    stripped = text.lstrip(" \u3000")  # some spreadsheets skip leading spaces before a formula
    return stripped.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(stripped.strip())


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell: formula-like text gets a leading `'` (OWASP); other values unchanged."""
    if isinstance(value, str):
        value = clean_text(value)
        if is_formula_like(value):
            return "'" + value
    return value


_SGR = re.compile(r"(\x1b\[[0-9;]*m)")
_LONE_CR = re.compile(r"\r(?!\n)")


def guard_output(text: str, *, colour: bool = False) -> str:
    """The final guard before a rendered report reaches a terminal or a file: no escape sequence,
    control character or bidi override survives, whatever path text took to get there. With
    `colour` (rich on a terminal) the renderer's own colour codes (SGR, `ESC [ … m`) are kept."""
    if not _SUSPECT.search(text):
        return text
    if colour:
        parts = _SGR.split(text)
        return "".join(part if index % 2 else _guard(part) for index, part in enumerate(parts))
    return _guard(text)


# `_SUSPECT` in UTF-8: C0 controls and DEL are single bytes (found by deleting every other byte);
# C1 controls (U+0080-009F), the bidi marks, embeddings, overrides and isolates (U+200E/F,
# U+202A-202E, U+2066-2069, U+061C) are byte sequences that only ever spell those characters in
# valid UTF-8, each searched from its own first byte (one pattern for all is three times slower).
_NOT_C0 = bytes(code for code in range(256) if not (code <= 8 or 11 <= code <= 31 or code == 127))
_SUSPECT_UTF8 = (re.compile(rb"\xc2[\x80-\x9f]"), re.compile(rb"\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]"),
                 re.compile(rb"\xd8\x9c"))


def guard_output_bytes(data: bytes) -> bytes:
    """`guard_output` for a report already in UTF-8 (a JSON file): looked at without decoding it."""
    if not data.translate(None, _NOT_C0) and not any(pattern.search(data) for pattern in _SUSPECT_UTF8):
        return data
    return guard_output(data.decode("utf-8")).encode("utf-8")


def _guard(text: str) -> str:
    return clean_text(_LONE_CR.sub("", text), one_line=False)
