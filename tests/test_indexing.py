"""Indexing the knowledge folder: verbatim chunks, incremental runs, bad input, safe switching."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.ask.retrieval import Retriever
from bot.errors import KnowledgeDirError
from bot.index.chunking import WINDOW_CHARS
from bot.index.indexer import index_folder
from bot.index.loaders import load_document
from bot.index.store import open_store
from bot.sentences import sentence_spans
from tests.conftest import KNOWLEDGE, make_settings, run_guidebot


def _fold(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, folder)
    return folder


def test_every_format_is_indexed_with_verbatim_text_and_section_paths(sample_index, embedder):
    snapshot = open_store(sample_index).load()
    sources = {c.source for c in snapshot.chunks}
    suffixes = {Path(s).suffix for s in sources}
    assert {".md", ".html", ".pdf", ".docx"} <= suffixes
    assert {c.language for c in snapshot.chunks} == {"de", "en"}
    for chunk in snapshot.chunks:
        original = load_document(sample_index.knowledge_dir / chunk.source).text
        assert chunk.text in original, f"chunk of {chunk.source} is not verbatim"
        if chunk.source.endswith(".md"):
            raw = (sample_index.knowledge_dir / chunk.source).read_text(encoding="utf-8")
            assert chunk.text in raw  # Markdown chunks are slices of the file itself
    german = [c for c in snapshot.chunks if c.source == "de/social-media-leitlinien.md"]
    assert all(c.language == "de" for c in german)
    assert any(c.section.count(" > ") >= 2 for c in german)  # "Title > Section > Subsection"
    assert len(snapshot.vectors) == len(snapshot.chunks)
    assert np.allclose(np.linalg.norm(snapshot.vectors, axis=1), 1.0, atol=1e-3)


def test_rerun_embeds_nothing_and_a_change_embeds_only_that_file(tmp_path, knowledge, embedder):
    settings = make_settings(tmp_path, knowledge)
    store = open_store(settings)
    first = index_folder(settings, store, embedder)
    assert first.embedded_chunks == first.total_chunks > 20

    again = index_folder(settings, store, embedder)
    assert (again.embedded_chunks, again.changed) == (0, False)
    assert again.total_chunks == first.total_chunks

    policy = knowledge / "en" / "employee-social-media-policy.md"
    policy.write_text(
        policy.read_text(encoding="utf-8") + "\n\n## Livestreams\n\nAsk #comms before you "
        "livestream from any office.\n",
        encoding="utf-8",
    )
    changed = index_folder(settings, store, embedder)
    per_file = {f.source: f for f in changed.files}
    assert per_file["en/employee-social-media-policy.md"].status == "indexed"
    assert changed.embedded_chunks == per_file["en/employee-social-media-policy.md"].chunks
    assert per_file["de/social-media-leitlinien.md"].status == "unchanged"
    assert any("livestream" in c.text for c in store.load().chunks)

    (knowledge / "en" / "company-accounts-playbook.html").unlink()
    removed = index_folder(settings, store, embedder)
    assert removed.embedded_chunks == 0
    assert "en/company-accounts-playbook.html" not in {c.source for c in store.load().chunks}


def test_each_chunk_is_also_stored_as_windows_of_whole_sentences(sample_index, embedder):
    snapshot = open_store(sample_index).load()
    chunks = {c.id: c for c in snapshot.chunks}
    assert {w.chunk_id for w in snapshot.windows} == set(chunks)  # every chunk has windows
    assert len(snapshot.windows) > len(chunks)  # long chunks have several
    for window in snapshot.windows:
        text = chunks[window.chunk_id].text
        starts = {s for s, _ in sentence_spans(text, min_chars=1)}
        ends = {e for _, e in sentence_spans(text, min_chars=1)}
        assert window.start in starts and window.end in ends  # never cuts a sentence
        single_sentence = (window.start, window.end) in sentence_spans(text, min_chars=1)
        assert window.end - window.start <= WINDOW_CHARS or single_sentence
    assert snapshot.window_vectors.shape == (len(snapshot.windows), snapshot.vectors.shape[1])


def test_a_hard_wrapped_sentence_is_one_sentence_but_lines_of_a_list_or_faq_are_not():
    text = (
        "Posts about patients need the written consent of the patient\n"
        "and of the ward manager, even when no name is shown.\n"
        "- Never post rosters\n"
        "- never post door codes\n"
        "**Can I post a photo of the ward?**\n"
        "Yes, if nobody can be recognised."
    )
    pieces = [" ".join(text[s:e].split()) for s, e in sentence_spans(text)]
    assert pieces == [
        "Posts about patients need the written consent of the patient and of the ward manager,"
        " even when no name is shown.",
        "Never post rosters",
        "never post door codes",
        "**Can I post a photo of the ward?**",
        "Yes, if nobody can be recognised.",
    ]


def test_an_incremental_run_ranks_exactly_like_a_full_rebuild(tmp_path, knowledge, embedder):
    settings = make_settings(tmp_path / "incremental", knowledge)
    index_folder(settings, open_store(settings), embedder)
    policy = knowledge / "en" / "employee-social-media-policy.md"
    policy.write_text(policy.read_text(encoding="utf-8") + "\n\nNo selfies.\n", encoding="utf-8")
    index_folder(settings, open_store(settings), embedder)  # re-embeds only the policy
    fresh = make_settings(tmp_path / "fresh", knowledge)
    index_folder(fresh, open_store(fresh), embedder)

    incremental = Retriever(open_store(settings).load(), embedder)
    rebuilt = Retriever(open_store(fresh).load(), embedder)
    assert len(incremental.snapshot.windows) == len(rebuilt.snapshot.windows)
    for question in ["Darf ich Fotos vom Prototyp posten?", "who approves company posts?"]:
        ours = incremental.hits(question)
        theirs = rebuilt.hits(question)
        assert [h.chunk.id for h in ours] == [h.chunk.id for h in theirs]
        assert [h.score for h in ours] == pytest.approx([h.score for h in theirs], abs=1e-5)


def test_changing_the_chunk_size_rebuilds_everything(tmp_path, knowledge, embedder):
    settings = make_settings(tmp_path, knowledge)
    index_folder(settings, open_store(settings), embedder)
    smaller = make_settings(tmp_path, knowledge, GUIDEBOT_CHUNK_CHARS="600")
    report = index_folder(smaller, open_store(smaller), embedder)
    assert report.rebuilt and report.embedded_chunks == report.total_chunks


def test_bad_files_are_reported_and_skipped_while_the_rest_indexes(tmp_path, knowledge, embedder):
    (knowledge / "broken.pdf").write_bytes(b"%PDF-1.4\n this is not really a pdf")
    (knowledge / "empty.md").write_text("")
    (knowledge / "binary.md").write_bytes(bytes(range(256)) * 40)
    with (knowledge / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    (knowledge / "notes.xyz").write_text("unknown format")
    (knowledge / ".hidden.md").write_text("# Hidden\n\nnot a guideline")
    (knowledge / "~$draft.docx").write_bytes(b"lock file")
    outside = tmp_path / "outside.md"
    outside.write_text("# Outside\n\nThis file lives outside the knowledge folder.")
    (knowledge / "link.md").symlink_to(outside)

    settings = make_settings(tmp_path, knowledge)
    report = index_folder(settings, open_store(settings), embedder)
    failed = {f.source: f.reason for f in report.files if f.status == "failed"}
    assert set(failed) == {"broken.pdf", "empty.md", "binary.md", "huge.txt"}
    assert "PDF" in failed["broken.pdf"] and "empty" in failed["empty.md"]
    assert "binary" in failed["binary.md"] and "MB" in failed["huge.txt"]
    assert [f.source for f in report.files if f.status == "skipped"] == ["notes.xyz"]
    indexed = {c.source for c in open_store(settings).load().chunks}
    assert "de/social-media-leitlinien.md" in indexed
    assert not indexed & {".hidden.md", "~$draft.docx", "link.md"}
    assert report.has_warnings

    rerun = index_folder(settings, open_store(settings), embedder)
    assert rerun.embedded_chunks == 0 and rerun.has_warnings  # still reported, not re-read


def test_missing_knowledge_folder_is_a_clear_error(tmp_path, embedder):
    settings = make_settings(tmp_path, tmp_path / "nope")
    with pytest.raises(KnowledgeDirError, match="does not exist"):
        index_folder(settings, open_store(settings), embedder)


class FailingEmbedder:
    """A real embedder that breaks after its first batch, like a crash mid-run."""

    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner, self.name, self.calls = inner, inner.name, 0

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        if self.calls > 1:
            raise RuntimeError("power cut")
        return self.inner.embed(texts)


def test_a_failed_run_leaves_the_previous_index_in_force(tmp_path, knowledge, embedder):
    settings = make_settings(tmp_path, knowledge)
    store = open_store(settings)
    index_folder(settings, store, embedder)
    before = store.load()
    for path in knowledge.rglob("*.md"):
        path.write_text(path.read_text(encoding="utf-8") + "\n\nAppendix.\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="power cut"):
        index_folder(settings, store, FailingEmbedder(embedder), rebuild=True)
    after = store.load()
    assert after.manifest.generation == before.manifest.generation
    assert [c.id for c in after.chunks] == [c.id for c in before.chunks]


def test_cli_reports_warnings_with_exit_code_3_and_json_summary(tmp_path, knowledge):
    (knowledge / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    run = run_guidebot(
        "index",
        "--json",
        "--knowledge",
        str(knowledge),
        "--store",
        str(tmp_path / "s"),
        work=tmp_path,
    )
    assert run.returncode == 3, run.stderr
    summary = json.loads(run.stdout)
    assert summary["warnings"] == 1 and summary["embedded_chunks"] > 20
    missing = run_guidebot("index", "--knowledge", str(tmp_path / "none"), work=tmp_path)
    assert missing.returncode == 1 and "does not exist" in missing.stderr
    assert "Traceback" not in missing.stderr
    no_index = run_guidebot(
        "ask", "May I post photos?", "--store", str(tmp_path / "empty"),
        "--knowledge", "knowledge-missing", work=tmp_path,
    )  # fmt: skip
    assert no_index.returncode == 1 and "no guideline index" in no_index.stderr
    assert "Knowledge folder knowledge-missing does not exist" in no_index.stderr
