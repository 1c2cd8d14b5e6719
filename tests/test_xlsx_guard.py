"""The .xlsx guard (`io.xlsx_guard`): what calamine would lay out, found before it lays it out.

Each hostile position is put far into the sheet (past the first chunk, where the width is learned),
with a chunk made small so the sheets stay small: the scan of the later chunks is what is tested.
A refusal here is what stands between a 5 KB file and an aborted process (calamine aborts on a
failed allocation), so the positions calamine reads and the earlier scan did not are here too:
lower-case letters (`zz1` is column 702), rows of ten digits or more, five letters.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from shopdoc.io import xlsx_guard
from shopdoc.io.limits import Limits
from shopdoc.io.xlsx_guard import check_workbook, column_number
from tests.hostile import raw_xlsx

LIMITS = Limits(max_rows=50_000, max_columns=100, max_cells=200_000)  # 13 columns: rows up to 15,384


def _sheet(extra: str = "", rows: int = 400, at: int = 300) -> str:
    """A 13-column export of text cells, `extra` put inside row `at` (well past the first chunk)."""
    body = []
    for r in range(1, rows + 1):
        cells = "".join(f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{r * 13 + c}</t></is></c>' for c in range(13))
        body.append(f'<row r="{r}">{cells}{extra if r == at else ""}</row>')
    return ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + "".join(body) + "</sheetData></worksheet>")


def _verdict(xml: str, monkeypatch, limits: Limits = LIMITS, chunk: int = 4096):
    monkeypatch.setattr(xlsx_guard, "CHUNK", chunk)
    with zipfile.ZipFile(io.BytesIO(raw_xlsx({"Sheet1": xml}))) as archive:
        return check_workbook(archive, limits)


def _cell(ref: str, attrs: str = "") -> str:
    return f'<c r="{ref}"{attrs} t="inlineStr"><is><t>x</t></is></c>'


def test_a_plain_export_is_read_as_text(monkeypatch):
    verdict = _verdict(_sheet(), monkeypatch)
    assert verdict.sheets == {} and verdict.text == {"Sheet1"}


@pytest.mark.parametrize("ref, limit", [
    ("M15384", None),  # 13 × 15,384 = 199,992 cells: within
    ("M15385", "max_cells"),  # one row past what 13 columns may hold
    ("N300", None),  # one column past the header's 13: 14 × 400 cells, within
    ("CV300", None),  # column 100: within
    ("CW300", "max_columns"),  # column 101
    ("A50000", "max_cells"),  # within the rows, not 13 columns that far down
    ("A50001", "max_rows"),
    # positions calamine reads that the scan before numpy let through, each an aborted run:
    ("XFD1048576", "max_columns"),
    ("zz300", "max_columns"),  # lower case: calamine reads it as ZZ (column 702)
    ("ABCDE1", "max_columns"),  # five letters: calamine lays out 494,265 columns
    ("zzzz1048576", "max_columns"),
    ("A1234567890", "max_rows"),  # ten digits: calamine lays out 1.2 billion rows and aborts
    ("A000000000000000000000000000000300", None),  # leading zeros: row 300
    ("B99999999999999999999999", "max_rows"),
])
def test_each_bound_and_one_past_it_and_every_position_calamine_reads(monkeypatch, ref, limit):
    verdict = _verdict(_sheet(_cell(ref)), monkeypatch)
    if limit is None:
        assert verdict.sheets == {}
    else:
        assert verdict.sheets["Sheet1"][1] == limit, verdict


def test_a_far_position_in_the_first_chunk_is_refused_too(monkeypatch):
    verdict = _verdict(_sheet(_cell("zz3"), at=3), monkeypatch, chunk=1 << 20)
    assert verdict.sheets["Sheet1"][1] == "max_columns"


@pytest.mark.parametrize("cell", [
    '<c s="1" r="A9999999"><v>1</v></c>',  # position not first: placed by walking
    "<c><v>1</v></c>",  # no position at all
])
def test_cells_written_unusually_are_walked_and_still_judged(monkeypatch, cell):
    verdict = _verdict(_sheet(cell), monkeypatch)
    if "A9999999" in cell:
        assert verdict.sheets["Sheet1"][1] == "max_rows"
    else:
        assert verdict.sheets == {}  # one more cell beside row 300's: within
    assert "Sheet1" not in verdict.text


def test_each_chunk_boundary_is_safe(monkeypatch):
    """The far cell lands at every offset of a chunk: it is found wherever the cut falls."""
    base = _sheet(_cell("XFD300"))
    for chunk in range(512, 512 + 97):
        verdict = _verdict(base, monkeypatch, chunk=chunk)
        assert verdict.sheets["Sheet1"][1] == "max_columns", chunk


def test_the_scan_agrees_with_a_plain_reading_of_every_position(monkeypatch):
    """Random sheets with a few cells anywhere: refused exactly when the widest column or the
    farthest row a plain regular expression finds is past the limits."""
    import random

    rng = random.Random(7)
    for _ in range(60):
        extras = []
        for _ in range(rng.randint(0, 3)):
            letters = "".join(rng.choice("ABCDMNZabz") for _ in range(rng.choice([1, 1, 1, 2, 3])))
            row = rng.choice([1, 299, 1_999, 2_000, 15_384, 15_385, 50_001, 10 ** rng.randint(5, 12)])
            extras.append(_cell(f"{letters}{row}"))
        xml = _sheet("".join(extras), rows=120, at=rng.randint(60, 120))
        positions = re.findall(r'\sr="([A-Za-z]*)([0-9]+)"', xml)
        width = max(column_number(letters) for letters, _ in positions if letters)
        height = max(int(digits) for letters, digits in positions if letters)
        expect = width > LIMITS.max_columns or height > LIMITS.max_rows or width * height > LIMITS.max_cells
        verdict = _verdict(xml, monkeypatch, chunk=2048)
        assert ("Sheet1" in verdict.sheets) == expect, (width, height, verdict)


def test_a_run_budget_spent_while_a_large_sheet_is_unpacked_refuses_that_sheet(monkeypatch):
    """The sheet is unpacked ahead on a thread of its own: the budget error still reaches the scan."""
    from shopdoc.io.limits import Budget

    monkeypatch.setattr(xlsx_guard, "CHUNK", 4096)
    xml = _sheet(rows=2_000)
    budget = Budget(Limits(max_run_mb=1))
    budget.take((1 << 20) - len(xml) // 2)  # half the sheet fits in what is left
    with zipfile.ZipFile(io.BytesIO(raw_xlsx({"Sheet1": xml}))) as archive:
        verdict = check_workbook(archive, Limits(max_run_mb=1), budget)
    assert verdict.sheets["Sheet1"][1] == "max_run_mb"


def test_unpacking_ahead_stops_when_the_scan_stops_early(monkeypatch):
    """An odd cell in the second chunk ends the scan; the thread unpacking ahead ends with it."""
    import threading

    before = threading.active_count()
    verdict = _verdict(_sheet("<c><v>1</v></c>", rows=2_000, at=40), monkeypatch)
    assert "Sheet1" not in verdict.text
    assert threading.active_count() == before
