"""`guidebot audit export|purge`: the audit trail for the comms and legal teams.

Export is for spreadsheets (CSV) and for archives and scripts (JSONL, exact values). CSV cells
that start with = + - @ get a leading apostrophe, because archived drafts are user-written and
a spreadsheet would otherwise run them as formulas; use JSONL when the exact text matters.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot.config import Settings

if TYPE_CHECKING:  # imported by the handler when the command runs
    from bot.ops.audit import AuditLog
    from bot.ops.audit_schema import AuditRecord

EXPORT_FIELDS = (
    "id",
    "created_at",
    "user",
    "team",
    "kind",
    "answered",
    "verdict",
    "categories",
    "doc_hashes",
    "sources",
    "mode",
    "language",
    "account",
    "platform",
    "latency_ms",
    "text_length",
    "text_hash",
    "text",
    "error",
    "feedback",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "audit", help="export or purge the audit trail (who asked or reviewed what, and when)"
    )
    commands = parser.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    export = commands.add_parser("export", help="write audit records since a date as CSV or JSONL")
    export.add_argument(
        "--since", required=True, type=parse_date, metavar="YYYY-MM-DD", help="first day (UTC)"
    )
    export.add_argument("--format", choices=("csv", "jsonl"), default="csv", help="default: csv")
    export.add_argument("--output", type=Path, metavar="FILE", help="default: standard output")
    export.set_defaults(handler=run_export, needs_engine=False)
    purge = commands.add_parser(
        "purge",
        help="apply GUIDEBOT_RETENTION_DAYS: drop older texts, notes and knowledge gaps",
    )
    purge.add_argument(
        "--all",
        action="store_true",
        help="also delete whole records older than the retention period (statistics lose them)",
    )
    purge.set_defaults(handler=run_purge, needs_engine=False)


def parse_date(value: str) -> datetime:
    """Midnight UTC of a YYYY-MM-DD date; argparse shows the message on a bad value."""
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        message = f"use YYYY-MM-DD, e.g. 2025-01-31 (got {value!r})"
        raise argparse.ArgumentTypeError(message) from None


def record_row(record: AuditRecord) -> dict[str, Any]:
    """One audit record as plain JSON-compatible data, feedback included."""
    row = {name: getattr(record, name) for name in EXPORT_FIELDS if name != "feedback"}
    row["created_at"] = record.created_at.isoformat()
    row["feedback"] = [
        {
            "value": f.value,
            "user": f.user,
            "at": f.created_at.isoformat(),
            "note": f.note,
            "source": f.source,
            "section": f.section,
        }
        for f in record.feedback
    ]
    return row


def csv_cell(name: str, value: Any) -> str:
    if name == "feedback":
        value = [f["value"] for f in value]
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = ";".join(value)
    elif isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


@contextmanager
def _opened(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    with path.open("w", encoding="utf-8", newline="") as handle:
        yield handle


def write_export(audit: AuditLog, since: datetime, fmt: str, out: TextIO) -> int:
    """Stream records since `since` to `out`; returns how many were written."""
    count = 0
    writer = csv.writer(out) if fmt == "csv" else None
    if writer:
        writer.writerow(EXPORT_FIELDS)
    for record in audit.records_since(since):
        row = record_row(record)
        if writer:
            writer.writerow([csv_cell(name, row[name]) for name in EXPORT_FIELDS])
        else:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.ops.audit import AuditLog  # sqlalchemy: only when an audit command runs

    audit = AuditLog(settings)
    try:
        with _opened(args.output) as out:
            count = write_export(audit, args.since, args.format, out)
    finally:
        audit.close()
    where = f" to {args.output}" if args.output else ""
    print(
        f"Exported {_n(count, 'audit record')} since {args.since:%Y-%m-%d}{where}.", file=sys.stderr
    )
    return 0


def run_purge(args: argparse.Namespace, settings: Settings) -> int:
    from bot.ops.audit import AuditLog  # sqlalchemy: only when an audit command runs

    audit = AuditLog(settings)
    try:
        report = audit.purge(all_records=args.all)
    finally:
        audit.close()
    print(
        f"Retention {settings.retention_days} days: cleared the text of "
        f"{_n(report.texts_cleared, 'record')} and the notes of "
        f"{_n(report.notes_cleared, 'feedback entry', 'feedback entries')}; deleted "
        f"{_n(report.records_deleted, 'record')} and {_n(report.gaps_deleted, 'knowledge gap')}."
    )
    return 0


def _n(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else plural or singular + 's'}"
