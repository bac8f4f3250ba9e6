"""The review form, App Home and the failure messages, rendered exactly.

Pure builders again: the form must hand back what the user entered and fit Slack's input limit,
Home must stay within 100 blocks and show admins' sections only to admins, and every kind of
failure has its own friendly sentence.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.errors import BusyError, IndexMissingError, InputError, RateLimitedError, StoreCorruptError
from bot.models import DocumentStatus, IndexStatus
from bot.slack.blocks import error_text
from bot.slack.surfaces import AdminData, home_view, parse_submission, review_modal
from tests.slack_requests import rendered as texts

T_DOC = 1_700_000_000.0  # 2023-11-14
T_INDEX = 1_700_086_400.0
DOC_DATE = "<!date^1700000000^{date_short}|2023-11-14>"


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            InputError("Your draft is 20,000 characters long."),
            "Your draft is 20,000 characters long.",
        ),
        (RateLimitedError("Please try again in 3 minutes."), "Please try again in 3 minutes."),
        (BusyError("x"), "I'm very busy right now. Please try again in a minute."),
        (
            IndexMissingError("/store"),
            "The guidelines have not been indexed yet, so I can't "
            "answer. Please tell #comms (an admin can run `/guidelines reindex`).",
        ),
        (
            StoreCorruptError("/store", "boom"),
            "Sorry, something went wrong on my side. Please "
            "try again in a minute; if it keeps happening, ask #comms.",
        ),
        (
            KeyError("secret draft text"),
            "Sorry, something went wrong on my side. Please try "
            "again in a minute; if it keeps happening, ask #comms.",
        ),
    ],
)
def test_each_kind_of_failure_has_its_own_friendly_message(error, expected):
    assert error_text(error, "en", "#comms") == expected


def test_the_modal_is_prefilled_and_hands_back_what_the_user_entered():
    view = review_modal("en", draft="x" * 3500, account="company", platform="x", channel="C7")
    draft_block = next(b for b in view["blocks"] if b.get("block_id") == "draft")
    assert draft_block["element"]["max_length"] == 3000
    assert draft_block["element"]["initial_value"] == "x" * 3000
    assert view["blocks"][0]["type"] == "context"  # says the draft was cut to fit
    view["state"] = {
        "values": {
            "draft": {"text": {"value": "My post"}},
            "account": {"value": {"selected_option": {"value": "company"}}},
            "platform": {"value": {"selected_option": {"value": "linkedin"}}},
        }
    }
    form = parse_submission(view)
    assert (form.draft, form.account, form.platform, form.channel, form.language) == (
        "My post",
        "company",
        "linkedin",
        "C7",
        "en",
    )


def status(documents: int) -> IndexStatus:
    docs = [DocumentStatus(f"en/doc-{i}.md", 3, "en", "h", T_DOC) for i in range(documents)]
    return IndexStatus(docs, 3 * documents, {"en": documents}, T_INDEX, "use", [])


def test_home_shows_documents_with_dates_and_admin_sections_only_to_admins():
    gap = type("Gap", (), {})
    gaps = []
    for text in ["May I post <!channel>?", "may i  post <!channel>?", "Other question"]:
        g = gap()
        g.text, g.count, g.last_seen = text, 2, datetime(2023, 11, 15, tzinfo=UTC)
        gaps.append(g)
    admin = AdminData(gaps, {"ask": {"helpful": 3, "not_helpful": 1, "unclear_guideline": 2}}, [])
    user_view = home_view(status(2), "en")
    admin_view = home_view(status(2), "en", admin)
    assert f"• `en/doc-0.md` · en · 3 · {DOC_DATE}" in texts(user_view["blocks"])
    assert not any("Knowledge gaps" in t for t in texts(user_view["blocks"]))
    admin_texts = texts(admin_view["blocks"])
    gap_text = next(t for t in admin_texts if "May I post" in t)
    assert gap_text.count("post &lt;!channel&gt;?") == 1  # repeats shown once, escaped
    assert "Answers: :thumbsup: 3 · :thumbsdown: 1 · :grey_question: 2" in admin_texts


def test_home_with_hundreds_of_documents_stays_within_a_hundred_blocks():
    view = home_view(status(500), "de", AdminData())
    assert len(view["blocks"]) <= 100
    assert any(t.startswith("*Leitlinien:* 500 Dokumente") for t in texts(view["blocks"]))
