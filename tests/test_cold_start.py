"""What a fresh process reads instead of recomputing: organisation names stored with each
document record, and caches of the tokenizer and of the vectors of shipped texts. Each must
give exactly what recomputing gives, and an old store or a broken cache must still work."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from bot.engine import Engine
from bot.index.indexer import index_folder
from bot.index.store import RECORD_PREFIX, open_store
from bot.orgnames import document_names
from tests.conftest import make_settings

QUESTION = "Darf ich Kundennamen posten?"
DRAFT = "Our pilot with Hafenwerk Logistik AG starts next week - Nordlicht rocks! 🚀"


def _forget_stored_names(store: Any) -> None:
    """Make every record look like one written before organisation names were stored."""
    client = store._client
    for collection in client.list_collections():
        name = getattr(collection, "name", collection)
        if not name.startswith(RECORD_PREFIX):
            continue
        metadata = dict(client.get_collection(name).metadata or {})
        metadata.pop("org_names")
        client.delete_collection(name)
        client.create_collection(name, metadata=metadata, embedding_function=store._embedding)


def _results(engine: Engine) -> tuple[Any, ...]:
    return (
        engine.ask(QUESTION).to_json(),
        engine.review(DRAFT).to_json(),
        engine.retriever.organisations,
    )


def test_an_index_from_before_stored_organisation_names_answers_and_reviews_alike(
    tmp_path: Path, embedder: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(tmp_path)
    index_folder(settings, open_store(settings), embedder)
    snapshot = open_store(settings).load()
    assert snapshot.org_names and all(v is not None for v in snapshot.org_names.values())
    assert document_names(snapshot.chunks) == document_names(snapshot.chunks, snapshot.org_names)
    fresh = _results(Engine(settings, open_store(settings), embedder))
    assert fresh[2], "the sample guidelines name their organisations"

    _forget_stored_names(open_store(settings))
    with caplog.at_level(logging.WARNING):
        old = _results(Engine(settings, open_store(settings), embedder))
    assert old == fresh
    assert "guidebot index --rebuild" in caplog.text
