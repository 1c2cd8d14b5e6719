"""The console's encoding: output never crashes on a character the console cannot show.

A Chinese Windows console, a redirect or a scheduled task often writes GBK (cp936), and a bare
POSIX locale writes ASCII. `prepare()` runs once at start-up, before anything is printed:

- where nobody asked for an encoding (no `PYTHONIOENCODING`) and the stream's encoding is ASCII (a
  bare POSIX locale), it switches the stream to UTF-8. A Windows console is UTF-8 already (Python
  writes to it in Unicode); a Windows redirect or scheduled task keeps the ANSI code page (GBK on a
  Chinese system), since whoever reads that file or pipe expects it;
- whatever the encoding ends up being, stdout and stderr get the `shopdoc-plain` error handler,
  which writes a plain equivalent for what the encoding lacks (🔴 → 【严重】 or [critical],
  ☐ → [ ], ¥ → CNY, • → ·) and `?` for anything else, instead of raising UnicodeEncodeError.

So the report, `--send` lines, warnings and the error line all go through one place: the streams.
"""

from __future__ import annotations

import codecs
import os
import sys
import unicodedata
from typing import Any

HANDLER = "shopdoc-plain"

# Plain equivalents, best first; the first one the encoding can write is used.
_SEVERITY_MARKS = {
    "\U0001F534": ("critical", "严重"),  # 🔴
    "\U0001F7E0": ("warning", "注意"),   # 🟠
    "\U0001F7E1": ("warning", "注意"),   # 🟡
    "\U0001F535": ("info", "提示"),      # 🔵
    "\u26A0": ("warning", "注意"),       # ⚠
}
_PLAIN: dict[str, tuple[str, ...]] = {
    "\u2610": ("[ ]",),          # ☐
    "\u2611": ("[x]",),          # ☑
    "\u2612": ("[x]",),          # ☒
    "\u2713": ("√", "v"),        # ✓
    "\u2714": ("√", "v"),        # ✔
    "\u00A5": ("CNY ",),         # ¥ (GBK has only the full-width ￥, which reads as a different sign in English)
    "\uFFE5": ("CNY ",),         # ￥ on an ASCII console
    "\u2022": ("·", "-"),        # •
    "\u00B7": ("-",),            # · on an ASCII console
    "\u2014": ("--",),           # —
    "\u2013": ("-",),            # –
    "\u2026": ("...",),          # …
    "\u2192": ("->",),           # →
    "\u2191": ("^",),            # ↑
    "\u2193": ("v",),            # ↓
    "\u2265": (">=",),           # ≥
    "\u2264": ("<=",),           # ≤
    "\u00D7": ("x",),            # ×
    "\u3010": ("[",),            # 【 on an ASCII console
    "\u3011": ("]",),            # 】
}

_lang = "zh"


def set_lang(lang: str) -> None:
    """The report's language: a severity dot becomes 【严重】 in a Chinese report, [critical] in English."""
    global _lang
    _lang = "en" if lang == "en" else "zh"


def _candidates(char: str) -> tuple[str, ...]:
    if char in _SEVERITY_MARKS:
        en, zh = _SEVERITY_MARKS[char]
        return (f"【{zh}】", f"[{en}]") if _lang == "zh" else (f"[{en}]",)
    if char in _PLAIN:
        return _PLAIN[char]
    folded = unicodedata.normalize("NFKC", char)  # full-width letters and digits, ligatures
    return (folded,) if folded != char else ()


def plain(char: str, encoding: str) -> str:
    """What to write for `char` on a console using `encoding`."""
    for candidate in _candidates(char):
        try:
            candidate.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            continue
        return candidate
    if unicodedata.category(char) in ("Mn", "Cf") or char == "\ufe0f":  # joiners, variation selectors
        return ""
    return "?"


def _handler(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    text = "".join(plain(char, exc.encoding) for char in exc.object[exc.start:exc.end])
    return text, exc.end


codecs.register_error(HANDLER, _handler)


def _is_ascii(encoding: str | None) -> bool:
    try:
        return codecs.lookup(encoding or "ascii").name == "ascii"
    except LookupError:
        return True


def prepare_stream(stream: Any) -> None:
    """UTF-8 where the platform allows and nobody chose otherwise; never an encoding error."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:  # a replaced stream (tests, embedding): leave it as it is
        return
    chosen = bool(os.environ.get("PYTHONIOENCODING"))
    encoding = getattr(stream, "encoding", None)
    try:
        if not chosen and _is_ascii(encoding):
            reconfigure(encoding="utf-8", errors=HANDLER)
        else:
            reconfigure(errors=HANDLER)
    except (ValueError, OSError, LookupError):  # already written to, or a stream that cannot change
        pass


def prepare() -> None:
    """Run once before the first line is printed."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            prepare_stream(stream)


__all__ = ["prepare", "prepare_stream", "plain", "set_lang", "HANDLER"]
