"""The modality grammar reads how a guideline sentence rules, in English and German alike."""

from __future__ import annotations

import pytest

from bot.index.modality import modality_of


@pytest.mark.parametrize(
    ("sentence", "modality"),
    [
        # "only" and its condition, also with the verb phrase between them
        ("Patient photos may only be posted after the owner has signed.", "conditional"),
        ("Partner logos may only be used when the partner has approved the post.", "conditional"),
        ("Fotos dürfen nur veröffentlicht werden, wenn alle Abgebildeten eingewilligt haben.",
         "conditional"),
        ("Bewertungen dürft ihr nur abgeben, wenn ihr eure Tätigkeit nennt.", "conditional"),
        # a rule that needs someone's consent, in either language
        ("New pages may be created after written approval from the press office.", "conditional"),
        ("Aufnahmen von Kindern bedürfen der Einwilligung der Eltern.", "conditional"),
        ("Der Beitrag erscheint erst nach Freigabe durch die Pressestelle.", "conditional"),
        # neither … nor is a prohibition
        ("Staff may neither send nor accept friend requests from clients.", "prohibited"),
        ("Mitarbeitende dürfen Klienten weder Anfragen schicken noch annehmen.", "prohibited"),
        # what stays as it was
        ("You may share official posts.", "permitted"),
        ("Never post customer names.", "prohibited"),
        ("Our team posts only occasionally, mostly in spring.", "none"),
        ("Wir posten nur selten, meist im Frühjahr.", "none"),
    ],
)  # fmt: skip
def test_a_rule_sentence_gets_the_modality_its_grammar_states(sentence: str, modality: str) -> None:
    assert modality_of(sentence) == modality
