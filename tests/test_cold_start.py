"""What a fresh process reads instead of recomputing: organisation names stored with each
document record, caches of the tokenizer and of the vectors of shipped texts, and records read
from the store's file without chromadb. Each must give exactly what the slow way gives, and an
old store, a broken cache or an unexpected file must still work."""

from __future__ import annotations

import logging
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.disk_cache import fixed_vectors
from bot.embeddings import UseEmbedder
from bot.engine import Engine
from bot.index.chroma_file import read_metadata
from bot.index.indexer import index_folder
from bot.index.store import RECORD_PREFIX, open_store
from bot.orgnames import document_names
from bot.service import Guidebot
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


TEXTS = ["Darf ich Kundennamen posten?", "May I share a photo of the ﬁrst prototype?  ①"]


def test_the_cached_tokenizer_and_vectors_are_exactly_what_a_fresh_start_computes(
    tmp_path: Path, embedder: Any
) -> None:
    expected = embedder.embed(TEXTS)  # the session's embedder: no cache, parses the tokenizer
    first = UseEmbedder(cache_dir=tmp_path)
    assert np.array_equal(first.embed(TEXTS), expected)
    assert np.array_equal(fixed_vectors(first, TEXTS), expected)
    assert len(list((tmp_path / "tokenizer").iterdir())) == 1
    assert len(list((tmp_path / "vectors").iterdir())) == 1

    second = UseEmbedder(cache_dir=tmp_path)  # a new process: both read from the cache
    assert np.array_equal(fixed_vectors(second, TEXTS), expected)
    assert np.array_equal(second.embed(TEXTS[::-1]), embedder.embed(TEXTS[::-1]))
    assert np.array_equal(fixed_vectors(second, TEXTS[:1]), embedder.embed(TEXTS[:1]))


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05K\x01."])  # last: an int
def test_a_damaged_cache_file_is_rebuilt_and_changes_nothing(
    tmp_path: Path, embedder: Any, damage: bytes
) -> None:
    expected = embedder.embed(TEXTS)
    fixed_vectors(UseEmbedder(cache_dir=tmp_path), TEXTS)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) == 2
    for path in files:
        path.write_bytes(damage)
    again = UseEmbedder(cache_dir=tmp_path)
    assert np.array_equal(fixed_vectors(again, TEXTS), expected)
    assert np.array_equal(again.embed(TEXTS), expected)
    assert all(path.stat().st_size > 1000 for path in files)  # written anew, whole


def test_an_unwritable_cache_folder_only_costs_time(tmp_path: Path, embedder: Any) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be")
    model = UseEmbedder(cache_dir=blocked)
    assert np.array_equal(fixed_vectors(model, TEXTS), embedder.embed(TEXTS))


def test_records_read_from_the_store_file_are_what_chromadb_returns(sample_index: Any) -> None:
    client = open_store(sample_index)._client
    expected = {c.name: dict(c.metadata or {}) for c in client.list_collections()}
    path = sample_index.store_dir / "chroma" / "chroma.sqlite3"
    assert read_metadata(path, [*expected, "guidebot_doc_gone"]) == expected
    assert {type(v) for meta in expected.values() for v in meta.values()} >= {str, int, float}


def test_a_store_file_chromadb_laid_out_differently_is_read_through_chromadb(
    tmp_path: Path,
) -> None:
    other = tmp_path / "chroma.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE collections (id TEXT, name TEXT)")
    assert read_metadata(other, ["guidebot_meta"]) is None
    assert read_metadata(tmp_path / "missing.sqlite3", ["guidebot_meta"]) is None
    other.write_bytes(b"not a database" * 100)
    assert read_metadata(other, ["guidebot_meta"]) is None


def test_reviews_racing_the_reviewer_build_get_the_same_review(
    sample_index: Any, embedder: Any
) -> None:
    engine = Engine(sample_index, open_store(sample_index), embedder)
    engine.ask(QUESTION)  # a question opens the index without building the reviewer
    assert not engine.toolkit.has_reviewer
    with ThreadPoolExecutor(4) as pool:
        reviews = list(pool.map(lambda _: engine.review(DRAFT).to_json(), range(4)))
    assert all(review == reviews[0] for review in reviews)
    assert reviews[0]["verdict"] != "ok"
    engine.reload()  # a process that reviews gets the next snapshot's reviewer ready
    assert engine.toolkit.has_reviewer


def test_a_review_that_arrives_while_serve_still_warms_up_gets_the_same_review(
    sample_index: Any, embedder: Any
) -> None:
    expected = Engine(sample_index, open_store(sample_index), embedder).review(DRAFT).to_json()
    engine = Engine(sample_index, open_store(sample_index), embedder)
    service = Guidebot(engine, sample_index)
    try:
        service.warm_up()  # what runs before serve says "ready": no reviewer yet
        assert not engine.toolkit.has_reviewer
        warming = threading.Thread(target=service.warm_up_review)
        warming.start()
        assert engine.review(DRAFT).to_json() == expected
        warming.join()
    finally:
        service.close()
