"""Slack test fixtures shared by the test_slack_* modules (registered in conftest.py).

`engine` is the real engine over the sample index, loaded once per module, recording what it
was asked; `fake` is a fresh fake Slack Web API per test; `bot` is the real bolt app on both.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import App

from bot.index.store import open_store
from bot.service import Guidebot
from tests.slack_fake import FakeSlack, running_fake
from tests.slack_requests import RecordingEngine, make_bot


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with running_fake() as server:
        yield server


@pytest.fixture(scope="module")
def shared_engine(sample_index, embedder) -> RecordingEngine:  # type: ignore[no-untyped-def]
    return RecordingEngine(sample_index, open_store(sample_index), embedder)


@pytest.fixture
def engine(shared_engine: RecordingEngine) -> RecordingEngine:
    shared_engine.asked.clear()  # loaded once per module; what it records is per test
    return shared_engine


@pytest.fixture
def bot(engine: RecordingEngine, fake: FakeSlack, tmp_path: Any) -> tuple[App, Guidebot]:
    return make_bot(engine, fake, tmp_path)
