"""Logs never carry a draft, a question, a token or a secret, whichever way a line is made."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.ops.logging_setup import PAYLOAD_LOGGERS, describe_text, setup_logging
from tests.conftest import make_settings

BOT_TOKEN = "xoxb-1111-2222-PlantedBotToken"
APP_TOKEN = "xapp-1-A111-2222-PlantedAppToken"
SIGNING_SECRET = "planted0signing0secret0value"
OPENAI_KEY = "sk-proj-PlantedOpenAiKey0123456789"
SECRETS = (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, OPENAI_KEY, "PlantedBotToken", "0123456789")


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """setup_logging changes process-wide state; put it back for the other tests."""
    root = logging.getLogger()
    handlers = list(root.handlers)
    filters = {h: list(h.filters) for h in handlers}
    level = root.level
    payload_levels = {name: logging.getLogger(name).level for name in PAYLOAD_LOGGERS}
    yield
    root.handlers[:] = handlers
    for handler, kept in filters.items():
        handler.filters[:] = kept
    root.setLevel(level)
    for name, payload_level in payload_levels.items():
        logging.getLogger(name).setLevel(payload_level)


def _settings(tmp_path: Path, **environ: str):  # type: ignore[no-untyped-def]
    return make_settings(
        tmp_path,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_APP_TOKEN=APP_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        **environ,
    )


def test_planted_secrets_never_reach_the_log(
    tmp_path: Path, restore_logging: None, caplog: pytest.LogCaptureFixture
) -> None:
    stream = io.StringIO()
    setup_logging(_settings(tmp_path), environ={"OPENAI_API_KEY": OPENAI_KEY}, stream=stream)
    log = logging.getLogger("bot.test")
    log.info("starting with token %s", BOT_TOKEN)
    log.info(f"app token {APP_TOKEN} and header Authorization: Bearer {BOT_TOKEN}")
    log.warning("signature check with %r failed", SIGNING_SECRET)
    log.error("provider said: invalid key %s", OPENAI_KEY)
    logging.getLogger("slack_bolt.App").warning("payload {'token': '%s'}", BOT_TOKEN)
    try:
        raise RuntimeError(f"could not connect with {OPENAI_KEY}")
    except RuntimeError:
        log.exception("LLM call failed")
    written = stream.getvalue()
    assert written.count("\n") >= 6 and "LLM call failed" in written
    assert "RuntimeError" in written  # the traceback is kept, only the secret is blanked
    assert "LLM call failed" in caplog.text  # pytest's own handler is filtered as well
    for secret in SECRETS:
        assert secret not in written
        assert secret not in caplog.text


def test_well_known_key_shapes_are_blanked_even_when_not_configured(
    tmp_path: Path, restore_logging: None
) -> None:
    stream = io.StringIO()
    setup_logging(make_settings(tmp_path), stream=stream)
    planted = [
        "AKIAIOSFODNN7EXAMPLE",
        "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB",
        "sk-ant-api03-abcdefghijklmnopqrstuvwx",
        "xoxp-123-456-789-abcdef",
        "postgresql://guidebot:db-password-1@db.internal/audit",
    ]
    for value in planted:
        logging.getLogger("bot.test").warning("config value: %s", value)
    written = stream.getvalue()
    for value in ["AKIAIOSFODNN7EXAMPLE", "ghp_0123", "sk-ant-api03", "xoxp-123", "db-password-1"]:
        assert value not in written
    assert "postgresql://guidebot:[secret]@db.internal/audit" in written


def test_user_text_is_described_not_quoted(tmp_path: Path) -> None:
    draft = "Our unannounced merger with Initech closes Friday"
    described = describe_text(draft, make_settings(tmp_path))
    assert "merger" not in described
    assert described.startswith(f"len={len(draft)} sha=")
    assert described == describe_text(draft, make_settings(tmp_path))  # equal texts correlate
    assert described != describe_text(draft + ".", make_settings(tmp_path))
    opted_in = describe_text(draft, make_settings(tmp_path, GUIDEBOT_LOG_TEXT="true"))
    assert "merger with Initech" in opted_in


def test_slack_payload_debug_logs_stay_off_unless_text_logging_is_on(
    tmp_path: Path, restore_logging: None
) -> None:
    stream = io.StringIO()
    setup_logging(make_settings(tmp_path, GUIDEBOT_LOG_LEVEL="DEBUG"), stream=stream)
    logging.getLogger("slack_bolt.App").debug("body: {'text': 'my secret draft'}")
    logging.getLogger("bot.engine").debug("retrieval took 3 ms")
    written = stream.getvalue()
    assert "my secret draft" not in written
    assert "retrieval took 3 ms" in written


def test_setting_up_twice_logs_each_line_once(tmp_path: Path, restore_logging: None) -> None:
    stream = io.StringIO()
    setup_logging(make_settings(tmp_path), stream=stream)
    setup_logging(make_settings(tmp_path), stream=stream)
    logging.getLogger("bot.test").warning("only once")
    assert stream.getvalue().count("only once") == 1


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("mail jane.doe@acme.example please", "mail [email] please"),
        ("mail <mailto:jane@acme.example|jane@acme.example>", "mail [email]"),
        ("ask <@U024BE7LH> or <@W123|bob>", "ask [user] or [user]"),
        ("call +49 30 1234567 or (030) 123-4567", "call [phone] or [phone]"),
        ("call 0171/2345678!", "call [phone]!"),
        ("IBAN DE89 3704 0044 0532 0130 00, thanks", "IBAN [iban], thanks"),
        ("customer no. 12345678", "customer no. [number]"),
        ("card 4111 1111 1111 1111", "card [number]"),
        # what makes a question readable stays: dates, years, amounts, percentages
        ("launch on 2025-05-01 or 01.05.2025", "launch on 2025-05-01 or 01.05.2025"),
        ("10.000 followers, up 15% since 2024", "10.000 followers, up 15% since 2024"),
    ],
)
def test_personal_data_is_removed_from_gap_questions(text: str, redacted: str) -> None:
    from bot.ops.redact import redact_personal

    assert redact_personal(text) == redacted
