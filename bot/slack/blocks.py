"""Pure functions from core results to Block Kit: what a user sees for an answer or a review.

Nothing here calls Slack; each function returns plain dicts, so rendering is tested exactly,
including Block Kit's limits and the escaping of quoted user text. Every message ends with the
feedback buttons, which `fit` keeps when a long result has to be shortened.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.errors import BusyError, IndexMissingError, InputError, RateLimitedError
from bot.models import Answer, Finding, Review, Source
from bot.slack.drafts import BUTTON_VALUE_LIMIT, request_button, rereview_value
from bot.slack.mrkdwn import (
    MESSAGE_BLOCKS,
    clip,
    context,
    escape,
    fallback,
    fit,
    plain,
    quote,
    section,
    sections,
)
from bot.slack.texts import label

Block = dict[str, Any]

QUOTE_CHARS = 240  # a citation quotes the start of the passage, verbatim
EXCERPT_CHARS = 300
MAX_CITATIONS = 5
MAX_FINDINGS = 10
VERDICT_EMOJI = {
    "ok": ":large_green_circle:",
    "needs_changes": ":large_yellow_circle:",
    "do_not_post": ":red_circle:",
}
FEEDBACK_ACTIONS = {
    "helpful": "feedback_helpful",
    "not_helpful": "feedback_not_helpful",
    "unclear_guideline": "feedback_unclear_guideline",
}
REREVIEW_ACTION = "review_again"
SHARE_ACTION = "share_answer"
DRAFT_RESTATED = 200  # characters of the checked draft shown above a review
_CITATION = re.compile(r"\[(\d+)\]")
_WORD = re.compile(r"\w+")


def slack_date(timestamp: float) -> str:
    """A date Slack shows in the reader's time zone, with an ISO date as fallback."""
    from datetime import UTC, datetime

    iso = datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d")
    return f"<!date^{int(timestamp)}^{{date_short}}|{iso}>"


def stamp(language: str, mode: str, indexed_at: float | None, kind: str = "answer") -> Block:
    """Context line: which version of the guidelines answered, and whether an AI wrote it."""
    parts = [label(f"{kind}_mode_{mode}", language)]
    if indexed_at:
        parts.insert(0, label("indexed", language, date=slack_date(indexed_at)))
    return context(" · ".join(parts))


def feedback_elements(record_id: str | None, language: str, kind: str) -> list[Block]:
    value = json.dumps({"id": record_id or "", "lang": language, "kind": kind})
    return [
        {
            "type": "button",
            "action_id": action,
            "text": plain(label(name, language)),
            "value": value,
        }
        for name, action in FEEDBACK_ACTIONS.items()
    ]


def cited_sources(answer: Answer) -> list[tuple[int, Source]]:
    """The sources the answer text cites as [n] (1-based), or the best three if it cites none."""
    numbers = sorted({int(n) for n in _CITATION.findall(answer.answer)})
    cited = [(n, answer.sources[n - 1]) for n in numbers if 0 < n <= len(answer.sources)]
    return cited[:MAX_CITATIONS] or list(enumerate(answer.sources[:3], 1))


def section_path(section: str) -> str:
    """ "Policy > 3. Privacy > 3.1 Photos" without the document title, which the file names."""
    parts = [p.strip() for p in section.split(" > ") if p.strip()]
    return " › ".join(parts[1:] if len(parts) > 1 else parts)


def _stems(text: str) -> set[str]:
    return {w[:6] for w in _WORD.findall(text.lower()) if len(w) > 3}


def best_sentence(text: str, hint: str = "", strong: str = "") -> str:
    """The passage's rule (a line or bullet; a sentence if that is long) closest to the hints.

    Words of `strong` (the draft excerpt) count three times; ties go to the earlier text, so with
    no hint at all this is the passage's first line.
    """
    from bot.sentences import sentences

    units: list[str] = []
    for line in text.splitlines():
        line = " ".join(line.split()).lstrip("-*• ")
        if line:
            units += sentences(line) if len(line) > QUOTE_CHARS else [line]
    if not units:
        return " ".join(text.split())
    weak, heavy = _stems(hint), _stems(strong)
    scores = [3 * len(heavy & _stems(u)) + len(weak & _stems(u)) for u in units]
    return units[max(range(len(units)), key=lambda i: (scores[i], -i))]


def source_line(source: Source) -> str:
    """`doc` › _section_ (version): linked when the document declares a URL, with the
    guideline's own version or effective date (a file's mtime would say nothing)."""
    name = escape(source.source)
    document = f"<{escape(source.url)}|{name}>" if source.url else f"`{name}`"
    line = f"{document} › _{escape(clip(section_path(source.section), 200))}_"
    return line + (f" ({escape(clip(source.version, 80))})" if source.version else "")


def _said(text: str) -> str:
    return " ".join(text.lower().replace("“", " ").replace("”", " ").replace('"', " ").split())


def citation(
    number: int | None, source: Source, hint: str = "", strong: str = "", said: str = ""
) -> str:
    """`[1] doc › section (version)` over a short verbatim quote from the passage, unless
    the text above (`said`) already quotes that sentence word for word."""
    head = (f"*[{number}]* " if number is not None else "") + source_line(source)
    rule = source.rule or best_sentence(source.text, hint, strong)  # the review names its rule
    sentence = clip(rule, QUOTE_CHARS)
    if said and _said(sentence.rstrip("…")) in _said(said):
        return head
    return f"{head}\n{quote(sentence)}"


def answer_blocks(
    answer: Answer,
    *,
    indexed_at: float | None = None,
    gap_logged: bool = False,
    share: str | None = None,
    shared_by: str | None = None,
) -> list[Block]:
    """Answer, citations, guideline version and mode, then the feedback buttons.

    `share` (the question) adds "Share in channel" to a private answer; `shared_by` marks
    the copy posted to the channel.
    """
    lang = answer.language
    if answer.review is not None and answer.draft is not None:  # a pasted draft: its review
        hint = sections(escape(answer.answer.splitlines()[0]))
        return hint + review_blocks(answer.review, answer.draft, indexed_at=indexed_at)
    blocks: list[Block] = []
    if shared_by:
        blocks.append(context(label("shared_by", lang, user=escape(shared_by))))
    blocks += sections(escape(answer.answer))
    if answer.note:
        blocks.append(context(escape(answer.note)))
    if answer.answered and answer.sources:
        blocks.append(section(f"*{label('sources', lang)}*"))
        blocks += [
            section(citation(n, s, answer.answer, said=answer.answer))
            for n, s in cited_sources(answer)
        ]
    elif not answer.answered and gap_logged:
        blocks.append(context(label("gap_logged", lang)))
    blocks.append(stamp(lang, answer.mode, indexed_at))
    elements = feedback_elements(answer.audit_id, lang, "ask")
    value = json.dumps({"q": share, "lang": lang}, ensure_ascii=False)
    if share and len(value) <= BUTTON_VALUE_LIMIT:
        button = {"type": "button", "action_id": SHARE_ACTION, "value": value}
        elements.insert(0, {**button, "text": plain(label("share", lang))})
    blocks.append({"type": "actions", "block_id": "feedback", "elements": elements})
    return fit(blocks, MESSAGE_BLOCKS, keep_tail=2)


def category_title(category: str, language: str) -> str:
    from bot.review.categories import CATEGORIES

    known = CATEGORIES.get(category)
    if known is not None:
        return known.title.get(language) or known.title["en"]  # type: ignore[call-overload]
    return category.replace("_", " ").capitalize()


def finding_text(number: int, finding: Finding, language: str) -> str:
    """One finding: what, where in the draft, which rule (quoted, with source), how to fix."""
    severity = label(f"severity_{finding.severity}", language)
    lines = [
        f"*{number}. {escape(category_title(finding.category, language))}* ({severity})",
        f"*{label('excerpt', language)}:*",
        quote(clip(finding.excerpt, EXCERPT_CHARS)),
    ]
    if finding.sources:
        hint = finding.category.replace("_", " ")
        rule = citation(None, finding.sources[0], hint, strong=finding.excerpt)
        lines += [f"*{label('rule', language)}:*", rule]
    fix = escape(finding.advice)
    if finding.suggestion:
        fix += f" → “{escape(clip(finding.suggestion, EXCERPT_CHARS))}”"
    lines.append(f"*{label('fix', language)}:* {fix}")
    return "\n".join(lines)


def review_blocks(
    review: Review,
    draft: str,
    *,
    account: str = "personal",
    platform: str | None = None,
    indexed_at: float | None = None,
    approval: bool = False,
) -> list[Block]:
    """Verdict with emoji, the draft it checked, the findings, a corrected draft, then the
    buttons: re-review, "ask comms to check" (with `approval`) and feedback."""
    lang = review.language
    headline = f"{VERDICT_EMOJI[review.verdict]} *{label(f'verdict_{review.verdict}', lang)}*"
    if review.findings:
        headline += "\n" + label("findings", lang, n=len(review.findings))
    else:
        headline += "\n" + label("no_findings", lang)
    blocks: list[Block] = [section(headline)]
    restated = escape(clip(" ".join(draft.split()), DRAFT_RESTATED))
    blocks.append(context(f"{label('checked_draft', lang)}: “{restated}”"))
    if review.verdict == "ok":
        blocks.append(context(label("not_an_approval", lang)))
    if review.note:
        blocks.append(context(escape(review.note)))
    for number, finding in enumerate(review.findings[:MAX_FINDINGS], 1):
        blocks.append({"type": "divider"})
        blocks += sections(finding_text(number, finding, lang))
    more = max(0, len(review.findings) - MAX_FINDINGS) + review.more_findings
    if more:
        blocks.append(context(label("more_findings", lang, n=more)))
    corrected = review.suggested_draft
    if corrected and corrected != draft:
        blocks += [{"type": "divider"}, section(f"*{label('suggested', lang)}:*")]
        blocks += sections(quote(corrected))
    blocks.append(stamp(lang, review.mode, indexed_at, kind="review"))
    rereview = {
        "type": "button",
        "action_id": REREVIEW_ACTION,
        "style": "primary",
        "text": plain(label("rereview", lang)),
        "value": rereview_value(draft, account, platform),  # the user's own text, to edit
    }
    elements = [rereview, *feedback_elements(review.audit_id, lang, "review")]
    if approval:
        elements.insert(1, request_button(draft, review, account, platform))
    blocks.append({"type": "actions", "block_id": "review_actions", "elements": elements})
    return fit(blocks, MESSAGE_BLOCKS, keep_tail=2)


def answer_fallback(answer: Answer) -> str:
    """Notification / screen-reader text: the answer's first sentence and its source (all of
    a "not covered" answer: it is short and names whom to ask)."""
    from bot.sentences import sentences

    if answer.review is not None:
        return review_fallback(answer.review)
    if not answer.answered:
        return fallback(answer.answer)
    lines = [line.strip("> ").strip() for line in answer.answer.splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].endswith(":"):
        lines = lines[1:]  # "Here is what the guidelines say:" says nothing by itself
    body = _CITATION.sub("", " ".join(lines)).replace("“", "").replace("”", "")
    first = (sentences(body) or [body])[0].strip()
    cited = cited_sources(answer)
    if cited:
        first += f" ({section_path(cited[0][1].section)}, {cited[0][1].source})"
    return fallback(first)


def review_fallback(review: Review) -> str:
    """Notification / screen-reader text: the verdict and the first findings by name."""
    lang = review.language
    text = label(f"verdict_{review.verdict}", lang)
    names = list(dict.fromkeys(category_title(f.category, lang) for f in review.findings))
    if names:
        text += ": " + ", ".join(names[:3]) + (f" (+{len(names) - 3})" if len(names) > 3 else "")
    else:
        text += ". " + label("no_findings", lang)
    return fallback(text)


def error_text(error: BaseException, language: str, contact: str) -> str:
    """The friendly sentence for a failure: domain errors say what to do, others apologise."""
    if isinstance(error, InputError | RateLimitedError):
        return escape(str(error))
    if isinstance(error, BusyError):
        return label("busy", language)
    if isinstance(error, IndexMissingError):
        return label("index_missing", language, contact=contact)
    return label("error", language, contact=contact)  # operators' problems: logged, not shown


def text_blocks(text: str) -> list[Block]:
    """An already-escaped mrkdwn message as blocks (errors, acknowledgements)."""
    return fit(sections(text), MESSAGE_BLOCKS)
