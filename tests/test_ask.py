"""Asking the guidelines: cross-language retrieval, abstention, the JSON contract, LLM mode."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import BaseMessage
from pydantic import Field

from bot.engine import Engine, build_engine
from bot.loaders import load_document
from bot.models import Turn
from bot.store import open_store
from tests.conftest import run_guidebot


@pytest.fixture(scope="module")
def engine(sample_index) -> Engine:  # type: ignore[no-untyped-def]
    return build_engine(sample_index)


def test_a_german_question_finds_the_english_rule(engine):
    answer = engine.ask("Darf ich KI-generierte Bilder von Kunden auf LinkedIn posten?")
    assert answer.language == "de" and answer.answered
    assert any(
        s.source == "en/employee-social-media-policy.md" and "AI-generated" in s.text
        for s in answer.sources
    )
    assert answer.answer.startswith("Das sagen die Leitlinien dazu:")


def test_an_english_question_finds_the_german_rule(engine):
    answer = engine.ask("can i take a pic of the whiteboard in the meeting room for instagram?")
    assert answer.language == "en"
    assert any("Whiteboards" in s.text and s.source.startswith("de/") for s in answer.sources)


def test_an_uncovered_question_abstains_and_names_the_contact(engine):
    answer = engine.ask("Wie beantrage ich Elternzeit?")
    assert not answer.answered
    assert "#comms" in answer.answer and answer.language == "de"


def test_extractive_answer_quotes_guideline_sentences_verbatim(engine, sample_index):
    answer = engine.ask("How long are business posts archived?")
    assert answer.answered and answer.mode == "embedded"
    quoted = [line for line in answer.answer.splitlines() if line.startswith("> “")]
    assert quoted
    for line in quoted:
        sentence = line[3 : line.rindex("”")]
        number = int(line[line.rindex("[") + 1 : line.rindex("]")])
        source = answer.sources[number - 1]
        assert sentence in source.text
        original = load_document(sample_index.knowledge_dir / source.source).text
        assert sentence in original


def test_a_follow_up_uses_the_earlier_turns(engine):
    alone = engine.ask("und auf Instagram?")
    followed = engine.ask(
        "und auf Instagram?", history=[Turn("Darf ich Fotos vom Whiteboard auf LinkedIn posten?")]
    )
    assert any("Whiteboards" in s.text for s in followed.sources)
    assert not any("Whiteboards" in s.text for s in alone.sources[:1])


def _cli(*args: str, stdin: str | None = None, settings) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    paths = ["--knowledge", str(settings.knowledge_dir), "--store", str(settings.store_dir)]
    return run_guidebot(*args, *paths, work=settings.store_dir.parent, stdin=stdin)


def test_cli_json_contract(sample_index):
    run = _cli(
        "ask",
        "--json",
        "Darf ich Fotos vom neuen Prototyp auf LinkedIn posten?",
        settings=sample_index,
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert set(data) >= {"answer", "answered", "language", "mode", "sources"}
    assert isinstance(data["answer"], str) and isinstance(data["answered"], bool)
    assert data["language"] == "de" and data["mode"] == "embedded"
    assert 1 <= len(data["sources"]) <= 5
    scores = [s["score"] for s in data["sources"]]
    assert scores == sorted(scores, reverse=True)
    for source in data["sources"]:
        assert set(source) == {"source", "section", "text", "score"}
        original = load_document(sample_index.knowledge_dir / source["source"]).text
        assert source["text"] in original
    assert any("Prototyp" in s["text"] for s in data["sources"][:3])


def test_cli_jsonl_answers_each_line_in_order(sample_index):
    run = _cli(
        "ask",
        "--jsonl",
        stdin="Wer darf für Nordlicht sprechen?\nDo I need #ad for a gifted product?\n",
        settings=sample_index,
    )
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert [line["language"] for line in lines] == ["de", "en"]


class RecordingChatModel(FakeListChatModel):
    """LangChain's fake chat model that also keeps the messages it was sent."""

    received: list[list[BaseMessage]] = Field(default_factory=list)

    def _call(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> str:
        self.received.append(messages)
        return super()._call(messages, *args, **kwargs)


class BrokenChatModel(FakeListChatModel):
    def _call(self, *args: Any, **kwargs: Any) -> str:
        raise TimeoutError("provider timed out")


def _engine_with(settings, embedder, model) -> Engine:  # type: ignore[no-untyped-def]
    return Engine(settings, open_store(settings), embedder, chat_model=model)


def test_llm_sees_the_passages_and_the_language_and_bad_citations_are_dropped(
    sample_index, embedder
):
    model = RecordingChatModel(responses=["Nein, Prototypen sind vertraulich [1]. Siehe auch [9]."])
    answer = _engine_with(sample_index, embedder, model).ask(
        "Darf ich Fotos vom neuen Prototyp posten?"
    )
    system, user = (m.content for m in model.received[0])
    assert "German" in system
    assert "<question>\nDarf ich Fotos vom neuen Prototyp posten?\n</question>" in user
    assert answer.mode == "llm" and answer.answered
    assert "[9]" not in answer.answer and "[1]" in answer.answer
    assert len(answer.sources) == 1 and answer.sources[0].text in user


def test_llm_saying_not_covered_abstains(sample_index, embedder):
    model = RecordingChatModel(responses=["NOT_COVERED"])
    answer = _engine_with(sample_index, embedder, model).ask("Darf ich Fotos vom Prototyp posten?")
    assert not answer.answered and "#comms" in answer.answer


def test_a_failing_llm_falls_back_to_the_embedded_answer_and_says_so(sample_index, embedder):
    answer = _engine_with(sample_index, embedder, BrokenChatModel(responses=["x"])).ask(
        "How long are business posts archived?"
    )
    assert answer.mode == "embedded" and answer.answered
    assert answer.note and "unavailable" in answer.note
