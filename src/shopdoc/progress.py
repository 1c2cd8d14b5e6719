"""Progress on stderr while a long read runs: a rich bar on a terminal, nothing anywhere else.

A morning run of a few small exports is over before a bar could be read, and cron, pipes and
`--quiet` want no progress at all. So `diagnose` opens a `Progress` and hands it to the importers;
it stays silent unless stderr is a terminal, and even there it only appears when the read is long:
many files, or files big enough to take a noticeable time (a 100,000-row keyword report is ~6 MB).

    with progress_for(quiet=quiet) as progress:        # commands/diagnose.py
        dataset = api.load(paths, config, progress=progress)

    progress = as_progress(progress)                    # the importer, once per run
    progress.files(paths)                               # everything it is about to read
    with progress.reading(path):                        # around each file's read (thread-safe)
        ...

The bar measures bytes, not files, so one big report among small ones moves it at the right pace.
rich is imported only when a bar is actually shown: `import shopdoc.progress` costs nothing, and a
run that is piped never loads rich for this.
"""

from __future__ import annotations

import os
import sys
import threading
from contextlib import contextmanager
from typing import Any, Iterator, TextIO

MANY_FILES = 8                  # this many files or more: show the bar
BIG_READ_BYTES = 2 * 1024 ** 2  # or this much to read (about a second of Excel parsing)


class Progress:
    """The hook the importers report to. This one shows nothing: pipes, cron, `--quiet`, tests.

    It is falsy, and a shown one truthy, so code that was handed a plain flag before keeps working.
    """

    active = False
    done = 0      # files read so far
    shown = False  # a bar is on the terminal now

    def __bool__(self) -> bool:
        return self.active

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def files(self, paths: list[str]) -> None:
        """Everything this run is about to read, before the first file is opened."""

    @contextmanager
    def reading(self, path: str) -> Iterator[None]:
        """Around the read of one file: named while it reads, counted when done. Thread-safe."""
        yield

    def close(self) -> None:
        """Take the bar off the terminal. Safe to call twice."""


class TerminalProgress(Progress):
    """A transient rich bar on stderr: it disappears when the read is done, leaving the warnings."""

    active = True

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self._bar: Any = None
        self._task: Any = None
        self._sizes: dict[str, int] = {}
        self._count = 0
        self.done = 0

    @property
    def shown(self) -> bool:  # type: ignore[override]
        return self._bar is not None

    def files(self, paths: list[str]) -> None:
        sizes = {path: _size(path) for path in paths}
        with self._lock:
            self._sizes.update(sizes)
            self._count += len(paths)
            if self._bar is None and (self._count >= MANY_FILES or sum(self._sizes.values()) >= BIG_READ_BYTES):
                self._start()
            elif self._bar is not None:
                self._bar.update(self._task, total=sum(self._sizes.values()))

    @contextmanager
    def reading(self, path: str) -> Iterator[None]:
        self._show(os.path.basename(path))
        try:
            yield
        finally:
            with self._lock:
                self.done += 1
                if self._bar is not None:
                    self._bar.update(self._task, advance=self._sizes.get(path, 0),
                                     description=self._describe(os.path.basename(path), self.done))

    def close(self) -> None:
        with self._lock:
            bar, self._bar = self._bar, None
        if bar is not None:
            bar.stop()

    def _show(self, name: str) -> None:
        with self._lock:
            if self._bar is not None:
                self._bar.update(self._task, description=self._describe(name, min(self.done + 1, self._count)))

    def _describe(self, name: str, number: int) -> str:
        return f"{number}/{self._count} {name}"

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress as Bar, SpinnerColumn, TextColumn, TimeElapsedColumn

        console = Console(file=self._stream, highlight=False)
        self._bar = Bar(SpinnerColumn(), TextColumn("{task.description}", markup=False), BarColumn(),
                        TimeElapsedColumn(), console=console, transient=True, redirect_stdout=False)
        self._task = self._bar.add_task(self._describe("", self.done), total=sum(self._sizes.values()) or None)
        self._bar.start()


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def progress_for(*, quiet: bool = False, stream: TextIO | None = None) -> Progress:
    """A bar on `stream` (stderr) when it is a terminal, not `--quiet` and `NO_COLOR` is not set
    (a spinner is animation as much as colour is decoration); otherwise the silent hook."""
    stream = stream if stream is not None else sys.stderr
    if quiet or not _isatty(stream) or os.environ.get("TERM") == "dumb" or os.environ.get("NO_COLOR"):
        return Progress()
    return TerminalProgress(stream)


def as_progress(value: "Progress | bool | None") -> Progress:
    """What `api.load(progress=...)` was given, as a hook: a Progress as is, True a terminal bar
    when stderr is one, False/None the silent hook."""
    if isinstance(value, Progress):
        return value
    return progress_for() if value else Progress()


__all__ = ["Progress", "TerminalProgress", "progress_for", "as_progress", "MANY_FILES", "BIG_READ_BYTES"]
