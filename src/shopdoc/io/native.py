"""Keep a native library's panic report off the user's stderr.

When calamine panics on a damaged workbook, Rust's panic hook writes a few lines ("thread '…'
panicked at …", "note: run with `RUST_BACKTRACE=1`…") straight to file descriptor 2 before Python
sees the exception; the reader turns the exception into the file's one-line error. While any
workbook is being parsed, descriptor 2 is pointed at a temporary file; afterwards whatever is not
panic noise is written back to stderr.

On a terminal stderr is left alone: the progress bar draws there while workbooks are read.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from contextlib import contextmanager
from typing import Iterator

_lock = threading.Lock()
_depth = 0
_saved: int | None = None
_capture = None

_NOISE = ("thread '", "note: run with `RUST_BACKTRACE", "note: Some details are omitted", "stack backtrace:")


def _is_noise(line: str) -> bool:
    stripped = line.strip()
    return (stripped.startswith(_NOISE) or "panicked at" in stripped
            or stripped[:1].isdigit() and ": " in stripped[:8] or stripped.startswith("at "))


def _without_panics(lines: list[str]) -> list[str]:
    """The captured lines less the panic reports: "thread '…' panicked at …:" is followed by the
    panic's own message (one or more lines, already in the file's one-line error) up to the
    `note:` or `stack backtrace:` line that closes the report."""
    kept, in_panic = [], False
    for line in lines:
        stripped = line.strip()
        if "panicked at" in stripped:
            in_panic = True
            continue
        if in_panic and stripped.startswith(("note:", "stack backtrace:")):
            in_panic = stripped.startswith("stack backtrace:")
            continue
        if in_panic or _is_noise(line):
            continue
        kept.append(line)
    return kept


@contextmanager
def quiet_native_stderr() -> Iterator[None]:
    global _depth, _saved, _capture
    try:
        active = not os.isatty(2)
    except OSError:
        active = False
    if not active:
        yield
        return
    with _lock:
        if _depth == 0:
            try:
                sys.stderr.flush()
                _capture = tempfile.TemporaryFile()
                _saved = os.dup(2)
                os.dup2(_capture.fileno(), 2)
            except OSError:
                _capture, _saved = None, None
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved is not None and _capture is not None:
                os.dup2(_saved, 2)
                os.close(_saved)
                _capture.seek(0)
                text = _capture.read().decode("utf-8", "replace")
                _capture.close()
                _saved, _capture = None, None
                kept = _without_panics(text.splitlines(keepends=True))
                if kept:
                    sys.stderr.write("".join(kept))
