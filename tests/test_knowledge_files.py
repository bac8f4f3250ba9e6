"""Knowledge folders as they are found in the wild: bombs, loops, odd names and encodings,
damaged updates, and files far too long. Real files on disk; each is reported and the rest is
indexed.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from bot.index.indexer import index_folder
from bot.index.loaders import MAX_TEXT_CHARS, LoadError, load_document
from bot.index.scan import scan_knowledge
from bot.index.store import open_store
from tests.conftest import KNOWLEDGE, make_settings

POLICY = KNOWLEDGE / "en/employee-social-media-policy.md"
DOCX = KNOWLEDGE / "en/advertising-and-influencer-disclosure.docx"
PDF = KNOWLEDGE / "de/presseanfragen-und-krisen.pdf"


def _reasons(files: list) -> dict[str, str]:  # type: ignore[type-arg]
    return {f.source: f.reason for f in files if f.status in {"skipped", "failed"}}


def test_a_docx_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(DOCX) as original, zipfile.ZipFile(bomb, "w") as packed:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "word/document.xml":  # the same document, padded with spaces
                data = data.replace(b"<w:body>", b"<w:body>" + b" " * 40_000_000, 1)
            packed.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    assert bomb.stat().st_size < 200_000
    started = time.monotonic()
    with pytest.raises(LoadError, match=r"would unpack to 4\d MB \(limit 100 MB, 30 MB of XML\)"):
        load_document(bomb)
    assert time.monotonic() - started < 1.0


def test_loops_bad_names_and_dangling_links_are_reported_and_the_rest_indexed(
    tmp_path: Path, embedder
) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "knowledge"
    (root / "en").mkdir(parents=True)
    shutil.copy(POLICY, root / "en/policy.md")
    os.symlink("..", root / "en/again")  # a folder loop
    os.symlink("loop.md", root / "loop.md")  # a link to itself
    os.symlink("gone.md", root / "dangling.md")
    (root / os.fsdecode(b"caf\xe9.md")).write_text("# Latin-1 name\n\nSome text.\n")
    found, skipped = scan_knowledge(root)
    assert [source for source, _ in found] == ["en/policy.md"]  # once, not once per loop
    reasons = _reasons(skipped)
    assert "link loop" in reasons["loop.md"] and "broken link" in reasons["dangling.md"]
    assert "not valid UTF-8" in reasons["caf\ufffd.md"]
    settings = make_settings(tmp_path, root)
    report = index_folder(settings, open_store(settings), embedder)
    assert report.total_chunks > 5 and {
        f.source for f in report.files if f.status == "indexed"
    } == {"en/policy.md"}


def test_utf16_text_and_an_empty_password_pdf_are_read(tmp_path: Path) -> None:
    text = "Richtlinie\n\nBitte keine Fotos vom Prototyp posten. Größe zählt nicht.\n"
    for encoding in ("utf-16", "utf-16-le"):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(text.encode(encoding))
        assert load_document(path).text == text
    writer = PdfWriter(clone_from=PdfReader(PDF))
    writer.encrypt(user_password="", owner_password="owner-only", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    assert PdfReader(locked).is_encrypted
    assert "Presse" in load_document(locked).text
    writer = PdfWriter(clone_from=PdfReader(PDF))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    (tmp_path / "secret.pdf").write_bytes(buffer.getvalue())
    with pytest.raises(LoadError, match="needs a password"):
        load_document(tmp_path / "secret.pdf")


def test_a_document_whose_update_is_unreadable_keeps_its_last_good_version(
    tmp_path: Path, embedder
) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "knowledge"
    root.mkdir()
    shutil.copy(POLICY, root / "policy.md")
    shutil.copy(DOCX, root / "disclosure.docx")
    settings = make_settings(tmp_path, root)
    store = open_store(settings)
    index_folder(settings, store, embedder)
    before = [c.text for c in store.load().chunks if c.source == "disclosure.docx"]
    data = DOCX.read_bytes()
    (root / "disclosure.docx").write_bytes(data[: len(data) // 2])  # a truncated upload
    for _ in range(2):  # and it stays so on the next run, which skips the known-bad file
        report = index_folder(settings, store, embedder)
        assert "last good version stays" in _reasons(report.files)["disclosure.docx"]
        after = [c.text for c in store.load().chunks if c.source == "disclosure.docx"]
        assert after == before


def test_a_huge_single_line_file_is_refused_quickly_with_its_limit(tmp_path: Path) -> None:
    huge = tmp_path / "one-line.md"
    huge.write_text("# Rules\n\n" + "Post nothing secret, ever. " * 600_000 + "\n")  # ~16 MB
    started = time.monotonic()
    with pytest.raises(LoadError, match=f"{MAX_TEXT_CHARS:,} limit"):
        load_document(huge)
    assert time.monotonic() - started < 5.0


def test_re_indexing_leaves_no_old_segment_folders_and_status_shows_the_size(
    tmp_path: Path, embedder, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    from bot.cli import main

    root = tmp_path / "knowledge"
    root.mkdir()
    settings = make_settings(tmp_path, root)
    store = open_store(settings)
    for run in range(4):
        (root / "rules.md").write_text(f"# Rules\n\nVersion {run}: never post secrets.\n")
        index_folder(settings, store, embedder)
    segments = [p for p in (tmp_path / "store/chroma").iterdir() if p.is_dir()]
    assert len(segments) <= 2  # the active generation and the one before it
    monkeypatch.setenv("GUIDEBOT_DATABASE_URL", settings.database_url)
    assert main(["status", "--knowledge", str(root), "--store", str(tmp_path / "store")]) == 0
    assert re.search(r"\d+\.\d MB on disk", capsys.readouterr().out)
