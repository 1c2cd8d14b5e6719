"""The importers: export files in, a Dataset of canonical frames out (SPEC §3).

    files ──read──▶ raw tables ──detect──▶ header row + kind ──normalise──▶ Dataset

`load_paths` never raises for a bad file: each file (and each sheet of a workbook that holds data)
becomes an `InputFile` whose status says how it went (ok, error, unrecognised, empty) and whose
`error` says in one line what is wrong and what to do.
"""

from __future__ import annotations

import gc
import os
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterator

from shopdoc.config import Config
from shopdoc.dataset import Dataset
from shopdoc.errors import InputError
from shopdoc.messages import say, words
from shopdoc.model import InputFile

if TYPE_CHECKING:
    import pandas as pd

    from shopdoc.io.fields import KindAliases
    from shopdoc.io.readers import RawTable
    from shopdoc.progress import Progress

__all__ = ["load_paths", "read_path", "export_files"]

# Files read at once. Parsing a workbook is calamine's (in Rust, GIL released); more threads than
# cores only make the reads compete, and a morning's exports are a handful of files anyway.
READERS = min(4, os.cpu_count() or 1)


def export_files(folder: str) -> list[str]:
    """Every export file directly inside a folder, sorted; hidden files and Excel lock files skipped."""
    from shopdoc.io.readers import EXPORT_SUFFIXES, is_hidden

    names = sorted(
        name for name in os.listdir(folder)
        if name.lower().endswith(EXPORT_SUFFIXES) and not is_hidden(name) and _is_file(os.path.join(folder, name))
    )
    return [os.path.join(folder, name) for name in names]


def _is_file(path: str) -> bool:
    """A regular file (a link to one too). A folder that can be listed but not entered raises
    PermissionError here, so it is told as unreadable, never as a folder without exports."""
    import stat

    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except PermissionError:
        raise
    except OSError:  # a dangling link, a name gone since the listing
        return False


def _expand(paths: list[str], lang: str = "en") -> list[str | InputFile]:
    """Files to read, in order; a folder without exports is reported as an empty input."""
    from shopdoc.io.readers import EXPORT_SUFFIXES

    out: list[str | InputFile] = []
    for path in paths:
        if os.path.isdir(path):
            try:
                files = export_files(path)
            except OSError as exc:
                out.append(InputFile(path=path, status="error",
                                     error_code="input.folder_unreadable", error=say("input.folder_unreadable", lang, why=exc.strerror)))
                continue
            if not files:
                suffixes = " ".join(EXPORT_SUFFIXES)
                out.append(InputFile(path=path, status="empty",
                                     error_code="input.folder_empty", error=say("input.folder_empty", lang, suffixes=suffixes)))
            out.extend(files)
        else:
            out.append(path)
    return out


def load_paths(paths: list[str], config: Config, progress: "Progress | bool" = False,
               idle: "Callable[[], None] | None" = None) -> Dataset:
    """Read every export under `paths` (files or folders) into one Dataset. Never raises for a bad file.

    No paths: the config's `shop.data_dir`, else the current folder. `progress` is the hook each
    file's read is reported to (see `shopdoc.progress`; True: a bar when stderr is a terminal).
    `idle`: work for this thread while it would only wait for the last read (a command's imports).

    The files are read on a few threads, the biggest first: python-calamine parses a workbook
    without holding the GIL, so the reads run side by side, and alongside the import of pandas,
    which starts only once they are under way. Each file is normalised in this thread as soon as
    its read is done. Everything lands in input order, so the report, its warnings and its
    errors never depend on which read happened to finish first.
    """
    from shopdoc.progress import as_progress

    progress = as_progress(progress)
    if not paths:
        paths = [config.get("shop", "data_dir") or "."]
    targets = _expand(list(paths), config.lang)
    files = {number: target for number, target in enumerate(targets) if isinstance(target, str)}
    progress.files(list(files.values()))
    read: dict[int, list[tuple[InputFile, "pd.DataFrame | None"]]] = {}
    budget = _budget(config)
    pool = ThreadPoolExecutor(max_workers=READERS, thread_name_prefix="shopdoc-read")
    # The biggest file's guard goes first and alone: it unpacks and scans the sheet's XML (zlib and
    # numpy, but between them Python that holds the GIL), and for a text sheet in the streaming
    # shape it is the whole read (`xlsx_text`); else the longest native parse of the run starts only
    # when it is done. The other reads and pandas' import (which holds the GIL throughout) wait
    # for it, then run beside the rest.
    first_guarded = threading.Event()
    if not files:
        first_guarded.set()
    with collector_paused():
        try:
            order = _biggest_first(files)
            reading = {pool.submit(_read, path, progress, budget,
                                   first_guarded.set if index == 0 else None,
                                   first_guarded if index else None): number
                       for index, (number, path) in enumerate(order)}
            first_guarded.wait(_GUARD_WAIT)
            import pandas as pd  # while the first workbooks are being parsed

            from shopdoc.io.fields import alias_tables

            tables = alias_tables(config.extra_aliases())
            for done in as_completed(reading):
                number = reading.pop(done)  # the raw cells go as soon as the file is normalised
                read[number] = _tables_of(files[number], done.result(), config, tables)
                if idle is not None and len(reading) == 1 and not next(iter(reading)).done():
                    idle()  # waiting for the last (biggest) read anyway
                    idle = None
        finally:
            pool.shutdown(cancel_futures=True)  # Ctrl-C: do not start the reads still queued
    dataset = Dataset()
    pieces: dict[str, list[pd.DataFrame]] = {}
    for number, target in enumerate(targets):
        if isinstance(target, InputFile):
            dataset.inputs.append(target)
            continue
        for item, frame in read[number]:
            dataset.inputs.append(item)
            if frame is not None and item.status == "ok":
                pieces.setdefault(item.kind, []).append(frame)
    for kind, frames in pieces.items():
        frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
        ordered = [name for name in frame.columns if name not in ("_file", "_row")] + ["_file", "_row"]
        dataset.frames[kind] = frame[ordered]
    from shopdoc.io import sanity, settle

    settle.settle(dataset, config.lang)  # a second download read once; a lone far-off date left out, with warnings
    sanity.across(dataset, config.lang)
    sanity.currencies(dataset, config.lang)
    return dataset


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while much is made and little thrown away: the files being read
    (a workbook arrives as a list per row, 100,000 of them for a keyword report, and pandas' import
    adds thousands of objects) and matplotlib's import and drawing (visual/draw.py). Its passes over
    them found nothing and took ~0.2 s of a large account's reading, ~0.15 s of the demo's HTML run;
    reference counting still frees whatever is dropped, and the next pass, afterwards, looks once.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _biggest_first(files: dict[int, str]) -> list[tuple[int, str]]:
    """The order to start the reads in: a 100,000-row keyword report must not start last."""
    def size(path: str) -> int:
        try:
            return os.path.getsize(path)
        except OSError:
            return 0  # it will fail to open, with its own error

    return sorted(files.items(), key=lambda pair: -size(pair[1]))


def _budget(config: Config):
    """The run's reading budget, from `inputs.limits` (see `shopdoc.io.limits`)."""
    from shopdoc.io.limits import Budget, Limits

    return Budget(Limits.from_config(config))


# Seconds the other reads wait for the biggest file's guard at most (a hostile 256 MB sheet's
# guard takes seconds; then they go ahead beside it).
_GUARD_WAIT = 5.0


def _read(path: str, progress: "Progress", budget=None, guarded=None, after=None) -> "list[RawTable] | Exception":
    """A file's raw tables, or the exception that stopped its read (runs on a reader thread; the
    caller turns the exception into that file's error, so a failure never depends on timing).
    Nothing a reader raises ends the run: a native library's panic is a BaseException.
    `guarded`: told when the file's guard is done (`readers.read_tables`); `after`: an Event to
    wait for (at most `_GUARD_WAIT` seconds) before starting."""
    from shopdoc.io.readers import read_tables

    if after is not None:
        after.wait(_GUARD_WAIT)
    with progress.reading(path):
        try:
            return read_tables(path, budget.limits if budget else None, budget, guarded)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # InputError, or a reader's bug: either way this file's status
            return exc if isinstance(exc, Exception) else RuntimeError(f"{type(exc).__name__}: {exc}")
        finally:
            if guarded is not None:
                guarded()  # never leave the other reads waiting


def read_path(path: str, config: Config,
              tables: "dict[str, KindAliases] | None" = None) -> list[tuple[InputFile, "pd.DataFrame | None"]]:
    """How one file reads: an InputFile for each of its tables, with the table's frame when ok."""
    from shopdoc.io.fields import alias_tables
    from shopdoc.progress import Progress

    return _tables_of(path, _read(path, Progress(), _budget(config)), config,
                      tables or alias_tables(config.extra_aliases()))


def _tables_of(path: str, raw_tables: "list[RawTable] | Exception", config: Config,
               tables: "dict[str, KindAliases]") -> list[tuple[InputFile, "pd.DataFrame | None"]]:
    """Each raw table of a file detected and normalised: an InputFile each, with its frame when ok."""
    from shopdoc.io.detect import detect, first_alias
    from shopdoc.io.normalise import normalise
    from shopdoc.io.warn import Warnings

    if isinstance(raw_tables, InputError):
        return [(InputFile(path=path, status="error", error=_reason(raw_tables, config.lang),
                           error_code=_code(raw_tables)), None)]
    if isinstance(raw_tables, Exception):
        return [(InputFile(path=path, status="error", error=_bug(raw_tables, config.lang), error_code="input.bug"), None)]
    if not raw_tables:
        return [(InputFile(path=path, status="empty", error_code="input.file_empty", error=say("input.file_empty", config.lang)), None)]
    pinned = config.pinned_kind(path)
    shop_currency = _shop_currency(config)
    several = len(raw_tables) > 1
    out = []
    for raw in raw_tables:
        if raw.error is not None:  # one sheet or zip member that could not be read; the rest are
            out.append((InputFile(path=path, sheet=raw.sheet, file_format=raw.file_format, status="error",
                                  error=_reason(raw.error, config.lang, sheet=raw.sheet is None),
                                  error_code=_code(raw.error)), None))
            continue
        item = InputFile(path=path, sheet=raw.sheet if several else None, file_format=raw.file_format,
                         encoding=raw.encoding)
        found = detect(raw.rows, tables, pinned=pinned, sheet=raw.sheet)
        if found.mapping is None:
            if found.missing and found.candidate is not None:
                candidate = found.candidate
                names = [first_alias(tables[candidate.kind], name, candidate.headers) for name in found.missing]
                item.status, item.kind = "error", candidate.kind
                item.header_row = raw.first_row + candidate.row
                item.columns = candidate.columns
                item.error_code = "input.missing_column"
                item.error = say("input.missing_column", config.lang, columns=" + ".join(names),
                                 kind=candidate.kind)
            else:
                item.status = "unrecognised"
                item.error = _unrecognised(raw, pinned, config.lang)
            out.append((item, None))
            continue
        mapping = found.mapping
        item.kind = mapping.kind
        item.header_row = raw.first_row + mapping.row
        item.columns = mapping.columns
        warnings = Warnings(path, item.sheet, config.lang)
        for note in raw.notes:
            warnings.add(note)
        try:
            result = normalise(raw, mapping, tables[mapping.kind], path, warnings, shop_currency)
        except Exception as exc:  # a bug here must not take the whole morning run down
            item.status, item.error_code = "error", "input.bug"
            item.error = _bug(exc, config.lang)
            out.append((item, None))
            continue
        item.warnings = warnings.done()
        item.rows = len(result.frame)
        item.dates = result.dates
        item.level = result.level
        item.currency, item.currency_from = result.currency, result.currency_from
        item.dates_from = result.dates_from
        if result.refusal:
            item.status, item.error = "error", words(result.refusal, config.lang)
            item.error_code = getattr(result.refusal, "code", None)
            out.append((item, None))
            continue
        if item.rows == 0:
            item.status = "empty"
            item.error_code = "input.header_only"
            item.error = say("input.header_only", config.lang)
            out.append((item, None))
            continue
        out.append((item, result.frame))
    return out


def _shop_currency(config: Config) -> str | None:
    """`shop.currency` as an ISO code, when the user set it. Left at its default (CNY) it says
    nothing about an English export: those without a currency of their own stay unknown rather
    than being shown in 元."""
    from shopdoc.io.currency import configured

    code = configured(config.get("shop", "currency"))
    return None if code == "CNY" else code


def _reason(exc: InputError, lang: str, sheet: bool = True) -> str:
    """The error without the path (the InputFile carries it, and the sheet when `sheet` is False)."""
    return exc.said(lang, sheet=sheet)


def _code(exc: InputError) -> str | None:
    """The catalogue code of an input error's reason, when it has one (JSON `error_code`)."""
    return getattr(exc.reason, "code", None)


def _bug(exc: Exception, lang: str) -> str:
    return say("input.bug", lang, error=f"{type(exc).__name__}: {exc}")


def _unrecognised(raw, pinned: str | None, lang: str) -> str:
    """Why a table is not a known export, in the report's language (the command that prints it adds
    how to look closer: `diagnose` points to `shopdoc inspect`, `inspect` is that already)."""
    from shopdoc.io.detect import cell_text
    from shopdoc.io.readers import HEADER_AREA
    from shopdoc.io.xls import printable

    if pinned:
        return say("input.no_header_pinned", lang, kind=pinned, rows=HEADER_AREA)
    widest = max(raw.rows[:HEADER_AREA], key=lambda row: sum(1 for cell in row if cell_text(cell)), default=[])
    shown = [printable(cell_text(cell))[:40] for cell in widest if cell_text(cell)][:4]
    if len(shown) < 2:
        return say("input.no_header", lang, rows=HEADER_AREA)
    return say("input.unknown_columns", lang, columns=("、" if lang == "zh" else ", ").join(shown))
