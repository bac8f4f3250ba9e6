"""Asking the guidelines: cross-language retrieval, abstention, the JSON contract, LLM mode."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import BaseMessage
from pydantic import Field

from bot.ask.answering import TOP_K
from bot.ask.lexical import LexicalIndex, content_words
from bot.ask.quotes import best_quotes
from bot.ask.rerank import RERANK_FROM
from bot.ask.retrieval import translate_terms
from bot.engine import Engine, build_engine
from bot.index.loaders import load_document
from bot.index.store import open_store
from bot.models import Turn
from bot.orgnames import name_pattern
from tests.conftest import make_settings, run_guidebot


@pytest.fixture(scope="module")
def engine(sample_index) -> Engine:  # type: ignore[no-untyped-def]
    return build_engine(sample_index)


def test_a_german_question_finds_the_english_rule(engine):
    answer = engine.ask("Darf ich KI-generierte Bilder von Kunden auf LinkedIn posten?")
    assert answer.language == "de" and answer.answered
    assert any(
        s.source == "en/employee-social-media-policy.md" and "AI-generated" in s.text
        for s in answer.sources
    )
    # the rule forbids it, so the German gist says no before the English quote
    assert answer.answer.startswith("Nein, das schließen die Leitlinien aus:")


def test_an_english_question_finds_the_german_rule(engine):
    answer = engine.ask("can i take a pic of the whiteboard in the meeting room for instagram?")
    assert answer.language == "en"
    assert any("Whiteboards" in s.text and s.source.startswith("de/") for s in answer.sources)


def test_an_uncovered_question_abstains_and_names_the_contact(engine):
    answer = engine.ask("Wie beantrage ich Elternzeit?")
    assert not answer.answered
    assert "#comms" in answer.answer and answer.language == "de"


def test_a_platform_how_to_in_guideline_words_abstains_but_the_rule_question_is_answered(engine):
    how_to = engine.ask("wie kann ich bei instagram einen beitrag archivieren statt löschen?")
    assert not how_to.answered  # "archivieren", "löschen": guideline words, not a guideline topic
    rule = engine.ask("Darf ich auf LinkedIn über unser unveröffentlichtes Produkt schreiben?")
    assert rule.answered


def test_the_offtopic_check_reads_a_question_whole_and_without_its_frame(engine):
    """The frame ("how do i", "wie bestelle ich") can weigh as much as the topic in a short
    question; the check takes the closer of both readings, so neither hides an everyday one."""
    assert content_words("How do I know if I can share a customer photo?") == (
        "know share customer photo"
    )
    assert not engine.ask("Wie bestelle ich Pizza für das Team?").answered
    assert engine.ask("how do i know if i can share a customer photo?").answered


def test_extractive_answer_quotes_guideline_sentences_verbatim(engine, sample_index):
    answer = engine.ask("How long are business posts archived?")
    assert answer.answered and answer.mode == "embedded"
    quoted = [line for line in answer.answer.splitlines() if line.startswith("> “")]
    assert quoted
    for line in quoted:
        sentence = line[3 : line.rindex("”")]
        number = int(line[line.rindex("[") + 1 : line.rindex("]")])
        source = answer.sources[number - 1]
        assert sentence in source.text
        original = load_document(sample_index.knowledge_dir / source.source).text
        assert sentence in original


def test_a_word_most_guidelines_use_is_not_translated_into_the_other_language():
    index = LexicalIndex(
        [
            "Every post needs approval.",
            "A post about results needs sign-off.",
            "Photos in a post need consent.",
            "Ein Beitrag über Kunden ist tabu. Jeder Beitrag wird archiviert.",
        ],
        ["en", "en", "en", "de"],
    )
    assert "post" in index.common("en")
    terms = translate_terms("can i post this photo", "en", index.common("en"))
    assert "beitrag" not in terms  # would favour the German chunk that says it twice
    assert "foto" in terms  # a topic word still crosses the language


def test_quoted_list_items_are_quoted_without_their_list_marker(engine):
    for question in [
        "Darf ich Fotos vom neuen Prototyp auf LinkedIn posten?",
        "can i say on linkedin that our team supports a candidate in the mayor election?",
    ]:
        answer = engine.ask(question)
        quoted = [line[3 : line.rindex("”")] for line in answer.answer.splitlines() if "“" in line]
        assert quoted, answer.answer
        assert not [q for q in quoted if q.startswith(("- ", "* ", "• "))]
        assert all(any(q in s.text for s in answer.sources) for q in quoted)


def test_eval_questions_reports_recall_abstention_and_misses(sample_index, tmp_path):
    labelled = [
        {
            "id": "same-language",
            "question": "Darf ich Fotos vom neuen Prototyp auf LinkedIn posten?",
            "covered": True,
            "source": "de/social-media-leitlinien.md",
            "key_phrase": "Labore und Prüfstände dürfen Sie nur mit Genehmigung",
        },
        {
            "id": "cross-language",
            "question": "Darf ich KI-generierte Bilder von Kunden auf LinkedIn posten?",
            "covered": True,
            "cross_lingual": True,
            "source": "en/employee-social-media-policy.md",
            "key_phrase": "Do not publish AI-generated images or videos that show real people",
        },
        {
            "id": "mislabelled",
            "question": "Who decides on interviews?",
            "covered": True,
            "source": "en/employee-social-media-policy.md",
            "key_phrase": "a sentence no guideline contains",
        },
        {"id": "uncovered", "question": "Wie beantrage ich Elternzeit?", "covered": False},
    ]
    questions = tmp_path / "questions.jsonl"
    questions.write_text("\n".join(json.dumps(q) for q in labelled), encoding="utf-8")
    run = _cli("eval", "questions", "--json", str(questions), settings=sample_index)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    ours = result["guidebot"]
    assert (ours["covered"], ours["uncovered"], ours["cross_lingual"]) == (3, 1, 1)
    assert ours["recall@5"] == pytest.approx(2 / 3)
    assert ours["cross_lingual_recall@5"] == 1.0
    assert ours["abstention_uncovered"] == 1.0
    assert result["misses"] == ["mislabelled"]
    assert 0 < ours["answer_quotes_key"] <= 2 / 3  # the mislabelled one cannot be quoted
    table = _cli("eval", "questions", str(questions), settings=sample_index).stdout
    assert "| recall@5 | 0.67 |" in table and "| abstention on uncovered | 1.00 |" in table


def test_an_answer_never_quotes_a_bare_link(tmp_path, embedder):
    guide = (
        "# Leitfaden\n\n## Darf ich während der Arbeitszeit Social Media nutzen?\n\n"
        "(Seite: https://example.org/fragen/social-media-arbeitszeit-nutzen)\n\n"
        "Das hängt von Ihrer Dienststelle ab; fragen Sie Ihre Vorgesetzten.\n"
    )
    engine = _engine_over(tmp_path, embedder, {"guide.md": guide})
    answer = engine.ask("darf ich während der arbeitszeit social media nutzen?")
    assert answer.answered, answer.answer
    assert "Dienststelle" in answer.answer
    assert "https://" not in answer.answer


def test_an_answer_quotes_the_faq_answer_not_the_faq_question(tmp_path, embedder):
    faq = (
        "# Social media FAQ\n\n"
        "**I took a photo of the sunrise from the cockpit. Can I post it after landing?**\n\n"
        "Yes, once the aircraft is parked, provided no instruments or screens are visible.\n\n"
        "**A journalist messaged me on LinkedIn. Can I reply?**\n\n"
        "Forward the message to the press office and do not reply yourself.\n"
    )
    engine = _engine_over(tmp_path, embedder, {"faq.md": faq})
    answer = engine.ask("may I post my cockpit sunrise photo once we have landed?")
    assert answer.answered, answer.answer
    assert "instruments or screens" in answer.answer
    assert "I took a photo" not in answer.answer and "Can I" not in answer.answer


BRIGHTFIELD_POLICY = """# Brightfield Foods social media policy

## Product safety reports

If anyone tells you online that one of our products made them ill, caused an allergic reaction
or contained a foreign body, you must pass it to Product Safety within one working day, even if
it sounds like a joke. Do not reply with advice yourself.

## Our factories

Photography in the production halls is not permitted without a permit from Site Security,
because recipes and machine settings can be read from pictures.

## FAQ

**Can I like a post by a charity I support?**
Yes, as long as the post is not about one of our brands.

**Can I post a photo of my team at the summer party?**
Yes, if everyone in the picture agrees.

**Can I share a job advert on LinkedIn?**
Yes, please do: share the official advert from the careers page.

**Can I post about my own volunteering?**
Yes, on your private account.
"""


@pytest.fixture
def brightfield(tmp_path, embedder):  # type: ignore[no-untyped-def]
    return _engine_over(
        tmp_path, embedder, {"brightfield-social-media-policy.md": BRIGHTFIELD_POLICY}
    )


RASH = (
    "someone replied to our insta post saying our crisps gave them a rash lol, do i need to do"
    " anything?"
)


@pytest.mark.parametrize(
    "question",
    [
        RASH,
        "jemand schreibt auf facebook, unser müsli hätte ihm bauchweh gemacht – muss ich was tun?",
    ],
)
def test_an_faq_that_resembles_every_question_does_not_outrank_the_rule(brightfield, question):
    """An FAQ block of "Can I post …?" questions looks like any question; the section that
    answers comes first all the same (bot/ask/hubness.py)."""
    answer = brightfield.ask(question)
    assert answer.sources[0].section.endswith("Product safety reports"), answer.sources[0]


def test_a_hard_wrapped_rule_is_quoted_as_the_whole_sentence(brightfield):
    """A paragraph wrapped over several lines is one sentence, not a quote cut at a line end."""
    answer = brightfield.ask(RASH)
    assert answer.answered, answer.answer
    assert "caused an allergic reaction or contained a foreign body" in " ".join(
        answer.answer.split()
    )
    assert "Product Safety within one working day" in answer.answer


QUILLMORE_POLICY = """# Quillmore Dairy social media policy

## About this policy

Quillmore Dairy staff post about their work on LinkedIn, Instagram, Facebook and TikTok. This
policy explains how posting on social media works at Quillmore: which accounts exist, who may
post on them, how photos, videos, stories and reels of our work appear online, and where to ask
when something is unclear. It applies to every employee, trainee and contractor, on personal
and official accounts alike.

## Photos, videos and stories

Good photos and short videos make a story or a reel better. Use natural light, keep the frame
tidy and film in portrait for Instagram stories. Ask colleagues before they appear in a video.
The communications team shares a guide to filming with a phone every spring, and it is happy to
look at a clip before you post it.

## Visiting the plant

Visitors get a safety briefing at the gate, and hairnets and boots are handed out in the
changing rooms. Do not film or photograph the filling lines, not even for a private story.
Tours for schools are booked through reception.

## Contacts

Questions go to the communications team at comms@quillmore.example.
"""


@pytest.mark.parametrize(
    "question",
    ["quick video of the filling line for my reel, ok?",
     "short clip of the filling lines for my story, fine?"],
)  # fmt: skip
def test_the_section_holding_the_rule_outranks_one_that_only_shares_its_topic(
    tmp_path, embedder, question
):  # type: ignore[no-untyped-def]
    """A section all about videos and stories scores best as a whole; the one with the single
    sentence that rules on filming the filling line comes first (bot/ask/rerank.py), and that
    sentence is the quote. (Whether such a terse question counts as covered is the abstention
    model's call, measured in BENCHMARKS.md, not this test's.)"""
    engine = _engine_over(
        tmp_path, embedder, {"quillmore-social-media-policy.md": QUILLMORE_POLICY}
    )
    retriever = engine.retriever
    query = retriever.query_vector(question, [])
    hits = retriever.hits(question, [], k=TOP_K, query=query)
    assert hits[0].chunk.section.endswith("Visiting the plant"), hits[0].chunk.section
    quote = best_quotes(retriever, question, query, hits)[0]
    assert "Do not film or photograph the filling lines" in quote.text


def test_every_passage_can_be_listed_best_first_beyond_the_re_ranked_top(engine):
    """Asking for more passages than the ranker re-orders lists each chunk once, the re-ordered
    ones first with their probabilities (which sum to at most 1), then the rest."""
    snapshot = engine.retriever.snapshot
    hits = engine.retriever.hits("May I post photos of the office?", k=len(snapshot.chunks))
    assert len(snapshot.chunks) > RERANK_FROM
    assert sorted(h.chunk.id for h in hits) == sorted(c.id for c in snapshot.chunks)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True) and 0.99 < sum(scores) <= 1.0 + 1e-9
    assert all(h.score == 0.0 for h in hits[RERANK_FROM:])


def test_a_follow_up_uses_the_earlier_turns(engine):
    alone = engine.ask("und auf Instagram?")
    followed = engine.ask(
        "und auf Instagram?", history=[Turn("Darf ich Fotos vom Whiteboard auf LinkedIn posten?")]
    )
    assert any("Whiteboards" in s.text for s in followed.sources)
    assert not any("Whiteboards" in s.text for s in alone.sources[:1])


def _cli(*args: str, stdin: str | None = None, settings) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    paths = ["--knowledge", str(settings.knowledge_dir), "--store", str(settings.store_dir)]
    return run_guidebot(*args, *paths, work=settings.store_dir.parent, stdin=stdin)


def test_cli_json_contract(sample_index):
    run = _cli(
        "ask",
        "--json",
        "Darf ich Fotos vom neuen Prototyp auf LinkedIn posten?",
        settings=sample_index,
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert set(data) >= {"answer", "answered", "language", "mode", "sources"}
    assert isinstance(data["answer"], str) and isinstance(data["answered"], bool)
    assert data["language"] == "de" and data["mode"] == "embedded"
    assert 1 <= len(data["sources"]) <= 5
    scores = [s["score"] for s in data["sources"]]
    assert scores == sorted(scores, reverse=True)
    for source in data["sources"]:
        assert set(source) == {"source", "section", "text", "score"}
        original = load_document(sample_index.knowledge_dir / source["source"]).text
        assert source["text"] in original
    assert any("Prototyp" in s["text"] for s in data["sources"][:3])


def test_cli_jsonl_answers_each_line_in_order(sample_index):
    run = _cli(
        "ask",
        "--jsonl",
        stdin="Wer darf für Nordlicht sprechen?\nDo I need #ad for a gifted product?\n",
        settings=sample_index,
    )
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert [line["language"] for line in lines] == ["de", "en"]


class RecordingChatModel(FakeListChatModel):
    """LangChain's fake chat model that also keeps the messages it was sent."""

    received: list[list[BaseMessage]] = Field(default_factory=list)

    def _call(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> str:
        self.received.append(messages)
        return super()._call(messages, *args, **kwargs)


class BrokenChatModel(FakeListChatModel):
    def _call(self, *args: Any, **kwargs: Any) -> str:
        raise TimeoutError("provider timed out")


def _engine_with(settings, embedder, model) -> Engine:  # type: ignore[no-untyped-def]
    return Engine(settings, open_store(settings), embedder, chat_model=model)


def test_llm_sees_the_passages_and_the_language_and_bad_citations_are_dropped(
    sample_index, embedder
):
    model = RecordingChatModel(responses=["Nein, Prototypen sind vertraulich [1]. Siehe auch [9]."])
    answer = _engine_with(sample_index, embedder, model).ask(
        "Darf ich Fotos vom neuen Prototyp posten?"
    )
    system, user = (m.content for m in model.received[0])
    assert "German" in system
    assert "<question>\nDarf ich Fotos vom neuen Prototyp posten?\n</question>" in user
    assert answer.mode == "llm" and answer.answered
    assert "[9]" not in answer.answer and "[1]" in answer.answer
    assert len(answer.sources) == 1 and answer.sources[0].text in user


def test_llm_saying_not_covered_abstains(sample_index, embedder):
    model = RecordingChatModel(responses=["NOT_COVERED"])
    answer = _engine_with(sample_index, embedder, model).ask("Darf ich Fotos vom Prototyp posten?")
    assert not answer.answered and "#comms" in answer.answer


def test_a_failing_llm_falls_back_to_the_embedded_answer_and_says_so(sample_index, embedder):
    answer = _engine_with(sample_index, embedder, BrokenChatModel(responses=["x"])).ask(
        "How long are business posts archived?"
    )
    assert answer.mode == "embedded" and answer.answered
    assert answer.note and "unavailable" in answer.note


@pytest.mark.parametrize(
    ("message", "language", "words"),
    [("hi", "en", "/review-post"), ("Hallo!", "de", "/review-post"), ("danke 🙏", "de", "Entwurf")],
)
def test_a_greeting_gets_help_not_a_guideline_quote(engine, message, language, words):
    answer = engine.ask(message)
    assert answer.kind == "help" and not answer.answered and answer.language == language
    assert words in answer.answer and "> “" not in answer.answer and answer.sources == []


def test_a_pasted_draft_is_reviewed_not_answered(engine):
    answer = engine.ask(
        "Can I post this: Polarstern is going to change everything, our pilot with Hafenwerk "
        "Logistik AG starts next week!"
    )
    assert answer.kind == "review" and answer.review is not None
    assert answer.review.verdict == "do_not_post"
    categories = {f.category for f in answer.review.findings}
    assert {"unreleased_product", "customer_info"} <= categories
    data = answer.to_json()
    assert data["kind"] == "review" and data["review"]["verdict"] == "do_not_post"
    assert "/review-post" in answer.answer


def test_a_may_i_question_leads_with_a_gist_that_follows_from_the_quoted_rule(engine):
    answer = engine.ask("May I post photos of the new prototype on LinkedIn?")
    assert answer.kind == "answer" and answer.answered
    first_line, quote = answer.answer.split("\n")[:2]
    # never "yes" for a rule about unreleased products: no, or only under its condition
    assert first_line in {"No, the guidelines rule this out:", "Only if you follow this rule:",
                          "Only under the condition the guidelines set:"}  # fmt: skip
    assert quote.startswith("> “")


def _engine_over(tmp_path, embedder, files: dict[str, str]) -> Engine:  # type: ignore[no-untyped-def]
    """An engine over a fresh index of a knowledge folder holding these files."""
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    for name, text in files.items():
        (knowledge / name).write_text(text, encoding="utf-8")
    settings = make_settings(tmp_path, knowledge)
    engine = Engine(settings, open_store(settings), embedder)
    engine.reindex()
    return engine


def _policy(org: str, photos_rule: str) -> str:
    return (
        f"# {org} social media policy\n\n## Who this covers\n\n"
        f"This policy applies to everyone who works for {org}. {org} staff represent {org} "
        f"online, and {org} expects them to read it.\n\n"
        f"## Photos\n\n{photos_rule}\n\n## Questions\n\nAsk the {org} communications team.\n"
    )


KESTREL = _policy(
    "Kestrel", "Photos of the workshop are welcome, but never show customer machines."
)


def test_a_question_naming_an_organisation_is_answered_from_its_document(tmp_path, embedder):
    brightwater = _policy(
        "Brightwater", "Photos of the lab may only be posted with approval of the lab manager."
    )
    engine = _engine_over(
        tmp_path, embedder, {"brightwater.md": brightwater, "kestrel.md": KESTREL}
    )
    for org, document in (("Kestrel", "kestrel.md"), ("Brightwater", "brightwater.md")):
        answer = engine.ask(f"I work at {org}: may I post photos from work?")
        assert answer.sources[0].source == document, org


def test_a_document_that_only_says_the_company_is_found_by_the_name_its_file_spells(
    tmp_path, embedder
):
    company = (
        "<!-- Source: exported from the Harrowgate intranet -->\n\n# Social media policy\n\n"
        "## Photos\n\nPhotos taken on company sites may only be posted with approval of the "
        "site manager.\n\n## Questions\n\nAsk the communications team of the Company.\n"
    )
    files = {"harrowgate-social-media-policy.md": company, "kestrel.md": KESTREL}
    engine = _engine_over(tmp_path, embedder, files)
    answer = engine.ask("i'm on a harrowgate site today, ok to post photos from here?")
    assert answer.sources[0].source == "harrowgate-social-media-policy.md"
    # the file's comment is a note about the file, never guideline text that gets quoted
    assert all("intranet" not in s.text for s in answer.sources)


def test_organisation_names_match_as_names_not_as_ordinary_words() -> None:
    pattern = name_pattern(["Infinity Works", "IW"])
    assert pattern is not None
    assert pattern.search("can I say I work at infinity works?")
    assert pattern.search("ok to tweet how well IW is doing?")
    assert not pattern.search("how it works, i think")
    assert not pattern.search("the iw key on my keyboard")  # initials only in capitals


def test_a_question_the_guideline_asks_itself_is_never_the_quoted_answer(tmp_path, embedder):
    faq = (
        "# Social media FAQ\n\n## Photos\n\nMay I post photos taken in the office on my own "
        "accounts? Only if no screens, whiteboards or visitors can be seen in them.\n"
    )
    engine = _engine_over(tmp_path, embedder, {"faq.md": faq})
    answer = engine.ask("can I post photos from the office on my instagram?")
    assert answer.answered
    assert "screens, whiteboards or visitors" in answer.answer
    assert "May I post photos taken in the office" not in answer.answer


HALDENBURG = """# Social-Media-Leitfaden der Stadtwerke Haldenburg

## Worum es geht

Viele Beschäftigte der Stadtwerke Haldenburg sind privat und beruflich in sozialen Medien
unterwegs. Dieser Leitfaden sagt, was beim Posten über die Arbeit gilt, auf privaten wie auf
offiziellen Kanälen, und wo Sie nachfragen können.

## Fotos und Videos

Gute Fotos und kurze Videos machen einen Beitrag lebendig. Achten Sie auf gutes Licht und
einen aufgeräumten Hintergrund. Fragen Sie Kolleginnen und Kollegen, bevor Sie sie filmen
oder fotografieren. Die Pressestelle hilft gern bei Bildauswahl und Bildrechten.

## Anlagen und Netze

Das Umspannwerk, die Kläranlage und die Leitwarte sind kritische Infrastruktur.
Luft- und Drohnenaufnahmen unserer Anlagen sind nur mit Genehmigung der Werkleitung erlaubt.
Besuchergruppen melden sich an der Pforte an.

## Kontakt

Fragen beantwortet die Pressestelle unter presse@stadtwerke-haldenburg.example.
"""


def test_a_question_word_the_guideline_only_uses_inside_a_compound_counts_as_shared(
    tmp_path, embedder
):  # type: ignore[no-untyped-def]
    """The question says "Drohne", the guideline only "Drohnenaufnahmen": the quote and passage
    rankers see the rule sentence share the question's rarest word (bot/ask/lexical.py)."""
    files = {"stadtwerke-haldenburg-leitfaden.md": HALDENBURG}
    retriever = _engine_over(tmp_path, embedder, files).retriever
    snapshot = retriever.snapshot
    rows = {snapshot.chunks[int(snapshot.sentence_chunk[i])].text[s.start : s.end]: i
            for i, s in enumerate(snapshot.sentences)}  # fmt: skip
    drones = next(i for text, i in rows.items() if "Drohnenaufnahmen" in text)
    visitors = next(i for text, i in rows.items() if "Besuchergruppen" in text)
    terms = retriever.question_terms("Darf ich meine Drohne über dem Werk fliegen lassen?", "de")
    assert terms.held_by("de", retriever.sentence_terms(drones)) > 0.2
    assert terms.held_by("de", retriever.sentence_terms(visitors)) == 0.0
