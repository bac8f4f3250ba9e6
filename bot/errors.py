"""Domain errors of the core. Each edge (CLI exit code, Slack message) translates them once."""


class GuidebotError(Exception):
    """Base class: a problem the user can act on, with a message that says how."""


class ConfigError(GuidebotError):
    """A setting is missing or has a bad value."""


class IndexMissingError(GuidebotError):
    """No index exists yet for the configured store."""

    def __init__(self, store: str) -> None:
        super().__init__(f"No guideline index in {store}: run `guidebot index` first.")


class StoreCorruptError(GuidebotError):
    """The store on disk cannot be opened or read."""

    def __init__(self, store: str, reason: str) -> None:
        super().__init__(
            f"The guideline index in {store} is damaged ({reason}). "
            "Run `guidebot index --rebuild` to build it anew."
        )


class KnowledgeDirError(GuidebotError):
    """The knowledge folder is missing or not a folder."""


class InputError(GuidebotError):
    """A question or draft is empty, too long or otherwise unusable."""


class RulesError(GuidebotError):
    """review-rules.yaml is broken; the message names the line."""


class RateLimitedError(GuidebotError):
    """The user sent too many requests in the configured window."""


class BusyError(GuidebotError):
    """All LLM slots are taken and the queue wait ran out."""
