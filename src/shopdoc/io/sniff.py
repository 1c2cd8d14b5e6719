"""What is this file? Decided from its first bytes, never from its extension.

Sycm names binary Excel files `.xls` and some of its `.csv` downloads too; other platforms save an
HTML table as `.xls`; ad platforms ship a `.zip` holding one CSV.
"""

from __future__ import annotations

import io
import re
import zipfile

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary Excel (.xls)
ZIP = b"PK\x03\x04"
BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

# Files that are clearly something else, with the words a user recognises.
_FOREIGN = (
    (b"%PDF", "%PDF"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf", "7-Zip archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"{\\rtf", "RTF document"),
)

_HTML_RE = re.compile(rb"^\s*<(!doctype\s+html|html|table|head|body|meta|style|\?xml[^>]*>\s*<html)", re.I)
_XML_SPREADSHEET_RE = re.compile(rb"^\s*<\?xml[^>]*>\s*(<\?mso-application[^>]*>\s*)?<workbook", re.I)


def sniff(head: bytes) -> str:
    """The format of a file from its first bytes: xls, xlsx, zip, html, xml, text, empty, or
    `foreign:<what it is>` for files that are not exports at all."""
    if not head.strip(b" \t\r\n\x00" + b"".join(BOMS)):
        return "empty"
    if head.startswith(OLE):
        return "xls"
    if head.startswith(ZIP) or head.startswith(b"PK\x05\x06"):
        return "zip"  # xlsx, xlsm and plain archives alike; `zip_kind` tells them apart
    for magic, what in _FOREIGN:
        if head.startswith(magic):
            return f"foreign:{what}"
    body = head
    for bom in BOMS:
        if body.startswith(bom):
            body = body[len(bom):]
            break
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(head):
        body = _utf16_ascii(body)
    if _XML_SPREADSHEET_RE.match(body):
        return "xml"
    if _HTML_RE.match(body):
        return "html"
    if _looks_binary(head):
        return "foreign:binary data"
    return "text"


def zip_kind(source: bytes | str) -> str:
    """`xlsx` for an Office workbook, `zip` for an archive of files, `foreign:…` for other Office
    files. `source` is the file's bytes or its path."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        # ValueError: a member name flagged UTF-8 that is not (zipfile raises UnicodeDecodeError)
        return "foreign:damaged zip archive"
    if "[Content_Types].xml" in names or any(name.startswith("xl/") for name in names):
        if any(name.startswith("xl/") for name in names):
            return "xlsx"
        if any(name.startswith("word/") for name in names):
            return "foreign:Word document"
        if any(name.startswith("ppt/") for name in names):
            return "foreign:PowerPoint file"
    return "zip"


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a BOM: ASCII text with every other byte zero."""
    sample = head[:200]
    return len(sample) >= 8 and sample[1::2].count(0) > len(sample) // 2 * 0.8


def _utf16_ascii(body: bytes) -> bytes:
    """The ASCII bytes of UTF-16 text (enough to look for `<html` in it)."""
    return bytes(b for b in body[:400] if b)


def _looks_binary(head: bytes) -> bool:
    """Control bytes that no CSV holds (tab, CR, LF and form feed aside)."""
    sample = head[:1024]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(sample):
        return False
    # ESC, BEL and backspace turn up in review text (terminal escapes pasted by buyers or bots):
    # text to neutralise, not a sign of a binary file.
    control = sum(1 for b in sample if b < 32 and b not in (7, 8, 9, 10, 12, 13, 27))
    return control > max(2, len(sample) // 100)


def describe_start(head: bytes) -> str:
    """The first few bytes as a user can recognise them (`%PDF`, `PK`), for error messages."""
    text = head[:8].split(b"\n")[0]
    printable = "".join(chr(b) if 32 <= b < 127 else "" for b in text[:4])
    return printable or head[:4].hex(" ")
