"""Issue 13's hostile inputs at their real sizes, measured: outcome, wall time and peak memory.

The tests (tests/test_hostile_inputs.py) build each hostile input small and lower the limits to
meet it; this script builds them at the sizes the issue reported (a 3.6 GB zip bomb, a 2 GB member
behind a lying header, 2 GiB of NULs, a 1 GB sheet, a 1 M-row CSV, a zip of 10,000 CSVs) and runs
`shopdoc diagnose` on each with the DEFAULT limits, beside a good keyword report, in a fresh
process. It also runs the largest inputs the default limits let through (a 300k-row keyword report
that must pass; a CSV and a sheet just under the limits) to show that memory stays under 1 GiB.

    .venv/bin/python benchmarks/hostile.py                 # every case
    .venv/bin/python benchmarks/hostile.py zip_10k_members rows_1m_csv
    .venv/bin/python benchmarks/hostile.py --list

Files are written under --work (default: a folder in the system temp dir, reused while present);
the bombs are written compressed (a few MB), sparse or streamed, never held in memory. Like
bench.py this is a report, not a test: it exits 0 and prints one row per case with what it is
judged by (peak < 1 GiB, one stderr line naming the input, the exit code the SPEC gives).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

MIB = 1 << 20
GIB = 1 << 30
HEADER = ["日期", "推广计划", "推广单元", "关键词", "出价", "展现量", "点击量", "花费", "总成交金额", "总成交笔数"]
GOOD = "直通车_关键词报表_20261122.csv"


def keyword_line(i: int) -> list:
    return ["2026-11-22", f"计划{i % 200}", f"单元{i % 1000}", f"羊毛衫关键词{i}", "1.20", 2000 + i % 997,
            40 + i % 37, f"{48 + i % 50}.50", "300.00", 3]


def write_keywords(path: Path, rows: int) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            writer.writerow(keyword_line(i))
    return path


def folder_with_good(work: Path, name: str) -> Path:
    folder = work / name
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.iterdir():
        stale.unlink()
    write_keywords(folder / GOOD, 12)
    return folder


def streamed_member(archive: zipfile.ZipFile, name: str, size: int, block: bytes) -> None:
    """A member of `size` bytes made of `block` repeated, streamed into the archive."""
    info = zipfile.ZipInfo(name, date_time=(2026, 11, 22, 8, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as member:
        written = 0
        while written < size:
            piece = block[:size - written]
            member.write(piece)
            written += len(piece)


def csv_block(rows: int = 20_000) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    for i in range(rows):
        writer.writerow(keyword_line(i))
    return text.getvalue().encode("utf-8")


# -- the cases ------------------------------------------------------------------------------------
# Each returns (folder to diagnose, what the issue measured, the expected outcome).

def keywords_300k_csv(work: Path):
    folder = work / "keywords_300k_csv"
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / GOOD).exists() or (folder / GOOD).stat().st_size < 10 * MIB:
        write_keywords(folder / GOOD, 300_000)
    return folder, "a big account's keyword report must pass", "report (exit 0/1)"


def rows_1m_csv(work: Path):
    folder = folder_with_good(work, "rows_1m_csv")
    write_keywords(folder / "关键词_一百万行.csv", 1_000_000)
    return folder, "1 M-row CSV: 2-3 GB, 51-80 s", "refused: max_rows (exit 3)"


def zip_10k_members(work: Path):
    folder = folder_with_good(work, "zip_10k_members")
    one = ("\ufeff" + ",".join(HEADER) + "\r\n" + ",".join(map(str, keyword_line(1))) + "\r\n").encode("utf-8")
    with zipfile.ZipFile(folder / "一万个.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(10_000):
            archive.writestr(zipfile.ZipInfo(f"关键词_{n:05}.csv", date_time=(2026, 11, 22, 8, 0, 0)), one,
                             compress_type=zipfile.ZIP_DEFLATED)
    return folder, "zip of 10,000 one-row CSVs: 241 s", "200 read, the rest one line: max_zip_members (exit 3)"


def zip_bomb_3_6g(work: Path):
    folder = folder_with_good(work, "zip_bomb_3_6g")
    with zipfile.ZipFile(folder / "炸弹.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        streamed_member(archive, "关键词_全部.csv", int(3.6e9), csv_block(200) * 80)
    return folder, "712 KB zip expands to 3.6 GB, read as 1.87 M rows", "refused by declared size: max_file_mb (exit 3)"


def zip_lying_2g(work: Path):
    """A 2 GB member whose headers (local and central) declare 100 bytes: only streaming can tell."""
    folder = folder_with_good(work, "zip_lying_2g")
    path = folder / "说谎.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        streamed_member(archive, "关键词.csv", 2 * 10 ** 9, b"0" * MIB)
    with zipfile.ZipFile(path) as archive:
        info = archive.infolist()[0]
        header_offset, real = info.header_offset, info.file_size
    data = bytearray(path.read_bytes())
    # the local header's zip64 extra field (8 bytes) and the central directory (4 bytes) hold the size
    for width in (8, 4):
        needle, start = real.to_bytes(width, "little"), 0
        while (found := data.find(needle, start)) >= 0:
            data[found:found + width] = (100).to_bytes(width, "little")
            start = found + width
    assert header_offset == 0
    path.write_bytes(bytes(data))
    return folder, "3 MB zip with a 2 GB member: 23 GB of RAM", "member refused, bounded by what it declares (exit 3)"


def nul_2g(work: Path):
    folder = folder_with_good(work, "nul_2g")
    with open(folder / "空白.csv", "wb") as handle:
        handle.truncate(2 * GIB)
    return folder, "2 GB of NULs: 4.2 GB to say 'empty'", "refused by size: max_file_mb (exit 3)"


def xlsx_1g_sheet(work: Path):
    from hostile import raw_xlsx, sheet_xml

    folder = folder_with_good(work, "xlsx_1g_sheet")
    small = raw_xlsx({"Sheet1": sheet_xml([HEADER])})
    row = "".join(f'<c r="{col}{{r}}" t="inlineStr"><is><t>羊毛衫关键词</t></is></c>' for col in "ABCDEFGHIJ")
    with zipfile.ZipFile(io.BytesIO(small)) as source, \
            zipfile.ZipFile(folder / "关键词.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info, source.read(info))
                continue
            target = zipfile.ZipInfo(info.filename, date_time=(2026, 11, 22, 8, 0, 0))
            target.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(target, "w", force_zip64=True) as member:
                member.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
                             b'.org/spreadsheetml/2006/main"><sheetData>')
                written, r = 0, 1
                while written < GIB:
                    chunk = "".join(f'<row r="{n}">' + row.replace("{r}", str(n)) + "</row>"
                                    for n in range(r, r + 2000)).encode()
                    member.write(chunk)
                    written += len(chunk)
                    r += 2000
                member.write(b"</sheetData></worksheet>")
    return folder, "xlsx with a 1 GB sheet: 3.7 GB", "refused while streaming: max_file_mb (exit 3)"


def sparse_xlsx(work: Path):
    from hostile import sparse_xlsx as build

    folder = folder_with_good(work, "sparse_xlsx")
    (folder / "report.xlsx").write_bytes(build())
    return folder, "4.8 KB xlsx with A1 and XFD1048576: SIGABRT (512 GiB)", "sheet refused: max_columns (exit 3)"


def sparse_xls(work: Path):
    from hostile import sparse_xls as build

    folder = folder_with_good(work, "sparse_xls")
    (folder / "商品.xls").write_bytes(build(folder))
    return folder, "(not in the issue) 5.6 KB .xls with A1 and IV65536: 1 GiB at open", "that sheet refused: max_cells (exit 3)"


def truncated_xls(work: Path):
    from hostile import truncated_xls as build

    folder = folder_with_good(work, "truncated_xls")
    (folder / "商品_全部.xls").write_bytes(build(folder))
    return folder, "truncated .xls: calamine PanicException, 120-line traceback", "file refused, one line (exit 3)"


def csv_at_limits(work: Path):
    """The largest CSV the defaults let through: just under 10 M cells, all of them distinct."""
    folder = folder_with_good(work, "csv_at_limits")
    path = folder / "关键词_上限.csv"
    columns, rows = 40, 249_000  # 9.96 M cells: under max_cells (10 M) and max_rows; every cell distinct
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER + [f"备注{n}" for n in range(columns - len(HEADER))])
        for i in range(rows):
            writer.writerow(keyword_line(i) + [f"x{i}.{n}" for n in range(columns - len(HEADER))])
    return folder, "(not in the issue) the worst a CSV within the limits can be", "report (exit 0/1), < 1 GiB"


def xlsx_at_limits(work: Path):
    """A sheet just under the default cell budget (10 M cells) and the part-size limit."""
    from hostile import raw_xlsx, sheet_xml

    folder = folder_with_good(work, "xlsx_at_limits")
    small = raw_xlsx({"Sheet1": sheet_xml([HEADER])})
    rows, width = 420_000, 20  # 8.4 M cells in a 240 MB sheet part: under max_cells and max_file_mb
    letters = [chr(65 + n) for n in range(width)]
    with zipfile.ZipFile(io.BytesIO(small)) as source, \
            zipfile.ZipFile(folder / "关键词_上限.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info, source.read(info))
                continue
            target = zipfile.ZipInfo(info.filename, date_time=(2026, 11, 22, 8, 0, 0))
            target.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(target, "w", force_zip64=True) as member:
                member.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
                             b'.org/spreadsheetml/2006/main"><sheetData>')
                names = HEADER + [f"备注{n}" for n in range(width - len(HEADER))]
                head = "".join(f'<c r="{letters[c]}1" t="inlineStr"><is><t>{names[c]}</t></is></c>' for c in range(width))
                member.write(f'<row r="1">{head}</row>'.encode())
                for start in range(2, rows + 2, 5000):
                    member.write("".join(
                        f'<row r="{r}">' + "".join(f'<c r="{letters[c]}{r}"><v>{(r * 7 + c) % 1000}</v></c>'
                                                   for c in range(width)) + "</row>"
                        for r in range(start, min(start + 5000, rows + 2))).encode())
                member.write(b"</sheetData></worksheet>")
    return folder, "(not in the issue) the worst a sheet within the limits can be", "read or refused in one line, < 1 GiB"


CASES = {f.__name__: f for f in (keywords_300k_csv, rows_1m_csv, zip_10k_members, zip_bomb_3_6g, zip_lying_2g,
                                 nul_2g, xlsx_1g_sheet, sparse_xlsx, sparse_xls, truncated_xls, csv_at_limits, xlsx_at_limits)}


def run(folder: Path, timeout: float) -> tuple[int | None, str, float, float, int]:
    """diagnose in a fresh process: exit code, stderr, wall s, child CPU s, peak RSS bytes."""
    command = [sys.executable, "-c", "from shopdoc.cli import main; main()", "diagnose", str(folder),
               "--no-history", "--format", "json", "--output", str(folder.parent / f"{folder.name}.json")]
    with tempfile.TemporaryFile() as err:
        started = time.monotonic()
        env = {**os.environ, "SHOPDOC_TODAY": "2026-11-23"}  # the exports' next morning: fresh data
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL, env=env)
        code = None
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() - started > timeout:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.02)
        seconds = time.monotonic() - started
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return code, text, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", help="case names (default: all)")
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "shopdoc-hostile"))
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    if args.list:
        for name, build in CASES.items():
            print(name, "—", (build.__doc__ or "").strip().splitlines()[0] if build.__doc__ else "")
        return
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    print("| case | the issue measured | expected | exit | stderr lines | wall s | cpu s | peak MiB | < 1 GiB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in args.cases or list(CASES):
        built = time.monotonic()
        folder, before, expected = CASES[name](work)
        size = sum(path.stat().st_blocks * 512 for path in folder.iterdir())
        code, err, seconds, cpu, peak = run(folder, args.timeout)
        lines = [line for line in err.splitlines() if line.strip()]
        report = folder.parent / f"{folder.name}.json"
        ok = 0
        if report.exists():
            try:
                ok = sum(item["status"] == "ok" for item in json.loads(report.read_text("utf-8"))["inputs"])
            except (ValueError, KeyError):
                ok = -1
        shown = "; ".join(line[:160] for line in lines[:2]) + (f" (+{len(lines) - 2} more)" if len(lines) > 2 else "")
        print(f"| {name} | {before} | {expected} | {code if code is not None else f'> {args.timeout:.0f} s'} "
              f"| {len(lines)}: {shown} (inputs ok: {ok}) | {seconds:.1f} | {cpu:.1f} | {peak / MIB:,.0f} "
              f"| {'yes' if peak < GIB else 'NO'} |", flush=True)
        print(f"<!-- {name}: built in {time.monotonic() - built - seconds:.0f} s, {size / MIB:,.1f} MiB on disk -->",
              file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
