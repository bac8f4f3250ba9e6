"""Every sentence guidebot says in Slack, in German and English.

The core decides the language of a result (`Answer.language`, `Review.language`); the Slack
shell frames it in the same language, so a German question gets "Quellen", not "Sources".
"""

from __future__ import annotations

from typing import Any

LABELS: dict[str, dict[str, str]] = {
    "sources": {"en": "Sources", "de": "Quellen"},
    "indexed": {"en": "Guidelines as of {date}", "de": "Leitlinien-Stand {date}"},
    "review_mode_embedded": {
        "en": "Checked against the guidelines without AI",
        "de": "Ohne KI anhand der Leitlinien geprüft",
    },
    "review_mode_llm": {
        "en": "Checked by an AI model against the guidelines",
        "de": "Von einem KI-Modell anhand der Leitlinien geprüft",
    },
    "answer_mode_embedded": {
        "en": "Answer taken straight from the guidelines (no AI)",
        "de": "Antwort direkt aus den Leitlinien (ohne KI)",
    },
    "answer_mode_llm": {
        "en": "Answer written by an AI model from the guidelines",
        "de": "Antwort von einem KI-Modell auf Basis der Leitlinien",
    },
    "gap_logged": {
        "en": "I've noted this as an open question for the guideline owners.",
        "de": "Ich habe das als offene Frage für die Verantwortlichen der Leitlinien notiert.",
    },
    "verdict_ok": {"en": "Good to post", "de": "Kann so veröffentlicht werden"},
    "verdict_needs_changes": {
        "en": "Needs changes before posting",
        "de": "Bitte vor dem Posten überarbeiten",
    },
    "verdict_do_not_post": {"en": "Do not post this", "de": "So bitte nicht veröffentlichen"},
    "no_findings": {
        "en": "I found nothing in your draft that conflicts with the guidelines.",
        "de": "Ich habe in deinem Entwurf nichts gefunden, was den Leitlinien widerspricht.",
    },
    "findings": {"en": "{n} thing(s) to look at:", "de": "{n} Punkt(e) zum Anschauen:"},
    "more_findings": {"en": "…and {n} more.", "de": "…und {n} weitere."},
    "excerpt": {"en": "In your draft", "de": "In deinem Entwurf"},
    "rule": {"en": "Rule", "de": "Regel"},
    "fix": {"en": "Fix", "de": "So geht's"},
    "suggested": {"en": "Suggested version", "de": "Vorschlag für deinen Text"},
    "severity_blocker": {"en": "blocker", "de": "Ausschlussgrund"},
    "severity_warning": {"en": "warning", "de": "Warnung"},
    "severity_info": {"en": "hint", "de": "Hinweis"},
    "rereview": {"en": "Edit and review again", "de": "Bearbeiten und neu prüfen"},
    "helpful": {"en": "Helpful", "de": "Hilfreich"},
    "not_helpful": {"en": "Not helpful", "de": "Nicht hilfreich"},
    "unclear_guideline": {"en": "This guideline is unclear", "de": "Diese Leitlinie ist unklar"},
    "thanks": {
        "en": "Thanks, your feedback is recorded.",
        "de": "Danke, deine Rückmeldung ist gespeichert.",
    },
    "thanks_unclear": {
        "en": "Thanks, the guideline owners will see that this part is unclear.",
        "de": "Danke, die Verantwortlichen sehen, dass diese Stelle unklar ist.",
    },
    "reviewing": {
        "en": ":mag: Checking your draft against the guidelines…",
        "de": ":mag: Ich prüfe deinen Entwurf anhand der Leitlinien…",
    },
    "empty_question": {
        "en": "Ask me anything about our social-media guidelines, e.g. "
        "_May I post photos from the office?_",
        "de": "Frag mich alles zu unseren Social-Media-Leitlinien, z. B. "
        "_Darf ich Fotos aus dem Büro posten?_",
    },
    "error": {
        "en": "Sorry, something went wrong on my side. Please try again in a minute; "
        "if it keeps happening, ask {contact}.",
        "de": "Entschuldigung, bei mir ist etwas schiefgegangen. Bitte versuch es gleich "
        "noch einmal; wenn es so bleibt, wende dich an {contact}.",
    },
    "busy": {
        "en": "I'm very busy right now. Please try again in a minute.",
        "de": "Ich bin gerade stark ausgelastet. Bitte versuch es gleich noch einmal.",
    },
    "index_missing": {
        "en": "The guidelines have not been indexed yet, so I can't answer. "
        "Please tell {contact} (an admin can run `/guidelines reindex`).",
        "de": "Die Leitlinien sind noch nicht indexiert, daher kann ich nicht antworten. "
        "Bitte gib {contact} Bescheid (Admins können `/guidelines reindex` ausführen).",
    },
    "draft_cut": {
        "en": "Your draft was longer than a Slack form can hold; only the first {n:,} "
        "characters are in the form.",
        "de": "Dein Entwurf ist länger, als ein Slack-Formular fassen kann; nur die ersten "
        "{n:,} Zeichen stehen im Formular.",
    },
    "draft_not_kept": {
        "en": "Your draft was too long to carry over; please paste the edited version.",
        "de": "Dein Entwurf war zu lang zum Übernehmen; bitte füge die bearbeitete Fassung ein.",
    },
    "modal_title": {"en": "Review a post", "de": "Post prüfen"},
    "modal_submit": {"en": "Review", "de": "Prüfen"},
    "modal_cancel": {"en": "Cancel", "de": "Abbrechen"},
    "modal_draft": {"en": "Your draft", "de": "Dein Entwurf"},
    "modal_draft_hint": {
        "en": "Paste the post exactly as you plan to publish it.",
        "de": "Füge den Post so ein, wie du ihn veröffentlichen willst.",
    },
    "modal_account": {"en": "Posted from", "de": "Veröffentlicht über"},
    "account_personal": {"en": "My personal account", "de": "Mein privater Account"},
    "account_company": {"en": "A company account", "de": "Ein Unternehmensaccount"},
    "modal_platform": {"en": "Platform", "de": "Plattform"},
    "modal_empty": {"en": "Please paste your draft.", "de": "Bitte füge deinen Entwurf ein."},
    "admin_only": {
        "en": "Sorry, only guidebot admins can do that. Please ask {contact}.",
        "de": "Das dürfen leider nur guidebot-Admins. Bitte wende dich an {contact}.",
    },
    "reindex_started": {
        "en": ":arrows_counterclockwise: Re-indexing the guidelines; I'll tell you when it's done.",
        "de": ":arrows_counterclockwise: Ich indexiere die Leitlinien neu und melde mich, "
        "wenn es fertig ist.",
    },
    "reindex_running": {
        "en": "A re-index is already running; I'll report when it's done.",
        "de": "Es läuft bereits eine Neuindexierung; ich melde mich, wenn sie fertig ist.",
    },
    "reindex_done": {
        "en": ":white_check_mark: Re-index done in {seconds:.1f} s: {documents} documents, "
        "{changed} changed, {chunks} passages.",
        "de": ":white_check_mark: Neuindexierung fertig in {seconds:.1f} s: {documents} "
        "Dokumente, {changed} geändert, {chunks} Abschnitte.",
    },
    "reindex_warnings": {
        "en": ":warning: Not indexed: {files}",
        "de": ":warning: Nicht indexiert: {files}",
    },
}


def label(key: str, language: str, **values: Any) -> str:
    """The text for `key` in `language` (English when a translation is missing)."""
    texts = LABELS[key]
    text = texts.get(language) or texts["en"]
    return text.format(**values) if values else text
