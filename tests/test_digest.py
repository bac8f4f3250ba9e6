"""The "what changed" digest of the guidelines' changes, posted when an index run changes them.

The digest itself is compared exactly on chunks; then a small bilingual knowledge folder is
indexed, a section edited and `/guidelines reindex` run through the real bolt app: the digest
goes to GUIDEBOT_ANNOUNCE_CHANNEL in both languages, with the document's link, App Home shows
it, a whitespace-only edit posts nothing, and `guidebot index --announce` posts from the CLI.
"""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.engine import Engine
from bot.index.digest import SectionChange, compute_digest
from bot.index.store import open_store
from bot.models import Chunk
from tests.conftest import make_settings
from tests.slack_requests import ADMIN, all_text, command_body, event_body, make_bot, send

POLICY = """---
url: https://intranet.example/policy
version: "2.0"
---
# Social Media Policy

## Photos
Office photos are welcome. Never show visitor badges.

## Customers
Do not name customers without their written approval.
"""
LEITLINIEN = """# Leitlinien
Version 1.0, Stand: 1. März 2026

## Fotos
Fotos aus dem Büro sind willkommen, Besucherausweise bitte nie zeigen.
"""


def chunk(source: str, section: str, text: str, position: int = 0) -> Chunk:
    return Chunk(f"{source}{position}", source, section, text, "en", position, "h", 0.0)


def test_the_digest_names_added_changed_and_removed_sections_and_documents():
    old = [chunk("a.md", "A > One", "Same."), chunk("a.md", "A > Two", "Old text."),
           chunk("a.md", "A > Gone", "Bye."), chunk("b.md", "B", "Removed doc.")]  # fmt: skip
    new = [chunk("a.md", "A > One", "  Same.\n"), chunk("a.md", "A > Two", "New text."),
           chunk("a.md", "A > New", "Hi."), chunk("c.md", "C", "New doc.")]  # fmt: skip
    digest = compute_digest(old, new, "g2", lambda s: "https://x.example/a" if s == "a.md" else "")
    assert digest.sections == [
        SectionChange("a.md", "A > New", "added"),
        SectionChange("a.md", "A > Two", "changed"),
        SectionChange("a.md", "A > Gone", "removed"),
    ]
    assert (digest.documents_added, digest.documents_removed) == (["c.md"], ["b.md"])
    assert digest.links == {"a.md": "https://x.example/a"}
    whitespace = [chunk("a.md", "A >  One", "Same.   ")]
    assert not compute_digest([chunk("a.md", "A > One", "Same.")], whitespace, "g3")


@pytest.fixture
def small_folder(tmp_path, embedder):  # type: ignore[no-untyped-def]
    knowledge = tmp_path / "knowledge"
    (knowledge / "en").mkdir(parents=True)
    (knowledge / "de").mkdir()
    (knowledge / "en" / "policy.md").write_text(POLICY, encoding="utf-8")
    (knowledge / "de" / "leitlinien.md").write_text(LEITLINIEN, encoding="utf-8")
    settings = make_settings(tmp_path, knowledge)
    engine = Engine(settings, open_store(settings), embedder)
    engine.reindex()
    return engine, knowledge


def _reindex(app, fake, name: str):  # type: ignore[no-untyped-def]
    send(app, command_body("/guidelines", "reindex", fake.response_url(name), user=ADMIN))
    return fake.wait_for(
        "response_url",
        where=lambda c: c.path == f"/response/{name}" and "Re-index done" in all_text(c),
    )


def test_a_changed_section_is_announced_once_in_both_languages_and_shown_on_home(
    small_folder, fake, tmp_path
):  # type: ignore[no-untyped-def]
    engine, knowledge = small_folder
    app, _ = make_bot(engine, fake, tmp_path, announce_channel="CANN")
    policy = knowledge / "en" / "policy.md"
    policy.write_text(POLICY.replace("visitor badges", "badges or screens"), encoding="utf-8")
    _reindex(app, fake, "r1")
    posted = fake.wait_for("chat.postMessage", where=lambda c: c.args["channel"] == "CANN")
    shown = all_text(posted[0])
    assert "Changed sections" in shown and "Geänderte Abschnitte" in shown
    assert "_Photos_ (<https://intranet.example/policy|en/policy.md>)" in shown
    assert "Customers" not in shown  # unchanged sections are not listed
    assert posted[0].args["text"].endswith(("have changed: Photos", "geändert: Photos"))

    policy.write_text(POLICY.replace("visitor badges", "badges or screens") + "\n\n  \n")
    _reindex(app, fake, "r2")  # only whitespace: nothing to tell
    (knowledge / "en" / "new-rules.md").write_text("# New\n\n## Live video\nAsk first.\n")
    _reindex(app, fake, "r3")
    posted = fake.wait_for("chat.postMessage", 2, where=lambda c: c.args["channel"] == "CANN")
    assert len(posted) == 2 and "New documents" in all_text(posted[1])
    assert "`en/new-rules.md`" in all_text(posted[1])

    send(app, event_body({"type": "app_home_opened", "user": "U1", "tab": "home"}, "EvH"))
    home = all_text(fake.wait_for("views.publish")[0])
    assert "What changed recently" in home and "Photos" in home and "new-rules.md" in home


def test_guidebot_index_announce_posts_the_digest_from_the_command_line(
    small_folder, fake, tmp_path, monkeypatch
):  # type: ignore[no-untyped-def]
    engine, knowledge = small_folder
    for name, value in {
        "SLACK_BOT_TOKEN": "xoxb-cli",
        "SLACK_API_URL": fake.api_url,
        "GUIDEBOT_ANNOUNCE_CHANNEL": "CCLI",
        "GUIDEBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "GUIDEBOT_AUDIT_SALT": "s",
    }.items():
        monkeypatch.setenv(name, value)
    leitlinien = knowledge / "de" / "leitlinien.md"
    leitlinien.write_text(LEITLINIEN.replace("nie zeigen", "niemals zeigen"), encoding="utf-8")
    store = str(engine.settings.store_dir)
    assert (
        main(["index", "--announce", "--quiet", "--knowledge", str(knowledge), "--store", store])
        == 0
    )
    posted = fake.wait_for("chat.postMessage", where=lambda c: c.args["channel"] == "CCLI")[0]
    assert "Fotos" in all_text(posted) and "`de/leitlinien.md`" in all_text(posted)
    monkeypatch.delenv("GUIDEBOT_ANNOUNCE_CHANNEL")
    assert main(["index", "--announce", "--knowledge", str(knowledge), "--store", store]) == 1
