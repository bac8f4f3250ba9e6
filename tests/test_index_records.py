"""What an index generation stores so questions and reviews never embed guideline text, and how
a re-index touches only the records of changed files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from bot.ask.lexical import LexicalIndex, analyse
from bot.ask.retrieval import Retriever
from bot.index.indexer import index_folder
from bot.index.modality import modality_of
from bot.index.store import RECORD_PREFIX, open_store
from bot.sentences import sentence_spans
from tests.conftest import KNOWLEDGE, make_settings


def _records(store: Any) -> set[str]:
    names = [getattr(c, "name", c) for c in store._client.list_collections()]
    return {n.removeprefix(RECORD_PREFIX) for n in names if n.startswith(RECORD_PREFIX)}


def test_every_guideline_sentence_is_stored_with_its_modality_and_vector(sample_index, embedder):
    snapshot = open_store(sample_index).load()
    assert len(snapshot.sentences) == len(snapshot.sentence_vectors) > len(snapshot.chunks)
    for chunk in snapshot.chunks:
        rows = snapshot.sentences_of(chunk.id)
        spans = [(snapshot.sentences[i].start, snapshot.sentences[i].end) for i in rows]
        assert spans == sentence_spans(chunk.text)
        for i in rows:
            text = chunk.text[snapshot.sentences[i].start : snapshot.sentences[i].end]
            assert snapshot.sentences[i].chunk_id == chunk.id
            assert snapshot.sentences[i].modality == modality_of(text)
            assert int(snapshot.sentence_chunk[i]) == snapshot.position[chunk.id]
    sample = list(range(0, len(snapshot.sentences), 17))
    texts = [
        snapshot.chunks[snapshot.sentence_chunk[i]].text[
            snapshot.sentences[i].start : snapshot.sentences[i].end
        ][:400]
        for i in sample
    ]
    fresh = embedder.embed(texts)
    assert np.abs((fresh * snapshot.sentence_vectors[sample]).sum(axis=1) - 1).max() < 1e-3
    assert {s.modality for s in snapshot.sentences} >= {"prohibited", "required", "conditional"}


def test_sparse_bm25_scores_exactly_as_rank_bm25(sample_index):
    snapshot = open_store(sample_index).load()
    index = Retriever(snapshot, embedder=None).lexical  # type: ignore[arg-type]
    corpus = [analyse(c.indexed_text, c.language, index.splitter) for c in snapshot.chunks]
    reference = BM25Okapi([terms or ["\x00"] for terms in corpus])
    for question, language in [
        ("Darf ich Kundendaten in sozialen Netzwerken teilen?", "de"),
        ("may I post photos of the new prototype on linkedin", "en"),
        ("Pressestelle Anfrage Krise Journalisten", "de"),
    ]:
        terms = index.query_terms(question, language)
        assert np.allclose(index.scores(terms), reference.get_scores(terms), atol=1e-9)
        assert index.idf_weights(terms) == pytest.approx(
            [max(reference.idf.get(t, max(reference.idf.values())), 0.05) for t in terms]
        )
    same = LexicalIndex(
        [c.indexed_text for c in snapshot.chunks], [c.language for c in snapshot.chunks]
    )
    assert np.allclose(same.scores(terms), index.scores(terms))  # from texts or stored terms


def test_a_reindex_writes_only_changed_files_and_frees_what_no_generation_needs(
    tmp_path: Path, embedder: Any
) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    settings = make_settings(tmp_path, knowledge)
    store = open_store(settings)
    index_folder(settings, store, embedder)
    first = store.manifest()
    assert first is not None and _records(store) == set(first.docs.values())

    policy = "en/employee-social-media-policy.md"
    for i in range(3):
        with (knowledge / policy).open("a", encoding="utf-8") as handle:
            handle.write(f"\n\n## Update {i}\n\nDrone footage needs approval {i}.\n")
        index_folder(settings, store, embedder)
    active = store.manifest()
    assert active is not None
    changed = {s for s in active.docs if active.docs[s] != first.docs[s]}
    assert changed == {policy}  # every other document kept its record, untouched
    state = store._meta().metadata
    previous = json.loads(state["previous"])
    assert _records(store) == set(active.docs.values()) | set(previous["docs"].values())
    assert len(_records(store)) == len(active.docs) + 1  # the previous version of one file
    assert "Drone footage needs approval 2." in " ".join(c.text for c in store.load().chunks)
