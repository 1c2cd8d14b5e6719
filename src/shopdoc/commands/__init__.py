"""Command implementations behind the CLI; each is imported lazily by `shopdoc.cli`."""

from __future__ import annotations

import os
import sys


def write_stdout(text: str) -> None:
    """Print a report; a reader that went away (`shopdoc ... | head`) is not an error."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def markdown_table(rows: list[list[str]]) -> str:
    """A pipe table (first row the header) that pastes into chat, issues and wikis."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    head, *body = rows
    lines = ["| " + " | ".join(cell(c) for c in head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in body]
    return "\n".join(lines)
