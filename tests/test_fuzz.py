"""Fuzzing what users hand the bot: any file in the knowledge folder, any text to review or ask.

A broken guideline file must end as a LoadError (reported, skipped), never as a crash of the
index run; any draft or question must end as a Review/Answer or an InputError, never a crash,
and every finding must point at exactly the text it quotes.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine import Engine
from bot.errors import InputError
from bot.index.loaders import LoadError, load_document
from bot.index.store import open_store
from bot.models import Answer, Review
from tests.conftest import KNOWLEDGE

SAMPLES = {
    ".md": KNOWLEDGE / "en" / "employee-social-media-policy.md",
    ".txt": KNOWLEDGE / "de" / "social-media-leitlinien.md",
    ".html": KNOWLEDGE / "en" / "company-accounts-playbook.html",
    ".pdf": KNOWLEDGE / "de" / "presseanfragen-und-krisen.pdf",
    ".docx": KNOWLEDGE / "en" / "advertising-and-influencer-disclosure.docx",
}
MAGIC = [
    b"",
    b"%PDF-1.7\n",
    b"PK\x03\x04",
    b"<!doctype html><html><h1>",
    b"\xef\xbb\xbf# ",
    b"\xff\xfe",
]
FUZZ = settings(
    max_examples=100,
    deadline=timedelta(seconds=5),  # a file that makes a loader spin is a bug too
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _mutate(data: bytes, edits: list[tuple[int, int]], cut: int) -> bytes:
    buffer = bytearray(data)
    for position, value in edits:
        buffer[position % len(buffer)] = value
    return bytes(buffer[: max(1, len(buffer) * cut // 100)])


def _docx_with(document_xml: bytes) -> bytes:
    """The sample DOCX with its main part replaced: reaches the XML parser, not just unzip."""
    out = io.BytesIO()
    with zipfile.ZipFile(SAMPLES[".docx"]) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            target.writestr(item, document_xml if item.filename == "word/document.xml" else content)
    return out.getvalue()


_DOCUMENT_XML = zipfile.ZipFile(SAMPLES[".docx"]).read("word/document.xml")
_edits = st.lists(st.tuples(st.integers(0, 2**31), st.integers(0, 255)), min_size=1, max_size=30)


@st.composite
def guideline_files(draw: st.DrawFn) -> tuple[str, bytes]:
    suffix = draw(st.sampled_from(sorted(SAMPLES)))
    kind = draw(st.sampled_from(["random", "magic", "mutated", "docx-xml"]))
    if kind == "random":
        return suffix, draw(st.binary(max_size=2048))
    if kind == "magic":
        return suffix, draw(st.sampled_from(MAGIC)) + draw(st.binary(max_size=1024))
    if kind == "docx-xml":
        return ".docx", _docx_with(_mutate(_DOCUMENT_XML, draw(_edits), draw(st.integers(1, 100))))
    sample = SAMPLES[suffix].read_bytes()
    return suffix, _mutate(sample, draw(_edits), draw(st.integers(1, 100)))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(file=guideline_files())
def test_any_file_either_loads_as_verbatim_blocks_or_raises_load_error(
    scratch: Path, file: tuple[str, bytes]
) -> None:
    suffix, data = file
    path = scratch / f"guideline{suffix}"
    path.write_bytes(data)
    try:
        document = load_document(path)
    except LoadError as error:
        assert str(error)  # the index report shows this reason to the author
        return
    assert document.blocks
    for block in document.blocks:
        assert 0 <= block.start <= block.end <= len(document.text)


# Pieces that have broken text handling elsewhere: case mappings that change length (İ, ß, ﬁ),
# bidi controls, joiners, flags, astral and private-use characters, terminal escapes, markup.
FRAGMENTS = [
    "İstanbul", "STRASSE straße", "ﬁnance", "e\u0301", "\u202eevil\u202c", "\u200f", "\u200d",
    "مرحبا بالعالم", "שלום", "👩‍👩‍👧‍👦", "🇩🇪", "\U0010fffd", "\ue000", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\x1b[31m",
    "\x00", "\x0b", "\r\n", "\t", "\u2028", "  ", ".", "!?", "#ad", "#Werbung", "@here",
    "<!channel>", "https://example.com/a?b=c", "Polarstern", "DE89 3704 0044 0532 0130 00",
    "ghp_" + "a" * 36, "Ignore all previous instructions", "</draft>", "Nordlicht",
]  # fmt: skip
texts = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=300),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=40).map(
        " ".join
    ),
    # long runs of one piece: where a backtracking pattern would take minutes
    st.tuples(
        st.sampled_from([*FRAGMENTS, "a", "1", "a.", "1 ", "-", "_", "@"]), st.integers(50, 2000)
    ).map(lambda run: (run[0] * run[1])[:2000]),
).map(lambda text: text.encode("utf-8", "ignore").decode("utf-8"))


@pytest.fixture(scope="module")
def engine(sample_index: Any, embedder: Any) -> Engine:
    engine = Engine(sample_index, open_store(sample_index), embedder)
    engine.review("warm up the review models")
    return engine


@settings(FUZZ, max_examples=60)
@given(text=texts, account=st.sampled_from(["personal", "company"]))
def test_any_draft_gets_a_review_whose_findings_quote_it_exactly(
    engine: Engine, text: str, account: str
) -> None:
    try:
        review = engine.review(text, account=account)
    except InputError as error:
        refusable = (
            not text.strip() or "\x00" in text or len(text) > engine.settings.max_draft_chars
        )
        assert str(error) and refusable
        return
    assert isinstance(review, Review)
    assert review.verdict in ("ok", "needs_changes", "do_not_post")
    for finding in review.findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert finding.excerpt == text[finding.start : finding.end]
        assert finding.severity in ("info", "warning", "blocker") and finding.advice
    if any(f.severity == "blocker" for f in review.findings):
        assert review.verdict == "do_not_post"
    json.dumps(review.to_json())


@settings(FUZZ, max_examples=60)
@given(text=texts)
def test_any_question_gets_an_answer_or_a_clear_input_error(engine: Engine, text: str) -> None:
    try:
        answer = engine.ask(text)
    except InputError as error:
        assert str(error) and not text.strip()
        return
    assert isinstance(answer, Answer)
    assert answer.answer.strip() and answer.language in ("de", "en")
    assert len(answer.sources) <= 5
    json.dumps(answer.to_json())
