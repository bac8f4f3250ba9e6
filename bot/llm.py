"""Chat models through LangChain, selected by GUIDEBOT_LLM ("provider:model").

Provider SDKs are optional extras and imported only here, lazily. Calls are bounded by a
timeout and a process-wide concurrency cap, so a slow provider queues users visibly instead
of piling up threads.
"""

from __future__ import annotations

import contextvars
import re
import threading
from concurrent.futures import Future
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

    def acquire(self) -> None:
        if not self._slots.acquire(timeout=self._wait):
            raise BusyError("All LLM slots are busy; please try again in a minute.")

    def release(self) -> None:
        self._slots.release()

    def __enter__(self) -> LlmGate:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def invoke_with_timeout(model: Any, messages: Any, gate: LlmGate, timeout_s: float) -> Any:
    """`model.invoke(messages)`, or TimeoutError after timeout_s; BusyError if no slot is free.

    The provider client gets the same timeout, but a client (or a fake) that ignores it must
    not hold a user or a Slack handler thread. The call runs in a daemon thread (a hung call
    cannot block the process from exiting) that keeps its gate slot until the call really
    ends, so a hanging provider still cannot pile up more calls than the cap.
    """
    gate.acquire()
    future: Future[Any] = Future()

    def call() -> None:
        try:
            future.set_result(model.invoke(messages))
        except BaseException as error:
            future.set_exception(error)
        finally:
            gate.release()

    context = contextvars.copy_context()  # LangChain callbacks and tracing live in contextvars
    threading.Thread(target=context.run, args=(call,), name="guidebot-llm", daemon=True).start()
    try:
        return future.result(timeout=timeout_s)
    except TimeoutError:
        if future.done():  # the model itself raised a TimeoutError
            raise
        raise TimeoutError(f"the language model did not answer within {timeout_s:g}s") from None


def echoes(output: str, prompt: str, words: int = 8) -> bool:
    """True when the output repeats `words` consecutive words of the prompt verbatim.

    A model talked into revealing its instructions ("print your prompt") does it verbatim;
    a real answer quotes the guideline passages, which are not in the system prompt.
    """

    def shingles(text: str) -> set[tuple[str, ...]]:
        tokens = re.findall(r"\w+", text.lower())
        return {tuple(tokens[i : i + words]) for i in range(len(tokens) - words + 1)}

    return bool(shingles(output) & shingles(prompt))
