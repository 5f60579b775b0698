"""The customer roster as CSV: export that spreadsheets cannot run, all-or-nothing import.

Documented for users in docs/questionnaire.md#customers.

Pure Python, no Django. The header row holds field names of ``roster.FIELDS``; ``sign_in`` and
``email_domains`` are ``;``-separated in one cell; empty cells take the defaults. Export quotes
every cell and puts an apostrophe before a cell that would start with ``= + - @`` (or a tab or
carriage return), so a spreadsheet shows it as text instead of running it as a formula.
Import reads the whole file and returns either the rows or every problem, by line and field.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from planner import roster

if TYPE_CHECKING:
    from _csv import Reader

__all__ = ["MAX_BYTES", "export_csv", "parse_csv", "size_problem"]

# A full 500-row roster with long names and 50 email domains a row stays far below this.
MAX_BYTES = 1_000_000
# Leading characters a spreadsheet reads as the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_FIELDS = ("sign_in", "email_domains")


def _cell(value: object) -> str:
    if isinstance(value, list | tuple):
        text = ";".join(str(item) for item in value)
    else:
        text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_csv(rows: object) -> str:
    """Return the roster as CSV text: header, one line per row, every cell quoted and inert."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(roster.FIELDS)
    if isinstance(rows, list | tuple):
        for row in rows:
            if isinstance(row, Mapping):
                writer.writerow([_cell(row.get(field)) for field in roster.FIELDS])
    return out.getvalue()


def size_problem(size: int) -> str:
    """Return the message for a file over the size limit."""
    return (
        f"The file is {size / 1_000_000:.1f} MB; a roster file may be at most "
        f"{MAX_BYTES // 1_000_000} MB: check it is the right file, or import the customers "
        "that matter and list the others as archetype rows."
    )


def _decode(data: bytes) -> tuple[str, list[str]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start : error.start + 1].hex().upper()
        return "", [
            f"Line {line}: the file is not UTF-8 text (byte 0x{byte} cannot be read): save it "
            "from your spreadsheet as “CSV UTF-8” and import it again."
        ]


def _header_problems(header: Sequence[str]) -> list[str]:
    problems = []
    unknown = [name for name in header if name not in roster.FIELDS]
    if unknown:
        listed = ", ".join(f"“{name[:40]}”" for name in unknown[:5])
        problems.append(
            f"Line 1: unknown column{'s' if len(unknown) > 1 else ''} {listed}; the columns are "
            + ", ".join(roster.FIELDS)
            + " (export the roster to get a file with the right header)."
        )
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        problems.append(
            f"Line 1: the column “{repeated[0][:40]}” appears more than once: keep one."
        )
    if "name" not in header:
        problems.append(
            "Line 1: the header has no “name” column: the first line must name the columns."
        )
    return problems


def _formula_problem(line: int, field: str, text: str) -> str:
    if not text.lstrip(" ").startswith(FORMULA_STARTS) or field == "count" and _is_number(text):
        return ""
    start = text.lstrip(" ")[0]
    shown = {"\t": "a tab", "\r": "a line break"}.get(start, f"“{start}”")
    return (
        f"Line {line}, {roster.FIELD_LABELS[field]}: the cell starts with {shown}, which a "
        "spreadsheet runs as a formula: remove it, or start the cell with an apostrophe (') "
        "to keep it as text."
    )


def _is_number(text: str) -> bool:
    return text.strip().lstrip("+-").isdigit()


def _read_cell(line: int, field: str, text: str) -> tuple[object, str]:
    """Return (value, problem) for one cell; an apostrophe before a formula start is dropped."""
    if text.startswith("'") and text[1:].lstrip(" ").startswith(FORMULA_STARTS):
        text = text[1:]
    elif problem := _formula_problem(line, field, text):
        return None, problem
    if field in LIST_FIELDS:
        return [item.strip() for item in text.split(";") if item.strip()], ""
    return text, ""


Row = dict[str, object]


def _read_rows(reader: Reader, header: list[str]) -> tuple[list[Row], list[int], list[str]]:
    rows: list[Row] = []
    lines: list[int] = []
    problems: list[str] = []
    start = reader.line_num + 1
    for cells in reader:
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= roster.MAX_ROWS:
            problems.append(
                f"Line {line}: the file has more than {roster.MAX_ROWS} customers, at most "
                f"{roster.MAX_ROWS} are allowed: list the customers that matter by name and the "
                "others as archetype rows with a count (such as Small businesses, 260)."
            )
            break
        if len(cells) > len(header):
            problems.append(
                f"Line {line}: {len(cells)} cells, but the header names {len(header)} columns: "
                "remove the extra cells or add their column names to the first line."
            )
        row: dict[str, object] = {}
        for field, text in zip(header, cells, strict=False):
            value, problem = _read_cell(line, field, text)
            if problem:
                problems.append(problem)
            elif value not in (None, "", []):
                row[field] = value
        # Stored as the wizard stores a row: cleaned, and a row of only defaults is no row.
        normalized = roster.normalize_rows([row])
        if isinstance(normalized, list) and normalized and isinstance(normalized[0], dict):
            rows.append(normalized[0])
            lines.append(line)
    return rows, lines, problems


def parse_csv(data: bytes) -> tuple[list[Row], list[int], list[str]]:
    """Return (rows, the line of each row, problems) read from an uploaded CSV file.

    Problems cover the file itself (size, encoding, header, cell counts, formulas, row limit);
    the rows still have to pass the roster's own validation, which the caller maps to lines.
    """
    if len(data) > MAX_BYTES:
        return [], [], [size_problem(len(data))]
    text, problems = _decode(data)
    if problems:
        return [], [], problems
    if not text.strip():
        return [], [], ["The file is empty: it needs a header line and one line per customer."]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip().lower() for name in next(reader)]
        problems = _header_problems(header)
        if problems:
            return [], [], problems
        return _read_rows(reader, header)
    except csv.Error as error:
        return (
            [],
            [],
            [
                f"Line {reader.line_num}: the file is not valid CSV ({error}): check "
                "the quotes on that line."
            ],
        )
