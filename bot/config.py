"""All settings in one place, read from an environment mapping at the edge and passed down.

Entry points call `load_dotenv(override=False)` and then `load_settings(os.environ)`; nothing
reads the environment at import time, so tests pass a plain dict.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.errors import ConfigError

SLACK_DEFAULT_API_URL = "https://slack.com/api/"


@dataclass(frozen=True)
class Settings:
    knowledge_dir: Path = Path("knowledge")
    store_dir: Path = Path(".guidebot/store")
    # Start-up work kept between processes (bot/disk_cache.py); None: recompute every time.
    cache_dir: Path | None = Path(".guidebot/cache")
    embedding_model: str = "use-multilingual"
    chunk_chars: int = 2000
    chroma_host: str | None = None
    chroma_port: int = 8000
    llm: str | None = None  # "provider:model" for LangChain's init_chat_model
    llm_timeout_s: float = 30.0
    llm_max_concurrency: int = 4
    llm_queue_wait_s: float = 20.0
    contact: str = "#comms"
    max_question_chars: int = 2000
    max_draft_chars: int = 10_000
    max_turns: int = 10
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = SLACK_DEFAULT_API_URL
    admins: frozenset[str] = field(default_factory=frozenset)  # "TEAM_ID:USER_ID" entries
    review_channel: str | None = None  # where comms decides on approval requests; None = off
    comms_users: frozenset[str] = field(default_factory=frozenset)  # empty = the admins
    approval_ttl_days: int = 14  # open requests (and their drafts) expire after this
    announce_channel: str | None = None  # where "what changed" digests go; None = off
    database_url: str = "sqlite:///.guidebot/audit.db"
    archive_text: bool = False
    retention_days: int = 365
    audit_salt: str = ""
    rate_limit_requests: int = 20
    rate_limit_window_s: int = 600
    record_gaps: bool = True  # keep uncovered questions (personal data redacted) for App Home
    log_text: bool = False  # log question/draft text (off: never logged)
    log_level: str = "INFO"

    def with_dirs(self, knowledge: str | Path | None, store: str | Path | None) -> Settings:
        """The same settings with the CLI's --knowledge/--store applied."""
        return replace(
            self,
            knowledge_dir=Path(knowledge) if knowledge else self.knowledge_dir,
            store_dir=Path(store) if store else self.store_dir,
        )


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _int(environ: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def _float(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be positive, got {value}")
    return value


def _bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _str(environ: Mapping[str, str], name: str) -> str | None:
    raw = environ.get(name, "").strip()
    return raw or None


def _ids(environ: Mapping[str, str], name: str) -> frozenset[str]:
    """A comma-separated list of Slack ids."""
    return frozenset(a.strip() for a in environ.get(name, "").split(",") if a.strip())


def _rate_limit(environ: Mapping[str, str]) -> tuple[int, int]:
    raw = environ.get("GUIDEBOT_RATE_LIMIT", "").strip()
    if not raw:
        return 20, 600
    match = re.fullmatch(r"(\d+)\s*/\s*(\d+)\s*(s|m|h)?", raw)
    if not match:
        raise ConfigError(
            f"GUIDEBOT_RATE_LIMIT must look like '20/10m' (requests per window), got {raw!r}"
        )
    count, window, unit = int(match[1]), int(match[2]), match[3] or "s"
    seconds = window * {"s": 1, "m": 60, "h": 3600}[unit]
    if count < 1 or seconds < 1:
        raise ConfigError(f"GUIDEBOT_RATE_LIMIT must be positive, got {raw!r}")
    return count, seconds


_ADMIN = re.compile(r"[TE][A-Z0-9]{2,}:[UW][A-Z0-9]{2,}")


def _admins(environ: Mapping[str, str]) -> frozenset[str]:
    """GUIDEBOT_ADMINS as TEAM_ID:USER_ID pairs: a user id alone is unique only within its
    workspace, and a shared channel brings in users of other workspaces."""
    entries = [a.strip() for a in environ.get("GUIDEBOT_ADMINS", "").split(",") if a.strip()]
    bad = [a for a in entries if not _ADMIN.fullmatch(a)]
    if bad:
        raise ConfigError(
            "GUIDEBOT_ADMINS must list TEAM_ID:USER_ID pairs (e.g. T0123ABCD:U0456EFGH; the "
            f"team id is in the workspace's About page or auth.test), got {', '.join(bad)}"
        )
    return frozenset(entries)


def _cache_dir(environ: Mapping[str, str]) -> Path | None:
    raw = (environ.get("GUIDEBOT_CACHE_DIR") or ".guidebot/cache").strip()
    return None if raw.lower() in {"off", "none", "0"} else Path(raw)


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Build validated settings from an environment mapping; raise ConfigError on bad values."""
    llm = _str(environ, "GUIDEBOT_LLM")
    if llm and ":" not in llm:
        raise ConfigError(
            f"GUIDEBOT_LLM must be 'provider:model' (e.g. openai:gpt-4o-mini), got {llm!r}"
        )
    log_level = environ.get("GUIDEBOT_LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError(f"GUIDEBOT_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR: {log_level}")
    requests, window = _rate_limit(environ)
    admins = _admins(environ)
    return Settings(
        knowledge_dir=Path(environ.get("GUIDEBOT_KNOWLEDGE_DIR") or "knowledge"),
        store_dir=Path(environ.get("GUIDEBOT_STORE_DIR") or ".guidebot/store"),
        cache_dir=_cache_dir(environ),
        embedding_model=_str(environ, "GUIDEBOT_EMBEDDING_MODEL") or "use-multilingual",
        chunk_chars=_int(environ, "GUIDEBOT_CHUNK_CHARS", 2000, minimum=200),
        chroma_host=_str(environ, "CHROMA_HOST"),
        chroma_port=_int(environ, "CHROMA_PORT", 8000, minimum=1),
        llm=llm,
        llm_timeout_s=_float(environ, "GUIDEBOT_LLM_TIMEOUT", 30.0),
        llm_max_concurrency=_int(environ, "GUIDEBOT_LLM_CONCURRENCY", 4, minimum=1),
        llm_queue_wait_s=_float(environ, "GUIDEBOT_LLM_QUEUE_WAIT", 20.0),
        contact=_str(environ, "GUIDEBOT_CONTACT") or "#comms",
        max_question_chars=_int(environ, "GUIDEBOT_MAX_QUESTION_CHARS", 2000, minimum=10),
        max_draft_chars=_int(environ, "GUIDEBOT_MAX_DRAFT_CHARS", 10_000, minimum=10),
        max_turns=_int(environ, "GUIDEBOT_MAX_TURNS", 10, minimum=0),
        slack_bot_token=_str(environ, "SLACK_BOT_TOKEN"),
        slack_signing_secret=_str(environ, "SLACK_SIGNING_SECRET"),
        slack_app_token=_str(environ, "SLACK_APP_TOKEN"),
        slack_api_url=_str(environ, "SLACK_API_URL") or SLACK_DEFAULT_API_URL,
        admins=admins,
        review_channel=_str(environ, "GUIDEBOT_REVIEW_CHANNEL"),
        comms_users=_ids(environ, "GUIDEBOT_COMMS_USERS"),
        approval_ttl_days=_int(environ, "GUIDEBOT_APPROVAL_TTL_DAYS", 14, minimum=1),
        announce_channel=_str(environ, "GUIDEBOT_ANNOUNCE_CHANNEL"),
        database_url=_str(environ, "GUIDEBOT_DATABASE_URL") or "sqlite:///.guidebot/audit.db",
        archive_text=_bool(environ, "GUIDEBOT_ARCHIVE_TEXT", False),
        retention_days=_int(environ, "GUIDEBOT_RETENTION_DAYS", 365, minimum=1),
        audit_salt=environ.get("GUIDEBOT_AUDIT_SALT", ""),
        rate_limit_requests=requests,
        rate_limit_window_s=window,
        record_gaps=_bool(environ, "GUIDEBOT_RECORD_GAPS", True),
        log_text=_bool(environ, "GUIDEBOT_LOG_TEXT", False),
        log_level=log_level,
    )
