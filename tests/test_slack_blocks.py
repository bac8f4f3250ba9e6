"""What a user sees for an answer or a review in Slack, rendered exactly.

The builders are pure functions, so these tests compare whole block lists, and check the
platform's limits (3,000 characters per section, 50 blocks per message) and that quoted drafts
can never ping anyone.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

from bot.models import Answer, Finding, Review, Source
from bot.slack.blocks import answer_blocks, answer_fallback, review_blocks, review_fallback
from bot.slack.mrkdwn import escape, split
from tests.slack_requests import rendered as texts

T_DOC = 1_700_000_000.0  # 2023-11-14
T_INDEX = 1_700_086_400.0  # 2023-11-15
DOC_DATE = "<!date^1700000000^{date_short}|2023-11-14>"
INDEX_DATE = "<!date^1700086400^{date_short}|2023-11-15>"
PHOTOS = Source(
    source="en/policy.md",
    section="Policy > 3. Photos",
    text="Think before you post.\n- Office photos are welcome.\n- Never show badges.",
    score=0.8,
    doc_mtime=T_DOC,
)


def feedback_row(record: str, lang: str, kind: str, labels: tuple[str, str, str]) -> list[Any]:
    value = json.dumps({"id": record, "lang": lang, "kind": kind})
    actions = ("feedback_helpful", "feedback_not_helpful", "feedback_unclear_guideline")
    return [
        {
            "type": "button",
            "action_id": action,
            "value": value,
            "text": {"type": "plain_text", "text": text, "emoji": True},
        }
        for action, text in zip(actions, labels, strict=True)
    ]


def test_an_answer_shows_the_answer_its_citation_the_version_the_mode_and_feedback():
    answer = Answer(
        answer="Here is what the guidelines say:\n> “Office photos are welcome.” [1]",
        answered=True,
        language="en",
        mode="embedded",
        sources=[PHOTOS],
        audit_id="rec1",
    )
    assert answer_blocks(answer, indexed_at=T_INDEX) == [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": "Here is what the guidelines say:\n&gt; “Office photos are welcome.” [1]",
            },
        },
        {"type": "section", "text": {"type": "mrkdwn", "text": "*Sources*"}},
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": "*[1]* `en/policy.md` › _3. Photos_",  # the answer quotes it already
            },
        },
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": f"Guidelines as of {INDEX_DATE} · "
                    "Answer taken straight from the guidelines (no AI)",
                }
            ],
        },
        {
            "type": "actions",
            "block_id": "feedback",
            "elements": feedback_row(
                "rec1", "en", "ask", ("Helpful", "Not helpful", "This guideline is unclear")
            ),
        },
    ]


def test_a_source_links_to_its_document_names_its_version_and_quotes_what_was_not_said():
    linked = replace(PHOTOS, url="https://intra.example/policy?a=1&b=2", version="Version 2.2")
    answer = Answer("Yes, within limits [1].", True, "en", "embedded", [linked], audit_id="r")
    cited = texts(answer_blocks(answer))[2]
    assert cited == (
        "*[1]* <https://intra.example/policy?a=1&amp;b=2|en/policy.md> › _3. Photos_ "
        "(Version 2.2)\n&gt; Think before you post."
    )
    assert DOC_DATE not in cited  # a file's modification time is not the guideline's date


def test_fallback_texts_summarise_the_result_for_notifications_and_screen_readers():
    answer = Answer(
        "Here is what the guidelines say:\n> “Office photos are welcome.” [1] More.",
        True, "en", "embedded", [PHOTOS],
    )  # fmt: skip
    assert answer_fallback(answer) == "Office photos are welcome. (3. Photos, en/policy.md)"
    finding = Finding("unreleased_product", "blocker", "Polarstern", 0, 10, "Remove.", "")
    other = Finding("confidential_info", "blocker", "Q3", 11, 13, "Remove.", "")
    review = Review("do_not_post", [finding, other], [], "en", "embedded")
    assert review_fallback(review) == (
        "Do not post this: Unreleased product, Confidential information"
    )
    ok = Review("ok", [], [], "en", "embedded")
    assert review_fallback(ok).startswith("Good to post. I found nothing")
    assert "not an approval" in " ".join(texts(review_blocks(ok, "Nice fair!")))


def test_a_german_answer_is_framed_in_german():
    answer = Answer(
        "Das sagen die Leitlinien dazu: … [1]", True, "de", "llm", [PHOTOS], audit_id="rec2"
    )
    rendered = texts(answer_blocks(answer, indexed_at=T_INDEX))
    assert "*Quellen*" in rendered
    assert (
        f"Leitlinien-Stand {INDEX_DATE} · Antwort von einem KI-Modell auf Basis der "
        "Leitlinien" in rendered
    )
    assert rendered[-3:] == ["Hilfreich", "Nicht hilfreich", "Diese Leitlinie ist unklar"]


def test_not_covered_names_the_contact_says_it_was_noted_and_cites_nothing():
    answer = Answer(
        "The guidelines don't cover this. Please ask #comms.",
        False,
        "en",
        "embedded",
        [PHOTOS],
        audit_id="rec3",
    )
    blocks = answer_blocks(answer, gap_logged=True)
    assert texts(blocks)[:2] == [
        "The guidelines don't cover this. Please ask #comms.",
        "I've noted this as an open question for the guideline owners.",
    ]
    assert not any("en/policy.md" in t for t in texts(blocks))


def test_a_review_shows_verdict_finding_rule_fix_corrected_draft_and_buttons():
    draft = "Sneak peek: Polarstern ships soon!"
    finding = Finding(
        category="unreleased_product",
        severity="blocker",
        excerpt="Polarstern",
        start=12,
        end=22,
        advice="Do not hint at unannounced products.",
        suggestion="",
        sources=[
            Source(
                "en/policy.md",
                "Policy > 3. Unreleased products",
                "Leaks hurt.\n- Never use codenames such as Polarstern.",
                0.7,
            )
        ],
    )
    review = Review("do_not_post", [finding], [], "en", "embedded", audit_id="rec4",
                    suggested_draft="Sneak peek: ships soon!")  # fmt: skip
    # "Edit and review again" carries the user's own text, not the suggestion
    value = json.dumps({"draft": draft, "account": "company", "platform": "linkedin"})
    assert review_blocks(review, draft, account="company", platform="linkedin") == [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": ":red_circle: *Do not post this*\n1 thing(s) to look at:",
            },
        },
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": "Your draft: “Sneak peek: Polarstern ships soon!”"}
            ],
        },
        {"type": "divider"},
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": "*1. Unreleased product* (blocker)\n*In your draft:*\n"
                "&gt; Polarstern\n*Rule:*\n"
                "`en/policy.md` › _3. Unreleased products_\n"
                "&gt; Never use codenames such as Polarstern.\n"
                "*Fix:* Do not hint at unannounced products.",
            },
        },
        {"type": "divider"},
        {"type": "section", "text": {"type": "mrkdwn", "text": "*Suggested version:*"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "&gt; Sneak peek: ships soon!"}},
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": "Checked against the guidelines without AI"}],
        },
        {
            "type": "actions",
            "block_id": "review_actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "review_again",
                    "style": "primary",
                    "value": value,
                    "text": {"type": "plain_text", "text": "Edit and review again", "emoji": True},
                },
                *feedback_row(
                    "rec4", "en", "review", ("Helpful", "Not helpful", "This guideline is unclear")
                ),
            ],
        },
    ]


def test_a_clean_german_draft_gets_a_green_verdict_in_german():
    review = Review("ok", [], [], "de", "embedded", audit_id="rec5")
    first = review_blocks(review, "Schöner Tag auf der Messe!")[0]["text"]["text"]
    assert first == (
        ":large_green_circle: *Kann so veröffentlicht werden*\n"
        "Ich habe in Ihrem Entwurf nichts gefunden, was den Leitlinien widerspricht."
    )


def test_the_suggested_draft_the_review_offers_is_shown_under_the_findings():
    draft = "Loving my free headphones from Acme. Great sound."
    finding = Finding(
        "missing_ad_disclosure",
        "warning",
        "Loving my free headphones from Acme.",
        0,
        36,
        "Label it as an ad.",
        "#ad Loving my free headphones from Acme.",
    )
    offered = "#ad Loving my free headphones from Acme. Great sound."
    review = Review("needs_changes", [finding], [], "en", "embedded", suggested_draft=offered)
    rendered = texts(review_blocks(review, draft))
    assert f"&gt; {offered}" in rendered
    assert rendered[0].startswith(":large_yellow_circle: *Needs changes before posting*")
    unchecked = Review("needs_changes", [finding], [], "en", "embedded")  # none offered
    assert not any("Suggested" in t for t in texts(review_blocks(unchecked, draft)))


PINGS = "<!channel> <!here> <!everyone> <@U123> <#C999> <https://evil.example|click> & co"


def test_quoted_user_text_never_pings_or_links():
    finding = Finding("confidential_info", "blocker", PINGS, 0, len(PINGS), "Remove it.", "")
    review = Review("do_not_post", [finding], [], "en", "embedded")
    answer = Answer(f"You asked: {PINGS}", True, "en", "embedded", [])
    for blocks in (review_blocks(review, PINGS + " tail"), answer_blocks(answer)):
        for text in texts(blocks):
            assert not re.search(r"<[!@#](?!date\^)|<https?:", text), text
    assert escape(PINGS).startswith("&lt;!channel&gt; &lt;!here&gt;")


def test_long_answers_are_split_within_slacks_limits_and_keep_their_buttons():
    answer = Answer("word & " * 3000, True, "en", "embedded", [PHOTOS] * 9, audit_id="r")
    blocks = answer_blocks(answer)
    assert len(blocks) <= 50
    assert all(len(t) <= 3000 for t in texts(blocks))
    assert blocks[-1]["block_id"] == "feedback"
    rendered = texts(blocks)
    parts = rendered[: rendered.index("*Sources*")]
    assert " ".join(parts).split() == escape("word & " * 3000).split()  # nothing silently cut


def test_a_review_with_many_findings_stays_under_fifty_blocks_and_says_how_many_more():
    draft = "x " * 2000
    findings = [
        Finding("profanity", "warning", "x", i * 2, i * 2 + 1, "Drop it.", None) for i in range(60)
    ]
    blocks = review_blocks(Review("needs_changes", findings, [], "en", "embedded"), draft)
    assert len(blocks) <= 50
    assert "…and 50 more." in texts(blocks)
    assert blocks[-1]["block_id"] == "review_actions"


def test_a_long_corrected_draft_is_quoted_across_sections_and_not_carried_in_the_button():
    draft = ("A sentence with Polarstern & more. " * 300).strip()
    finding = Finding("unreleased_product", "blocker", "Polarstern", 16, 26, "Remove.", "")
    corrected = draft.replace("Polarstern", "our app")
    review = Review("do_not_post", [finding], [], "en", "embedded", suggested_draft=corrected)
    blocks = review_blocks(review, draft)
    quoted = [t for t in texts(blocks) if t.startswith("&gt; ") and "sentence" in t]
    assert len(quoted) >= 4 and all(len(t) <= 3000 for t in quoted)
    button = blocks[-1]["elements"][0]
    assert json.loads(button["value"])["draft"] is None and len(button["value"]) <= 2000


def test_splitting_never_cuts_an_escaped_character_in_half():
    pieces = split(escape("<" * 2000), limit=2999)
    assert all(re.fullmatch(r"(&lt;)+", p) for p in pieces)
    assert "".join(pieces) == escape("<" * 2000)
