"""What a new user notices: private answers that can be shared, the review form from anywhere,
citations that name the guideline's own version and link to it, summaries as fallback text."""

from __future__ import annotations

import json
import re

from bot.index.docinfo import DocumentInfoIndex
from bot.index.loaders import load_document
from tests.slack_requests import (
    PHOTO_QUESTION,
    all_text,
    click,
    command_body,
    event_body,
    interaction_body,
    mention,
    send,
)


def test_a_private_answer_can_be_shared_in_the_channel_with_who_shared_it(bot, fake):
    app, _ = bot
    send(app, command_body("/guidelines", PHOTO_QUESTION, fake.response_url("private")))
    private = fake.wait_for("response_url")[0]
    assert private.args["response_type"] == "ephemeral" and "Sources" in all_text(private)
    share = next(
        e for e in private.args["blocks"][-1]["elements"] if e["action_id"] == "share_answer"
    )
    assert share["text"]["text"] == "Share in channel"
    send(app, click("share_answer", share["value"], response_url=fake.response_url("shared")))
    shared = fake.wait_for("response_url", where=lambda c: c.path == "/response/shared")[0]
    assert shared.args["response_type"] == "in_channel" and not shared.args["replace_original"]
    assert "Shared by <@U1>" in all_text(shared) and "Sources" in all_text(shared)
    assert "share_answer" not in all_text(shared)
    help_reply = send(app, command_body("/guidelines", "", fake.response_url("help")))
    assert help_reply.status == 200
    shown = fake.wait_for("response_url", where=lambda c: c.path == "/response/help")[0]
    assert shown.args["text"] != "guidebot" and "How to use guidebot" in shown.args["text"]
    assert "`de/social-media-leitlinien.md` · de · " in all_text(shown)
    assert "Version 3.1, Stand: 1. Oktober 2026" in all_text(shown)  # its own version


def test_the_global_shortcut_opens_the_review_form_and_the_result_comes_as_a_dm(bot, fake):
    app, _ = bot
    shortcut = {"type": "shortcut", "callback_id": "review_post", "trigger_id": "t9",
                "user": {"id": "U1", "team_id": "T0001"}}  # fmt: skip
    assert send(app, interaction_body(shortcut)).status == 200
    opened = fake.wait_for("views.open")[0]
    view = opened.args["view"]
    assert opened.args["trigger_id"] == "t9" and view["callback_id"] == "review_modal"
    assert json.loads(view["private_metadata"])["channel"] is None
    view["state"] = {"values": {"draft": {"text": {"value": "Great day at the fair!"}}}}
    submit = {"type": "view_submission", "user": {"id": "U1"}, "view": view}
    send(app, interaction_body(submit))
    dm = fake.wait_for("chat.postMessage")[0]
    assert dm.args["channel"] == "U1" and "Good to post" in all_text(dm)
    assert "not an approval" in all_text(dm) and "Great day at the fair!" in all_text(dm)


def test_citations_show_the_guidelines_own_version_not_a_file_date(bot, fake):
    app, _ = bot
    send(app, event_body(mention(PHOTO_QUESTION, "610.1"), "EvVersion"))
    answer = fake.wait_for("chat.postMessage")[0]
    sources = all_text(answer).split("*Sources*")[1]
    assert "(Version " in sources and "<!date^" not in sources.split("Guidelines as of")[0]
    assert answer.args["text"] and not answer.args["text"].startswith("Here is what")


def test_document_info_comes_from_sources_yaml_front_matter_or_the_version_line(tmp_path):
    (tmp_path / "a.md").write_text(
        "---\nurl: https://intra.example/a\nversion: 4\neffective: 2026-05-01\n---\n# A\n\nText.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text("B policy\n\nVersion 3.1, Stand: 1. Oktober 2026\n\nText.\n")
    (tmp_path / "c.md").write_text("# C\n\nEffective 1 March 2026.\n\nText.\n")
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  c.md: {url: 'https://intra.example/c', title: C policy}\n"
        "  d.pdf: https://intra.example/d\n"
    )
    info = DocumentInfoIndex(tmp_path)
    assert info.get("a.md").url == "https://intra.example/a"
    assert info.get("a.md").version == "Version 4 · 2026-05-01"
    assert info.get("b.txt").version == "Version 3.1, Stand: 1. Oktober 2026"
    assert (info.get("c.md").url, info.get("c.md").version) == (
        "https://intra.example/c", "Effective 1 March 2026",
    )  # fmt: skip
    assert info.get("d.pdf").url == "https://intra.example/d" and not info.get("nope.md").url
    loaded = load_document(tmp_path / "a.md")
    assert loaded.title == "A" and "url:" not in " ".join(
        loaded.text[b.start : b.end] for b in loaded.blocks
    )  # front matter is metadata, not guideline text


def test_german_slack_texts_address_the_employee_as_the_advice_does_by_default():
    """One form in one message: the frame must not say "du" around advice that says "Sie"."""
    from bot.slack.texts import LABELS

    informal = re.compile(r"\b(?:du|dein\w*|dir|dich|frag|wende|schick|versuch|schreib|füge)\b",
                          re.IGNORECASE)  # fmt: skip
    german = {key: texts["de"] for key, texts in LABELS.items() if "de" in texts}
    assert not {key: text for key, text in german.items() if informal.search(text)}
