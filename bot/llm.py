"""Chat models through LangChain, selected by GUIDEBOT_LLM ("provider:model").

Provider SDKs are optional extras and imported only here, lazily. Calls are bounded by a
timeout and a process-wide concurrency cap, so a slow provider queues users visibly instead
of piling up threads.
"""

from __future__ import annotations

import threading
from typing import Any

from bot.config import Settings
from bot.errors import BusyError, ConfigError

_EXTRAS = {"openai": "openai", "anthropic": "anthropic", "ollama": "ollama"}


def load_chat_model(settings: Settings) -> Any | None:
    """The configured chat model, or None for the embedded (no-LLM) mode."""
    if not settings.llm:
        return None
    from langchain.chat_models import init_chat_model

    provider = settings.llm.split(":", 1)[0]
    try:
        return init_chat_model(settings.llm, timeout=settings.llm_timeout_s, max_retries=1)
    except ImportError as error:
        extra = _EXTRAS.get(provider, provider)
        raise ConfigError(
            f"GUIDEBOT_LLM={settings.llm} needs the provider package: "
            f"pip install 'guidebot[{extra}]' ({error})"
        ) from error
    except Exception as error:  # bad model name, missing API key, ...
        raise ConfigError(f"Cannot set up GUIDEBOT_LLM={settings.llm}: {error}") from error


class LlmGate:
    """At most N LLM calls at once; a caller that waits too long gets BusyError."""

    def __init__(self, max_concurrency: int, queue_wait_s: float) -> None:
        self._slots = threading.BoundedSemaphore(max_concurrency)
        self._wait = queue_wait_s

    def __enter__(self) -> LlmGate:
        if not self._slots.acquire(timeout=self._wait):
            raise BusyError("All LLM slots are busy; please try again in a minute.")
        return self

    def __exit__(self, *exc: object) -> None:
        self._slots.release()
