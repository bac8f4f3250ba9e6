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
        "de": "Ich habe in Ihrem Entwurf nichts gefunden, was den Leitlinien widerspricht.",
    },
    "findings": {"en": "{n} thing(s) to look at:", "de": "{n} Punkt(e) zum Anschauen:"},
    "more_findings": {"en": "…and {n} more.", "de": "…und {n} weitere."},
    "excerpt": {"en": "In your draft", "de": "In Ihrem Entwurf"},
    "rule": {"en": "Rule", "de": "Regel"},
    "fix": {"en": "Fix", "de": "So geht's"},
    "suggested": {"en": "Suggested version", "de": "Vorschlag für Ihren Text"},
    "severity_blocker": {"en": "blocker", "de": "Ausschlussgrund"},
    "severity_warning": {"en": "warning", "de": "Warnung"},
    "severity_info": {"en": "hint", "de": "Hinweis"},
    "rereview": {"en": "Edit and review again", "de": "Bearbeiten und neu prüfen"},
    "helpful": {"en": "Helpful", "de": "Hilfreich"},
    "not_helpful": {"en": "Not helpful", "de": "Nicht hilfreich"},
    "unclear_guideline": {"en": "This guideline is unclear", "de": "Diese Leitlinie ist unklar"},
    "thanks": {
        "en": "Thanks, your feedback is recorded.",
        "de": "Danke, Ihre Rückmeldung ist gespeichert.",
    },
    "thanks_unclear": {
        "en": "Thanks, the guideline owners will see that this part is unclear.",
        "de": "Danke, die Verantwortlichen sehen, dass diese Stelle unklar ist.",
    },
    "reviewing": {
        "en": ":mag: Checking your draft against the guidelines…",
        "de": ":mag: Ich prüfe Ihren Entwurf anhand der Leitlinien…",
    },
    "only_files": {
        "en": "This message has only files or images: there is no text for me to review. "
        "Paste the post's text with /review-post.",
        "de": "Diese Nachricht enthält nur Dateien oder Bilder: Da ist kein Text, den ich prüfen "
        "könnte. Fügen Sie den Text des Beitrags mit /review-post ein.",
    },
    "nothing_to_review": {
        "en": "This message has no text for me to review.",
        "de": "Diese Nachricht enthält keinen Text, den ich prüfen könnte.",
    },
    "empty_question": {
        "en": "Ask me anything about our social-media guidelines, e.g. "
        "_May I post photos from the office?_",
        "de": "Fragen Sie mich alles zu unseren Social-Media-Leitlinien, z. B. "
        "_Darf ich Fotos aus dem Büro posten?_",
    },
    "error": {
        "en": "Sorry, something went wrong on my side. Please try again in a minute; "
        "if it keeps happening, ask {contact}.",
        "de": "Entschuldigung, bei mir ist etwas schiefgegangen. Bitte versuchen Sie es "
        "gleich noch einmal; wenn es so bleibt, wenden Sie sich an {contact}.",
    },
    "busy": {
        "en": "I'm very busy right now. Please try again in a minute.",
        "de": "Ich bin gerade stark ausgelastet. Bitte versuchen Sie es gleich noch einmal.",
    },
    "index_missing": {
        "en": "The guidelines have not been indexed yet, so I can't answer. "
        "Please tell {contact} (an admin can run `/guidelines reindex`).",
        "de": "Die Leitlinien sind noch nicht indexiert, daher kann ich nicht antworten. "
        "Bitte geben Sie {contact} Bescheid (Admins können `/guidelines reindex` ausführen).",
    },
    "draft_cut": {
        "en": "Your draft was longer than a Slack form can hold; only the first {n:,} "
        "characters are in the form.",
        "de": "Ihr Entwurf ist länger, als ein Slack-Formular fassen kann; nur die ersten "
        "{n:,} Zeichen stehen im Formular.",
    },
    "draft_not_kept": {
        "en": "Your draft was too long to carry over; please paste the edited version.",
        "de": "Ihr Entwurf war zu lang zum Übernehmen; bitte fügen Sie die bearbeitete Fassung "
        "ein.",
    },
    "modal_title": {"en": "Review a post", "de": "Post prüfen"},
    "modal_submit": {"en": "Review", "de": "Prüfen"},
    "modal_cancel": {"en": "Cancel", "de": "Abbrechen"},
    "modal_draft": {"en": "Your draft", "de": "Ihr Entwurf"},
    "modal_draft_hint": {
        "en": "Paste the post exactly as you plan to publish it.",
        "de": "Fügen Sie den Post so ein, wie Sie ihn veröffentlichen wollen.",
    },
    "modal_account": {"en": "Posted from", "de": "Veröffentlicht über"},
    "account_personal": {"en": "My personal account", "de": "Mein privater Account"},
    "account_company": {"en": "A company account", "de": "Ein Unternehmensaccount"},
    "modal_platform": {"en": "Platform", "de": "Plattform"},
    "modal_empty": {"en": "Please paste your draft.", "de": "Bitte fügen Sie Ihren Entwurf ein."},
    "admin_only": {
        "en": "Sorry, only guidebot admins can do that. Please ask {contact}.",
        "de": "Das dürfen leider nur guidebot-Admins. Bitte wenden Sie sich an {contact}.",
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
    # -- "Ask comms to check" ------------------------------------------------------------------
    "ask_comms": {"en": "Ask comms to check", "de": "Comms fragen"},
    "ask_comms_confirm_title": {"en": "Ask comms?", "de": "Comms fragen?"},
    "ask_comms_confirm": {
        "en": "Your draft, guidebot's review and your name will be shown to the comms team "
        "in their review channel.",
        "de": "Ihr Entwurf, die Prüfung von guidebot und Ihr Name werden dem Comms-Team in "
        "seinem Review-Channel gezeigt.",
    },
    "ask_comms_send": {"en": "Send to comms", "de": "An Comms senden"},
    "cancel": {"en": "Cancel", "de": "Abbrechen"},
    "approval_sent": {
        "en": ":outbox_tray: Sent to comms. You'll get a direct message when they have decided.",
        "de": ":outbox_tray: An Comms geschickt. Sie bekommen eine Direktnachricht, sobald "
        "entschieden ist.",
    },
    "approval_paste_hint": {
        "en": "Your draft was too long to carry over with the button: paste it here as reviewed.",
        "de": "Ihr Entwurf war zu lang für den Button: fügen Sie ihn hier so ein, wie er "
        "geprüft wurde.",
    },
    "approval_off": {
        "en": "Approval requests are not set up (GUIDEBOT_REVIEW_CHANNEL); please ask {contact}.",
        "de": "Freigabeanfragen sind nicht eingerichtet (GUIDEBOT_REVIEW_CHANNEL); bitte "
        "wenden Sie sich an {contact}.",
    },
    "approval_request": {
        "en": ":inbox_tray: <@{user}> asks comms to check this draft",
        "de": ":inbox_tray: <@{user}> bittet Comms, diesen Entwurf zu prüfen",
    },
    "from_personal": {"en": "personal account", "de": "privater Account"},
    "from_company": {"en": "company account", "de": "Unternehmensaccount"},
    "approval_guidebot": {"en": "guidebot's review", "de": "Prüfung durch guidebot"},
    "approval_approve": {"en": "Approve", "de": "Freigeben"},
    "approval_request_changes": {"en": "Request changes", "de": "Änderungen anfordern"},
    "approval_use_example": {"en": "Use as example", "de": "Als Beispiel verwenden"},
    "approval_only_comms": {
        "en": "Sorry, only the comms team can decide on approval requests.",
        "de": "Über Freigabeanfragen kann nur das Comms-Team entscheiden.",
    },
    "decision_ok": {"en": ":white_check_mark: Approved", "de": ":white_check_mark: Freigegeben"},
    "decision_needs_changes": {
        "en": ":pencil2: Changes requested",
        "de": ":pencil2: Änderungen angefordert",
    },
    "decision_do_not_post": {
        "en": ":no_entry: Do not post",
        "de": ":no_entry: Nicht veröffentlichen",
    },
    "decision_expired": {
        "en": ":hourglass: Expired without a decision; the draft was deleted.",
        "de": ":hourglass: Ohne Entscheidung abgelaufen; der Entwurf wurde gelöscht.",
    },
    "decided_by": {"en": "{decision} by <@{user}>", "de": "{decision} von <@{user}>"},
    "decision_dm": {
        "en": "Comms has decided on your draft: {decision} by <@{user}>.",
        "de": "Comms hat über Ihren Entwurf entschieden: {decision} von <@{user}>.",
    },
    "expired_dm": {
        "en": ":hourglass: Your request to comms expired after {days} days without a decision; "
        "the draft was deleted. Please ask again or contact {contact}.",
        "de": ":hourglass: Ihre Anfrage an Comms ist nach {days} Tagen ohne Entscheidung "
        "abgelaufen; der Entwurf wurde gelöscht. Bitte fragen Sie erneut oder wenden Sie sich "
        "an {contact}.",
    },
    "comment": {"en": "Comment", "de": "Kommentar"},
    "changes_title": {"en": "Request changes", "de": "Änderungen anfordern"},
    "changes_submit": {"en": "Send", "de": "Senden"},
    "changes_comment_hint": {
        "en": "What should the author change? They get this as a direct message.",
        "de": "Was soll geändert werden? Die Person bekommt das als Direktnachricht.",
    },
    "changes_verdict": {"en": "Decision", "de": "Entscheidung"},
    "changes_empty": {
        "en": "Please write a comment.",
        "de": "Bitte schreiben Sie einen Kommentar.",
    },
    # -- review reply polish -------------------------------------------------------------------
    "checked_draft": {"en": "Your draft", "de": "Ihr Entwurf"},
    "not_an_approval": {
        "en": "This check helps, but it is not an approval: when unsure, ask the comms team.",
        "de": "Diese Prüfung hilft, ist aber keine Freigabe: im Zweifel das Comms-Team fragen.",
    },
    "help_fallback": {
        "en": "How to use guidebot, and which guidelines it knows",
        "de": "So nutzen Sie guidebot, und welche Leitlinien es kennt",
    },
    "share": {"en": "Share in channel", "de": "Im Channel teilen"},
    "shared_by": {"en": "Shared by <@{user}>", "de": "Geteilt von <@{user}>"},
    "review_summary": {"en": "{verdict}: {findings}", "de": "{verdict}: {findings}"},
    # -- assistant and digest --------------------------------------------------------------------
    "assistant_status": {
        "en": "is checking the guidelines…",
        "de": "prüft die Leitlinien…",
    },
    "assistant_title": {
        "en": "Ask me about our social-media guidelines, or paste a draft to review.",
        "de": "Fragen Sie mich zu unseren Social-Media-Leitlinien oder fügen Sie einen Entwurf "
        "zum Prüfen ein.",
    },
    "assistant_review_hint": {
        "en": "Send me your draft starting with “Review:”, e.g. _Review: Great day at the fair!_",
        "de": "Schicken Sie mir Ihren Entwurf mit „Prüfe:“ davor, z. B. _Prüfe: Toller Messetag!_",
    },
    "digest_title": {
        "en": ":newspaper: The social-media guidelines have changed",
        "de": ":newspaper: Die Social-Media-Leitlinien haben sich geändert",
    },
    "digest_documents_added": {"en": "New documents", "de": "Neue Dokumente"},
    "digest_documents_removed": {"en": "Removed documents", "de": "Entfernte Dokumente"},
    "digest_added": {"en": "New sections", "de": "Neue Abschnitte"},
    "digest_changed": {"en": "Changed sections", "de": "Geänderte Abschnitte"},
    "digest_removed": {"en": "Removed sections", "de": "Entfernte Abschnitte"},
    "digest_home": {"en": "What changed recently", "de": "Was sich zuletzt geändert hat"},
    "digest_more": {"en": "…and {n} more.", "de": "…und {n} weitere."},
}


def label(key: str, language: str, **values: Any) -> str:
    """The text for `key` in `language` (English when a translation is missing)."""
    texts = LABELS[key]
    text = texts.get(language) or texts["en"]
    return text.format(**values) if values else text
