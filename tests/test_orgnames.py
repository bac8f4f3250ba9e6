"""Which organisation a guideline document is about, read from the document itself."""

from __future__ import annotations

from bot.models import Chunk
from bot.orgnames import guess_org_names, name_pattern


def _chunk(source: str, section: str, text: str, language: str = "de") -> Chunk:
    return Chunk(f"{source}#0", source, section, text, language, 0, "hash", 0.0)  # type: ignore[arg-type]


def test_a_german_name_with_umlauts_is_found_through_the_file_name_that_spells_it():
    chunk = _chunk("landesmuseum-suedwest-leitfaden.md", "Leitfaden",
                   "Das Landesmuseum Südwest ist eine Einrichtung des Landes. Fragen Sie "
                   "die Pressestelle.")  # fmt: skip
    assert "Landesmuseum Südwest" in guess_org_names([chunk])


def test_a_name_only_the_title_gives_and_the_short_form_the_text_uses_are_names():
    text = ("Fahrwerk wächst schnell. Sprecht über Fahrwerk, aber ohne Interna. Alle "
            "Fahrwerk-Kanäle betreut das Comms-Team.")  # fmt: skip
    chunk = _chunk("fahrwerk-mobility-leitfaden.md",
                   "Social-Media-Leitfaden der Fahrwerk Mobility GmbH", text)  # fmt: skip
    names = guess_org_names([chunk])
    assert {"Fahrwerk Mobility", "Fahrwerk"} <= set(names)
    pattern = name_pattern(names)
    assert pattern is not None and pattern.search("Darf ich als Werkstudent bei Fahrwerk posten?")


def test_ordinary_capitalised_german_nouns_are_not_names():
    chunk = _chunk("richtlinie.md", "Richtlinie",
                   "Die Richtlinie gilt für alle Beschäftigten. Beiträge und Fotos brauchen "
                   "eine Freigabe durch die Pressestelle.")  # fmt: skip
    assert guess_org_names([chunk]) == ()


def test_a_name_with_a_small_capitalised_word_inside_is_one_name():
    """The text also writes "am" in lower case ("am Freitag"), but inside the name the file is
    named after it does not make "Berufskolleg Am Rheinbogen" a common phrase; so a post by its
    head of department is tied to the employer."""
    text = ("Das Berufskolleg Am Rheinbogen bildet in zwölf Bildungsgängen aus. Konferenzen "
            "finden am Freitag statt; Fragen beantwortet die Schulleitung.")  # fmt: skip
    chunk = _chunk("berufskolleg-am-rheinbogen-leitfaden.md", "Leitfaden", text)
    names = guess_org_names([chunk])
    assert "Berufskolleg Am Rheinbogen" in names
    assert "BAR" not in names  # no initials that are an everyday word
