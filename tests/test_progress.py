"""The progress hook: silent off a terminal and under --quiet, a bar on a terminal only for long reads."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from shopdoc.progress import BIG_READ_BYTES, MANY_FILES, Progress, TerminalProgress, as_progress, progress_for

ROOT = Path(__file__).resolve().parents[1]


class Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def exports(folder: Path, count: int, size: int = 1000) -> list[str]:
    paths = []
    for number in range(count):
        path = folder / f"直通车_关键词报表_{number:02d}.csv"
        with open(path, "wb") as handle:
            handle.truncate(size)  # sparse: the size is what counts, not the bytes
        paths.append(str(path))
    return paths


def read_all(progress: Progress, paths: list[str]) -> None:
    with progress:
        progress.files(paths)
        for path in paths:
            with progress.reading(path):
                pass


def test_piped_stderr_gets_nothing(tmp_path):
    stream = io.StringIO()
    progress = progress_for(stream=stream)
    assert not progress and type(progress) is Progress
    read_all(progress, exports(tmp_path, MANY_FILES + 2, BIG_READ_BYTES))
    assert stream.getvalue() == ""


def test_quiet_gets_nothing_even_on_a_terminal(tmp_path):
    stream = Terminal()
    progress = progress_for(quiet=True, stream=stream)
    assert not progress
    read_all(progress, exports(tmp_path, MANY_FILES + 2, BIG_READ_BYTES))
    assert stream.getvalue() == ""


def test_dumb_terminal_gets_nothing(monkeypatch):
    monkeypatch.setenv("TERM", "dumb")
    assert not progress_for(stream=Terminal())


def test_a_short_morning_read_shows_no_bar(tmp_path):
    stream = Terminal()
    progress = progress_for(stream=stream)
    assert isinstance(progress, TerminalProgress) and progress
    read_all(progress, exports(tmp_path, MANY_FILES - 1, 10_000))
    assert progress.done == MANY_FILES - 1
    assert stream.getvalue() == ""
    assert not progress.shown


@pytest.mark.parametrize("count, size", [(MANY_FILES, 1000), (1, BIG_READ_BYTES)])
def test_many_files_or_a_big_one_show_the_bar(tmp_path, count, size):
    stream = Terminal()
    progress = progress_for(stream=stream)
    paths = exports(tmp_path, count, size)
    with progress:
        progress.files(paths)
        assert progress.shown
        for path in paths:
            with progress.reading(path):
                pass
    assert progress.done == count
    assert not progress.shown  # closed: the transient bar is gone
    assert os.path.basename(paths[-1]) in stream.getvalue()


def test_reading_from_several_threads_counts_every_file(tmp_path):
    paths = exports(tmp_path, 24, 1000)
    progress = progress_for(stream=Terminal())

    def read(chunk: list[str]) -> None:
        for path in chunk:
            with progress.reading(path):
                pass

    with progress:
        progress.files(paths)
        threads = [threading.Thread(target=read, args=(paths[start::4],)) for start in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert progress.done == 24


def test_a_failed_read_still_counts_and_the_error_passes_through(tmp_path):
    paths = exports(tmp_path, 1, 1000)
    progress = progress_for(stream=Terminal())
    with pytest.raises(ValueError):
        with progress.reading(paths[0]):
            raise ValueError("bad file")
    assert progress.done == 1


def test_as_progress_takes_a_hook_or_a_flag():
    hook = TerminalProgress(Terminal())
    assert as_progress(hook) is hook
    assert not as_progress(False) and not as_progress(None)
    assert not as_progress(True)  # pytest's stderr is not a terminal


def test_the_hook_does_not_load_rich_until_a_bar_is_shown(tmp_path):
    code = ("import sys\nfrom shopdoc.progress import progress_for\n"
            "class T:\n    def isatty(self): return True\n    def write(self, s): pass\n    def flush(self): pass\n"
            "p = progress_for(stream=T())\np.files([])\nprint('rich' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.stdout.strip() == "False", done.stderr


def test_piped_diagnose_never_loads_rich(tmp_path):
    code = ("import sys\nsys.argv = ['shopdoc', 'diagnose', 'sample_data', '--config', 'sample_data/shopdoc.yaml',"
            " '--no-history', '--format', 'json', '--output', sys.argv[1]]\n"
            "from shopdoc.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('rich' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "report.json")], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    assert (tmp_path / "report.json").stat().st_size > 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"
