"""Pure builders for the review modal, the App Home tab and the /guidelines help.

Like bot.slack.blocks these return plain dicts; the listeners only send them. The modal keeps
where the result should go (channel, language) in `private_metadata`, because Slack sends the
submission without the channel the command came from.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.index.docinfo import DocumentInfo
from bot.models import IndexStatus
from bot.slack.blocks import Block, slack_date
from bot.slack.mrkdwn import HOME_BLOCKS, MESSAGE_BLOCKS, clip, context, escape, fit, plain, section
from bot.slack.texts import label

MODAL_CALLBACK = "review_modal"
DRAFT_LIMIT = 3000  # Slack's maximum for a plain_text_input
PLATFORMS = {
    "linkedin": "LinkedIn", "x": "X (Twitter)", "instagram": "Instagram",
    "facebook": "Facebook", "tiktok": "TikTok", "mastodon": "Mastodon",
    "youtube": "YouTube", "xing": "XING", "other": "Other / Andere",
}  # fmt: skip
ACCOUNTS = ("personal", "company")
MAX_DOCUMENTS = 25
MAX_ADMIN_ITEMS = 10

USAGE = {
    "en": "*How to use guidebot*\n"
    "• *Ask a question:* mention @guidebot in a channel or send me a direct message. I answer "
    "in the thread; ask follow-ups in the same thread (mention me again in channels).\n"
    "• *Check a draft:* `/review-post your draft`, or just `/review-post` for a form with room "
    "for long posts. Only you see the result.\n"
    "• *Check a message:* message menu (⋯) → _Review this post_; or _Review a post_ from the "
    "shortcuts (⚡) anywhere.\n"
    "• *Not sure?* Under a review, _Ask comms to check_ sends it to the comms team.\n"
    "• `/guidelines your question`: an answer only you see (you can share it); "
    "`/guidelines` alone: this help and the state of the guidelines.",
    "de": "*So nutzt du guidebot*\n"
    "• *Frage stellen:* erwähne @guidebot in einem Channel oder schreib mir direkt. Ich "
    "antworte im Thread; Rückfragen stellst du im selben Thread (in Channels mit Erwähnung).\n"
    "• *Entwurf prüfen:* `/review-post dein Entwurf`, oder nur `/review-post` für ein Formular "
    "mit Platz für lange Posts. Nur du siehst das Ergebnis.\n"
    "• *Nachricht prüfen:* Nachrichtenmenü (⋯) → _Review this post_; oder überall über die "
    "Shortcuts (⚡) → _Review a post_.\n"
    "• *Unsicher?* Unter einer Prüfung schickt _Comms fragen_ sie an das Comms-Team.\n"
    "• `/guidelines deine Frage`: eine Antwort nur für dich (du kannst sie teilen); "
    "`/guidelines` allein: diese Hilfe und der Stand der Leitlinien.",
}
ADMIN_USAGE = {
    "en": "_Admin:_ `/guidelines reindex` re-reads the knowledge folder (only changed files).",
    "de": "_Admin:_ `/guidelines reindex` liest den Wissensordner neu ein (nur geänderte Dateien).",
}


def modal(callback_id: str, language: str, keys: tuple[str, str, str], metadata: dict[str, Any],
          blocks: list[Block]) -> dict[str, Any]:  # fmt: skip
    """A modal view; `keys` name the texts of its title, submit and close buttons."""
    title, submit, close = (plain(label(key, language), 24) for key in keys)
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": title,
        "submit": submit,
        "close": close,
        "private_metadata": json.dumps(metadata, ensure_ascii=False),
        "blocks": blocks,
    }


def input_field(block_id: str, element: Block, language: str, label_key: str, hint_key: str = "",
          optional: bool = False) -> Block:  # fmt: skip
    """One input of a modal, labelled (and hinted) in the user's language."""
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "element": element,
        "label": plain(label(label_key, language), 2000),
    }
    if hint_key:
        block["hint"] = plain(label(hint_key, language), 2000)
    if optional:
        block["optional"] = True
    return block


def text_box(max_length: int) -> Block:
    """A multi-line text input."""
    return {"type": "plain_text_input", "action_id": "text", "multiline": True,
            "max_length": max_length}  # fmt: skip


def review_modal(
    language: str,
    *,
    draft: str = "",
    account: str = "personal",
    platform: str | None = None,
    channel: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """The review form: draft (max 3,000 chars), account type and platform, prefilled."""
    draft_input = text_box(DRAFT_LIMIT)
    if draft:
        draft_input["initial_value"] = draft[:DRAFT_LIMIT]
    accounts = [_option(label(f"account_{a}", language), a) for a in ACCOUNTS]
    account_input: Block = {
        "type": "radio_buttons",
        "action_id": "value",
        "options": accounts,
        "initial_option": accounts[ACCOUNTS.index(account) if account in ACCOUNTS else 0],
    }
    platforms = [_option(name, value) for value, name in PLATFORMS.items()]
    platform_input: Block = {
        "type": "static_select",
        "action_id": "value",
        "options": platforms,
        "placeholder": plain(label("modal_platform", language)),
    }
    if platform in PLATFORMS:
        platform_input["initial_option"] = _option(PLATFORMS[platform], platform)
    blocks: list[Block] = []
    if note or len(draft) > DRAFT_LIMIT:
        blocks.append(context(escape(note or label("draft_cut", language, n=DRAFT_LIMIT))))
    blocks += [
        input_field("draft", draft_input, language, "modal_draft", "modal_draft_hint"),
        input_field("account", account_input, language, "modal_account"),
        input_field("platform", platform_input, language, "modal_platform", optional=True),
    ]
    keys = ("modal_title", "modal_submit", "modal_cancel")
    return modal(MODAL_CALLBACK, language, keys, {"channel": channel, "lang": language}, blocks)


def _option(text: str, value: str) -> Block:
    return {"text": plain(text), "value": value}


@dataclass(frozen=True)
class Submission:
    draft: str
    account: str
    platform: str | None
    channel: str | None
    language: str


def parse_submission(view: Mapping[str, Any]) -> Submission:
    """The draft and options of a submitted review modal, and where to send the result."""
    values = view.get("state", {}).get("values", {})
    draft = values.get("draft", {}).get("text", {}).get("value") or ""
    account = (values.get("account", {}).get("value", {}).get("selected_option") or {}).get("value")
    platform = (values.get("platform", {}).get("value", {}).get("selected_option") or {}).get(
        "value"
    )
    meta = json.loads(view.get("private_metadata") or "{}")
    return Submission(
        draft, account or "personal", platform, meta.get("channel"), meta.get("lang") or "en"
    )


def status_text(status: IndexStatus, language: str) -> str:
    """One paragraph: how many documents, when last indexed, what changed since."""
    de = language == "de"
    if not status.documents:
        return "*Leitlinien:* noch nicht indexiert." if de else "*Guidelines:* not indexed yet."
    when = slack_date(status.indexed_at) if status.indexed_at else "?"
    text = (
        f"*Leitlinien:* {len(status.documents)} Dokumente, {status.chunks} Abschnitte, "
        f"zuletzt indexiert {when}."
        if de
        else f"*Guidelines:* {len(status.documents)} documents, {status.chunks} passages, "
        f"last indexed {when}."
    )
    if status.changed_since:
        changed = ", ".join(f"`{escape(s)}`" for s in status.changed_since[:10])
        text += (
            f"\n:warning: Seitdem geändert: {changed}"
            if de
            else f"\n:warning: Changed since: {changed}"
        )
    return text


Describe = Callable[[str], DocumentInfo]


def document_lines(status: IndexStatus, describe: Describe | None = None) -> list[str]:
    """One line per document: linked and with its own version when it declares them (the
    file date otherwise)."""
    lines = []
    for d in status.documents[:MAX_DOCUMENTS]:
        info = describe(d.source) if describe else DocumentInfo()
        source = escape(d.source)
        name = f"<{escape(info.url)}|{source}>" if info.url else f"`{source}`"
        when = escape(info.version) if info.version else slack_date(d.doc_mtime)
        lines.append(f"• {name} · {d.language} · {d.chunks} · {when}")
    if len(status.documents) > MAX_DOCUMENTS:
        lines.append(f"… +{len(status.documents) - MAX_DOCUMENTS}")
    return lines


def help_blocks(
    status: IndexStatus, language: str, *, is_admin: bool, describe: Describe | None = None
) -> list[Block]:
    """/guidelines: how to use the bot and the guidelines' status."""
    blocks = [section(USAGE.get(language, USAGE["en"])), section(status_text(status, language))]
    if status.documents:
        blocks.append(section(clip("\n".join(document_lines(status, describe)), 2900)))
    if is_admin:
        blocks.append(context(ADMIN_USAGE.get(language, ADMIN_USAGE["en"])))
    return fit(blocks, MESSAGE_BLOCKS)


@dataclass(frozen=True)
class AdminData:
    """What admins see on the Home tab; any field may be empty (no audit database)."""

    gaps: Sequence[Any] = ()
    feedback_counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    unclear: Sequence[Any] = ()


def home_view(
    status: IndexStatus,
    language: str,
    admin: AdminData | None = None,
    digests: Sequence[Block] = (),
    describe: Describe | None = None,
) -> dict[str, Any]:
    """The App Home tab: usage, indexed documents, what changed lately, for admins the open
    issues."""
    de = language == "de"
    blocks: list[Block] = [
        {"type": "header", "text": plain("guidebot", 150)},
        section(USAGE.get(language, USAGE["en"])),
        {"type": "divider"},
        section(status_text(status, language)),
    ]
    blocks += [section(line) for line in document_lines(status, describe)]
    blocks += digests
    if admin is not None:
        blocks += [{"type": "divider"}, section(ADMIN_USAGE.get(language, ADMIN_USAGE["en"]))]
        blocks += _admin_blocks(admin, de)
    return {"type": "home", "blocks": fit(blocks, HOME_BLOCKS)}


def _admin_blocks(admin: AdminData, de: bool) -> list[Block]:
    blocks: list[Block] = [
        section(
            "*Offene Fragen (nicht abgedeckt)*"
            if de
            else "*Knowledge gaps (questions not covered)*"
        )
    ]
    seen: set[str] = set()
    gap_lines = []
    for gap in admin.gaps:
        key = " ".join(str(getattr(gap, "text", gap)).lower().split())
        if key in seen:
            continue
        seen.add(key)
        count, last = getattr(gap, "count", 1), getattr(gap, "last_seen", None)
        when = f", {slack_date(last.timestamp())}" if last is not None else ""
        gap_lines.append(f"• {escape(clip(str(getattr(gap, 'text', gap)), 200))} (×{count}{when})")
    blocks.append(section("\n".join(gap_lines[:MAX_ADMIN_ITEMS]) or "–"))
    blocks.append(section("*Rückmeldungen*" if de else "*Feedback*"))
    counts = []
    for kind, values in admin.feedback_counts.items():
        name = {"ask": "Antworten" if de else "Answers", "review": "Reviews"}.get(kind, kind)
        counts.append(
            f"{name}: :thumbsup: {values.get('helpful', 0)} · :thumbsdown: "
            f"{values.get('not_helpful', 0)} · :grey_question: "
            f"{values.get('unclear_guideline', 0)}"
        )
    blocks.append(section("\n".join(counts) or "–"))
    blocks.append(section("*Als unklar gemeldete Leitlinien*" if de else "*Reported as unclear*"))
    lines = []
    for report in list(admin.unclear)[:MAX_ADMIN_ITEMS]:
        where = f"`{escape(report.source or '?')}` › _{escape(clip(report.section or '', 150))}_"
        note = f" — {escape(clip(report.note, 200))}" if report.note else ""
        lines.append(f"• {where} ({slack_date(report.at.timestamp())}){note}")
    blocks.append(section("\n".join(lines) or "–"))
    return blocks
