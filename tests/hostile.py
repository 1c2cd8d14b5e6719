"""Hostile and broken inputs, built small at test time, and a child-process runner that measures them.

`run_shopdoc` runs the real command in a child process and reports its exit code, output, wall
time and peak memory (the child's own maximum resident size, from wait4), so a test can assert
that a bomb was refused within a time bound and under 1 GiB.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import exports

GIB = 1024 ** 3


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float
    peak_bytes: int

    @property
    def lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def run_shopdoc(*args: str, cwd: Path, timeout: float = 60, env: dict[str, str] | None = None) -> Run:
    """`shopdoc ARGS` in a child process; peak memory is that child's own."""
    command = [sys.executable, "-c", "from shopdoc.cli import main; main()", *args]
    out_path, err_path = cwd / ".run-out", cwd / ".run-err"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.monotonic()
        child = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                 env={**os.environ, **(env or {})})
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                raise AssertionError(f"shopdoc {' '.join(args)} ran over {timeout} s")
            time.sleep(0.02)
        seconds = time.monotonic() - started
        child.returncode = os.waitstatus_to_exitcode(status)
    return Run(child.returncode, out_path.read_text("utf-8", "replace"), err_path.read_text("utf-8", "replace"),
               seconds, usage.ru_maxrss * 1024)


def good_keywords(folder: Path, name: str = "直通车_关键词报表_20261122.csv") -> Path:
    """A small, valid 直通车 keyword report: the good file beside each bad one."""
    records = [{"日期": "2026-11-22", "推广计划": "计划A", "推广单元": "单元1", "关键词": f"羊毛衫{i}",
                "出价": 1.2, "展现量": 2000 + i, "点击量": 40 + i, "花费": 48.0 + i, "总成交金额": 300.0,
                "总成交笔数": 3} for i in range(12)]
    return exports.ztc_keywords(folder / name, records, total=False, encoding="utf-8-sig")


def keyword_rows(count: int = 12) -> list[list]:
    header = ["日期", "推广计划", "推广单元", "关键词", "出价", "展现量", "点击量", "花费", "总成交金额", "总成交笔数"]
    return [header] + [["2026-11-22", "计划A", "单元1", f"羊毛衫{i}", 1.2, 2000 + i, 40 + i, 48.0 + i, 300.0, 3]
                       for i in range(count)]


# -- workbooks -----------------------------------------------------------------------------------

_CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                  'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                  'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>')
_OVERRIDE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-'
             'officedocument.spreadsheetml.worksheet+xml"/>')


def _cell(ref: str, value) -> str:
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = str(value).replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_xml(rows: list[list] | None = None, cells: dict[str, object] | None = None) -> str:
    """A worksheet from rows (A1 down), or from explicit cell positions (sparse)."""
    placed: dict[int, list[tuple[str, object]]] = {}
    for r, row in enumerate(rows or [], start=1):
        for c, value in enumerate(row):
            placed.setdefault(r, []).append((f"{column(c)}{r}", value))
    for ref, value in (cells or {}).items():
        placed.setdefault(int(re.sub("[A-Z]", "", ref)), []).append((ref, value))
    body = "".join(f'<row r="{r}">' + "".join(_cell(ref, v) for ref, v in items) + "</row>"
                   for r, items in sorted(placed.items()))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats'
            f'.org/spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>')


def raw_xlsx(sheets: dict[str, str]) -> bytes:
    """An .xlsx written part by part (so a test can put anything in a sheet), sheet name -> XML."""
    names = list(sheets)
    book = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            + "".join(f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(names, 1))
            + "</sheets></workbook>")
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships">' + "".join(
                f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                f'worksheet" Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(names) + 1))
            + "</Relationships>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(
            overrides="".join(_OVERRIDE.format(n=n) for n in range(1, len(names) + 1))))
        archive.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                         'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                         'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                         '</Relationships>')
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        for n, name in enumerate(names, 1):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", sheets[name])
    return buffer.getvalue()


def sparse_xlsx() -> bytes:
    """Two cells, at A1 and XFD1048576: calamine would lay out 16,384 × 1,048,576 cells (512 GiB)."""
    return raw_xlsx({"Sheet1": sheet_xml(cells={"A1": "日期", "XFD1048576": "x"})})


def sparse_xls(folder: Path) -> bytes:
    """A 5.6 KB .xls with cells at A1 and IV65536: calamine would lay out 16.7 M cells (over 1 GiB)."""
    import xlwt

    book = xlwt.Workbook()
    good = book.add_sheet("关键词")
    for r, row in enumerate(keyword_rows(20)):
        for c, value in enumerate(row):
            good.write(r, c, value)
    far = book.add_sheet("说明")
    far.write(0, 0, "说明")
    far.write(65535, 255, "x")
    book.save(str(folder / "sparse.xls"))
    data = (folder / "sparse.xls").read_bytes()
    (folder / "sparse.xls").unlink()
    return data


def truncated_xls(folder: Path) -> bytes:
    """A real .xls cut short by 100 bytes, as a broken download is: calamine panics on it."""
    data = exports.write_xls(folder / "whole.xls", keyword_rows(200)).read_bytes()
    (folder / "whole.xls").unlink()
    return data[:-100]


# -- archives --------------------------------------------------------------------------------------

def deflate_bomb(name: str, size: int) -> bytes:
    """A zip whose one member is `size` zero bytes, compressed at test time (about 1,000:1)."""
    buffer = io.BytesIO()
    info = zipfile.ZipInfo(name, date_time=exports.FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open(info, "w", force_zip64=True) as member:
            block = b"0" * (1 << 20)
            for _ in range(size // len(block)):
                member.write(block)
    return buffer.getvalue()


def lying_zip(name: str, real: bytes, declared: int) -> bytes:
    """A zip whose member's header declares `declared` bytes while it holds `real`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(name, date_time=exports.FIXED_TIME), real, compress_type=zipfile.ZIP_DEFLATED)
    data = bytearray(buffer.getvalue())
    size = len(real).to_bytes(4, "little")
    for index in [m.start() for m in re.finditer(re.escape(size), bytes(data))]:
        data[index:index + 4] = declared.to_bytes(4, "little")
    return bytes(data)


__all__ = ["GIB", "Run", "run_shopdoc", "good_keywords", "keyword_rows", "sheet_xml", "raw_xlsx", "sparse_xls", "sparse_xlsx",
           "truncated_xls", "deflate_bomb", "lying_zip", "zlib"]
