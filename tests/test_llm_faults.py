"""When the LLM provider is down, slow or talks nonsense, users still get the guidelines' answer.

LangChain's fake chat models stand in for the provider; everything else is the real engine over
the sample index. The review path's LLM faults are covered in test_review_llm.py.
"""

from __future__ import annotations

import re
import threading
import time
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from bot.engine import Engine
from bot.index.store import open_store
from tests.conftest import make_settings

QUESTION = "How long are business posts archived?"
FRAGE = "Darf ich Fotos vom neuen Prototyp auf LinkedIn posten?"


class DownModel(FakeListChatModel):
    """A provider that cannot be reached."""

    def _call(self, *args: Any, **kwargs: Any) -> str:
        raise ConnectionError("connection refused: api.example-llm.com")


class HangingModel(FakeListChatModel):
    """A provider whose client ignores its own timeout: it answers, but far too late."""

    release: threading.Event = threading.Event()

    def _call(self, *args: Any, **kwargs: Any) -> str:
        self.release.wait(30)
        return "Business posts are archived for ten years [1]."


def _engine(tmp_path: Any, sample_index: Any, embedder: Any, model: Any, **env: str) -> Engine:
    settings = make_settings(tmp_path, sample_index.knowledge_dir, **env)
    settings = settings.with_dirs(None, sample_index.store_dir)  # the shared sample index
    return Engine(settings, open_store(settings), embedder, chat_model=model)


def _is_embedded_fallback(answer: Any) -> bool:
    return answer.mode == "embedded" and answer.answered and bool(answer.sources) and (
        re.search(r"> “.+” \[\d\]", answer.answer) is not None  # a verbatim, cited quote
    )  # fmt: skip


def test_a_provider_that_is_down_gives_the_guidelines_answer_with_a_note(
    tmp_path, sample_index, embedder
):
    engine = _engine(tmp_path, sample_index, embedder, DownModel(responses=["unused"]))
    english, german = engine.ask(QUESTION), engine.ask(FRAGE)
    assert _is_embedded_fallback(english) and "unavailable" in (english.note or "")
    assert _is_embedded_fallback(german) and "nicht erreichbar" in (german.note or "")


def test_a_provider_that_hangs_is_cut_off_at_the_configured_timeout(
    tmp_path, sample_index, embedder
):
    model = HangingModel(responses=["unused"])
    model.release = threading.Event()
    engine = _engine(
        tmp_path,
        sample_index,
        embedder,
        model,
        GUIDEBOT_LLM_TIMEOUT="0.5",
        GUIDEBOT_LLM_CONCURRENCY="1",
        GUIDEBOT_LLM_QUEUE_WAIT="0.2",
    )
    try:
        started = time.monotonic()
        answer = engine.ask(QUESTION)
        waited = time.monotonic() - started
        assert _is_embedded_fallback(answer) and "unavailable" in (answer.note or "")
        assert waited < 5, f"the user waited {waited:.1f}s for a 0.5s timeout"

        # The hung call still holds its slot: the next user is told the model is busy
        # instead of stacking another call onto a provider that does not answer.
        busy = engine.ask(QUESTION)
        assert _is_embedded_fallback(busy) and "busy" in (busy.note or "")
    finally:
        model.release.set()


def test_a_slow_but_timely_provider_is_still_used(tmp_path, sample_index, embedder):
    model = FakeListChatModel(responses=["Business posts are kept for years [1]."], sleep=0.3)
    engine = _engine(tmp_path, sample_index, embedder, model, GUIDEBOT_LLM_TIMEOUT="5")
    answer = engine.ask(QUESTION)
    assert answer.mode == "llm" and answer.note is None
    assert answer.answer == "Business posts are kept for years [1]." and len(answer.sources) == 1


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   ",
        "Sure, you can post anything you like!",  # no citation: not grounded in the guidelines
        "[1][2] [3]",  # citations without a single word
        "[9] Archived forever.",  # cites a passage that was never retrieved
        '{"answer": "yes", "sources": []}',
        "\x00\x01\x02\ufffd\ufffd",
    ],
)
def test_garbage_from_the_provider_never_reaches_the_user(
    tmp_path, sample_index, embedder, garbage
):
    engine = _engine(tmp_path, sample_index, embedder, FakeListChatModel(responses=[garbage]))
    answer = engine.ask(QUESTION)
    assert _is_embedded_fallback(answer)
    assert answer.note and "could not be used" in answer.note
    if garbage.strip():
        assert garbage.strip() not in answer.answer
