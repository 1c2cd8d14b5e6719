"""One sheet of rows written as an `.xlsx`, streamed as XML: what the bid sheet, the upload layouts
and `--details` write.

openpyxl's write-only workbook makes a cell object per value and serialises it through an XML tree:
about 14 µs a cell, 16 s for a 100,000-row bid sheet. A sheet of plain values needs none of that: each
row is one string (text as inline strings, numbers as their shortest repr), the styles part is
fixed, and the workbook is built in memory and written in one go (a full disk is one OSError, not
half a zip).

Text is never a formula here: a cell is `<c t="inlineStr">` or a number, and no `<f>` is ever
written, so a keyword `=HYPERLINK(...)` stays text; formula-like text also gets Excel's quote
prefix, so it stays text when someone edits the cell.
Control characters XML 1.0 forbids are taken out by `clean_text` (with its visible `�`).
"""

from __future__ import annotations

import math
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any, Iterable, Sequence

from shopdoc.neutral import clean_text, is_formula_like

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    '</Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" '
    'Target="docProps/app.xml"/>'
    '</Relationships>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/>'
    '</Relationships>')
_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>shopdoc</dc:creator></cp:coreProperties>')
_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    '<Application>shopdoc</Application></Properties>')
_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\ufffe": "\ufffd", "\uffff": "\ufffd"})
_FIRST_CUSTOM_FORMAT = 164  # ids below are Excel's built-in number formats


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _escape(text: str) -> str:
    return clean_text(text).translate(_XML_ESCAPES)


def _styles(formats: list[str]) -> tuple[str, dict[str, int]]:
    """The styles part: style 0 plain, 1 bold (the header), 2 quoted text (formula-like text: Excel
    keeps it text when the cell is edited), then one per number format."""
    codes = list(dict.fromkeys(formats))
    ids = {code: _FIRST_CUSTOM_FORMAT + n for n, code in enumerate(codes)}
    num_fmts = "".join(f'<numFmt numFmtId="{ids[code]}" formatCode="{_escape(code)}"/>' for code in codes)
    xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
           '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>',
           '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>']
    style_of = {}
    for n, code in enumerate(codes):
        xfs.append(f'<xf numFmtId="{ids[code]}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>')
        style_of[code] = 3 + n
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<styleSheet {_MAIN}>'
           + (f'<numFmts count="{len(codes)}">{num_fmts}</numFmts>' if codes else "")
           + '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
             '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
             '<fills count="2"><fill><patternFill patternType="none"/></fill>'
             '<fill><patternFill patternType="gray125"/></fill></fills>'
             '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
             '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
           f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
             '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
             '</styleSheet>')
    return xml, style_of


def write_xlsx(path: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
               widths: Sequence[float | None] | None = None, formats: Sequence[str | None] | None = None,
               bold_header: bool = True, freeze_header: bool = True) -> int:
    """Write `rows` under `headers` as the one sheet `title` of an `.xlsx` at `path`; returns the rows.

    Values: str (inline text; empty is a blank cell), int/float (NaN and infinities blank), bool,
    None (blank). `formats` gives a column's Excel number format (e.g. "0.00%"), `widths` its width.
    """
    letters = [column_letter(n) for n in range(len(headers))]
    formats = list(formats or [None] * len(headers))
    styles_xml, style_of = _styles([code for code in formats if code])
    number_open = [f'" s="{style_of[code]}"><v>' if code else '"><v>' for code in formats]
    header_style = ' s="1"' if bold_header else ""
    texts: dict[str, str] = {}  # plan names, verdicts, reasons repeat: escaped once per distinct value

    def cells(values: Sequence[Any], row: int, style: str = "") -> str:
        out = []
        for n, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                if not value:
                    continue
                text = texts.get(value)
                if text is None:
                    clean = clean_text(value)
                    escaped = clean.translate(_XML_ESCAPES)
                    space = ' xml:space="preserve"' if escaped != escaped.strip() else ""
                    quoted = ' s="2"' if is_formula_like(clean) else ""
                    text = f'{quoted} t="inlineStr"><is><t{space}>{escaped}</t></is></c>'
                    if len(texts) < 200_000:
                        texts[value] = text
                out.append(f'<c r="{letters[n]}{row}"{"" if text.startswith(" s=") else style}{text}')
            elif isinstance(value, bool):
                out.append(f'<c r="{letters[n]}{row}" t="b"><v>{int(value)}</v></c>')
            else:
                number = float(value)
                if not math.isfinite(number):
                    continue
                written = repr(int(value)) if isinstance(value, int) else repr(number)
                out.append(f'<c r="{letters[n]}{row}{number_open[n]}{written}</v></c>')
        return "".join(out)

    head = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_MAIN}>']
    if freeze_header:
        head.append('<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                    'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>')
    if widths and any(widths):
        head.append("<cols>" + "".join(f'<col min="{n + 1}" max="{n + 1}" width="{width}" customWidth="1"/>'
                                       for n, width in enumerate(widths) if width) + "</cols>")
    head.append(f'<sheetData><row r="1">{cells(list(headers), 1, header_style)}</row>')

    sheet_name = _escape(clean_text(title)[:31].translate(str.maketrans("[]:*?/\\", "（）：＊？／＼")) or "Sheet1")
    workbook = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_MAIN} '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                f'<sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>')
    count = 0
    buffer = BytesIO()  # the zip in memory, written in one go: a full disk is one OSError, not half a file
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, part in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _ROOT_RELS),
                           ("docProps/core.xml", _CORE), ("docProps/app.xml", _APP), ("xl/workbook.xml", workbook),
                           ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS), ("xl/styles.xml", styles_xml)):
            archive.writestr(name, part)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            batch = head
            for count, values in enumerate(rows, start=1):  # rows streamed: memory is one batch, not the sheet
                batch.append(f'<row r="{count + 1}">{cells(values, count + 1)}</row>')
                if len(batch) >= 2_000:
                    sheet.write("".join(batch).encode("utf-8", "replace"))
                    batch = []
            batch.append("</sheetData></worksheet>")
            sheet.write("".join(batch).encode("utf-8", "replace"))
    Path(path).write_bytes(buffer.getvalue())
    return count
