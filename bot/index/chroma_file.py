"""Reading guidebot's records straight from a local Chroma store's SQLite file.

A process that only reads the index (`guidebot ask`, a serving replica at start) would import
chromadb and list every record collection through it: ~1.5 s at 10,000 chunks, where the same
metadata read with sqlite3 takes ~0.1 s. Records are collection metadata (bot/index/store.py),
which Chroma keeps in its `collections` and `collection_metadata` tables; this module reads
those read-only and returns None whenever the file is missing, locked, damaged or laid out
differently, so the caller reads through chromadb instead (which also reports the damage).
Nothing here writes; every write goes through chromadb.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Collection
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
_BATCH = 500  # names per query, well below SQLite's limit on bound parameters
_QUERY = """
SELECT c.name, m.key, m.str_value, m.int_value, m.float_value, m.bool_value
FROM collections c
JOIN databases d ON d.id = c.database_id
LEFT JOIN collection_metadata m ON m.collection_id = c.id
WHERE d.name = 'default_database' AND d.tenant_id = 'default_tenant' AND c.name IN ({})
"""


def read_metadata(store_file: Path, names: Collection[str]) -> dict[str, dict[str, Any]] | None:
    """The metadata of each named collection that exists (as chromadb would return it), or
    None when the file cannot be read this way."""
    if not store_file.is_file():
        return None
    wanted = sorted(set(names))
    found: dict[str, dict[str, Any]] = {}
    try:
        uri = f"{store_file.resolve().as_uri()}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=5)) as db:
            db.execute("BEGIN")  # one read transaction: every batch sees the same state
            for i in range(0, len(wanted), _BATCH):
                batch = wanted[i : i + _BATCH]
                query = _QUERY.format(",".join("?" * len(batch)))
                for name, key, *values in db.execute(query, batch):
                    metadata = found.setdefault(name, {})
                    if key is not None:
                        metadata[key] = _value(values)
    except (sqlite3.Error, ValueError, OSError) as error:
        log.debug("reading %s directly failed (%s); using chromadb", store_file, error)
        return None
    return found


def _value(columns: list[Any]) -> Any:
    """The one typed value of a metadata row (Chroma fills one column per type)."""
    text, integer, real, boolean = columns
    present = [v for v in (text, integer, real, boolean) if v is not None]
    if len(present) != 1:
        raise ValueError(f"a metadata row with {len(present)} values")
    if boolean is not None:
        return bool(boolean)
    return present[0]
