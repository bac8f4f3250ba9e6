"""Cue words per category (regexes, case-insensitive), German and English.

A semantic finding needs a cue in the same sentence (or a very high similarity): embeddings
alone confuse topic with risk ("a post about sensors" is close to "an unreleased sensor").
Cues are general vocabulary of each risk, written for any employer.
"""

from __future__ import annotations

# Teasing secrecy: hints that something non-public is being shared.
_HINTS = (
    r"\bcan'?t (?:say|tell|share) (?:much|more|too much|anything)\b",
    r"\bbetween you and me\b",
    r"\b(?:you )?heard it here first\b",
    r"\bdidn'?t hear (?:it|this) from me\b|\bhast (?:du|ihr) nicht von mir\b",
    r"\bdon'?t tell\b",
    r"\bstay tuned\b",
    r"\bmore soon\b",
    r"\bwait (?:and see|till|until)\b",
    r"(?:\bnot|n't) (?:even |yet |been )*(?:public|announced|official)\b",
    r"\bohne zu viel zu verraten\b",
    r"\bmehr (?:darf|kann) ich (?:noch )?nicht\b",
    r"\bwenn ihr wüsstet\b",
    r"\bunter uns\b",
    r"\bwartet (?:mal )?ab\b",
    r"\bhier zuerst\b",
    r"\bnoch nicht (?:offiziell|öffentlich|bekannt|angekündigt)",
    r"\bsag ich nur\b",
    r"🤫|🤐|😉|😏|👀|🔮",
)

CUES: dict[str, tuple[str, ...]] = {
    "confidential_info": (
        *_HINTS,
        r"\binternal\b",
        r"\bconfidential\b",
        r"\bleak\w*",
        r"\bboard (?:deck|meeting)\b",
        r"\bmemo\b",
        r"\ball-hands\b",
        r"\blayoffs?\b",
        r"\breorg\w*",
        r"\brestructur\w*",
        r"\binsider\b",
        r"\bsecret\b",
        r"\b(?:nobody|no one)(?: \w+){0,3} (?:knows|told|heard)\b|\bnot (?:been )?told\b",
        r"\b(?:clos|shut)\w*(?: down)? (?:the|our|a)(?: \w+){0,2} (?:office|site|branch|plant|"
        r"location|department)s?\b",
        r"\b(?:leadership|management|exec\w*) (?:meeting|offsite|team|call)\b|\boffsite\b",
        r"\b(?:acquir|buy|merg)\w* (?:a|the)\b",
        r"\bin talks\b",
        r"\b(?:merger|acquisition|takeover|übernahme|fusion)\b",
        r"\bkeep (?:it|this) (?:quiet|secret|between us)\b|\boff the record\b|\bhush\b",
        r"\b(?:offiziell|öffentlich|bekannt) ist (?:das|es) (?:aber )?noch nicht\b",
        r"\b(?:personal|betriebs|mitarbeiter)versammlung\b|\bzusammengelegt\b|\bzusammenlegung\b",
        r"\btender\b|\bprocurement\b",
        r"\bintern(?:e|en|es|er)?\b",
        r"\bvertraulich\w*",
        r"\bgeheim\w*",
        r"\bnoch (?:nix|nichts)\b",
        r"\bweiß noch\b",
        r"\b(?:abteilungs|team|bereichs)besprechung\b",
        r"\bstellenabbau\b",
        r"\bentlassung\w*",
        r"\bkündigungswelle\b",
        r"\bumstrukturierung\w*",
        r"\bausschreib\w*",
        r"\bschließ\w*",
        r"\bschreib\w* [^.!?]{0,60}\baus\b",
        r"\bbudget\b",
        r"\bgeschlossen\b",
        r"\bbetriebsrat\b|\bpersonalrat\b",
        r"\bgerücht\w*",
        r"\bpsst\b",
    ),
    "unreleased_product": (
        *_HINTS,
        r"\bsneak (?:peek|preview)\b",
        r"\blaunch\w*(?: \w+){0,3} (?:planned|scheduled|set|slated)\b|\bnext version\b",
        r"\b(?:in|for|im) (?:the )?(?:spring|summer|autumn|fall|winter|frühjahr|sommer|herbst)\b",
        r"\bsecret\b|\bgeheim\w*",
        r"\bteaser\b",
        r"\bcoming soon\b|#comingsoon",
        r"\bupcoming\b",
        r"\b(?:launch|releas|ship|drop|announc)\w* (?:next|in|this (?:spring|summer|fall))\b",
        r"\bnext[- ]gen\w*",
        r"\broadmap\b",
        r"\bprototype\w*",
        r"\bunreleased\b",
        r"\bstaging\b",
        r"\bbeta\b",
        r"\btest bench\b",
        r"\babout to (?:drop|launch|release|ship)\b",
        r"\bin the works\b",
        r"\bobsolete\b",
        r"\bdemnächst\b",
        r"\bbald\b",
        r"\bin kürze\b",
        r"\bnächste[nmr]? (?:monat|quartal|jahr)",
        r"\bkommt (?:im|nächst|bald)\w*",
        r"\bin den verkauf\b",
        r"\berste[rn]? einblick\w*",
        r"\bprototyp\w*",
        r"\bprüfstand\b|\blabor\b",
        r"\bvorab\b",
        r"\bneue[nr]? (?:generation)\b",
    ),
    "financial_results": (
        *_HINTS,
        r"\b(?:q[1-4]|quarter\w*|fiscal|fy\d*|h[12])\b",
        r"\b(?:revenue|arr|earnings|profit\w*|"
        r"margins?|sales|bookings|ebit\w*|guidance|forecast\w*|deal sizes?|ipo)\b",
        r"\b(?:up|down|grew|growth of) \d+ ?%",
        r"\bvs\.? plan\b|\b(?:beat|above|over) (?:the )?"
        r"(?:plan|forecast|target)\b",
        r"\b(?:umsatz|gewinn|quartal\w*|auftragseingang|prognose\w*|marge\w*|zahlen|"
        r"geschäftsjahr|halbjahr\w*|über plan|verdoppelt|ergebnis\w*)\b",
        r"📈|📉|💰|🍾|💸",
    ),
    "personal_data": (
        r"\b(?:colleague|coworker|co-worker|teammate|boss|manager|intern|neighbou?r)\b",
        r"\b(?:sick|illness|chemo\w*|cancer|pregnan\w*|diagnos\w*|therapy|burnout|rehab|"
        r"in (?:the )?hospital|surgery|depress\w*|disorder)\b",
        r"\bhome address\b|\bprivate number\b",
        r"\b(?:kolleg\w*|chef\w*|vorgesetzt\w*|azubi\w*)\b",
        r"\b(?:krank\w*|schwanger\w*|"
        r"diagnose|therapie|burnout|kur|klinik|krankenhaus|operation|bandscheib\w*|depression)\b",
        r"\b(?:adresse|anschrift|wohnt|privat|private[nr]?|handynummer)\b",
    ),
    "customer_info": (
        r"\b(?:customer|client)s?\b",
        r"\bcase stud(?:y|ies)\b|\btestimonial\b",
        r"\b(?:one of the|a|the) (?:largest|biggest|major|large|big|leading|top)\b",
        r"\b(?:runs?|running|relies|relying) (?:\w+ ){0,4}on our\b",
        r"\buses? our\b",
        r"\b(?:signed|kickoff|kick-off|deal|contract|licen[cs]e|renewal)\b",
        r"\bmoving \d",
        r"\btheir (?:site|plant|factory|hospitals?|servers?|logs|account|network|data)\b",
        r"\b(?:outage|incident|failure)s? at\b",
        r"\b(?:kunde|kunden|kundin)\w*\b",
        r"\bfallstudie\b|\breferenz\w*",
        r"\beiner? der (?:größten|führenden|bekanntesten)\b",
        r"\b(?:auftrag|vertrag|lizenz)\w*",
        r"\b(?:läuft|laufen|setzt|setzen) \w* ?auf unser",
        r"\bbei (?:der|dem|den) [A-ZÄÖÜ]\w+",
        r"\bseats?\b",
    ),
    "legal_matter": (
        r"\b(?:lawsuit|litigation|sued|suing|sue|court|judge|deposed|deposition|subpoena|"
        r"settlement|patent|counsel|attorney|lawyers?|regulator\w*|investigation|claims|"
        r"warranty|verdict|trial|legal)\b",
        r"\b(?:klage\w*|verklagt|gericht\w*|prozess|anwalt|anwält\w*|vergleich|ermittlung\w*|"
        r"rechtsstreit\w*|abmahnung|staatsanwalt\w*|kartellamt|gewährleistung|patent\w*|"
        r"behörde|verfahren|juristisch\w*)\b",
    ),
    "speaking_for_company": (
        r"\bon behalf of\b",
        r"\bspeaking (?:for|as)\b",
        r"\bofficial(?:ly)? (?:position|statement|line|stance|word|response|apolog\w*)\b",
        r"\bi can (?:assure|confirm|promise|guarantee)\b",
        r"\bwe will (?:never|always|not)\b",
        r"\byou(?:'ll| will) get\b",
        r"\bi'?ll make sure\b",
        r"\byou have my word\b",
        r"\bim namen\b",
        r"\boffiziell\w*",
        r"\b(?:versicher|bestätig|verspreche|garantier)\w*\b",
        r"\bentschuldig\w*\b",
        r"\bunseres hauses\b",
        r"\bder meinung\b",
        r"\bsorry\b",
    ),
    "competitor_disparagement": (
        r"\b(?:competitor|competition|rival)s?\b",
        r"\b(?:imagine )?still using\b",
        r"\b(?:trash|garbage|junk|dumpster fire|overpriced|spyware|joke|sucks|worst|clowns?|"
        r"nightmare|useless|pathetic|broken)\b",
        r"\bvs\.?\b|\bversus\b",
        r"\bswitch\w* from\b",
        r"\b(?:wettbewerb\w*|konkurren\w*)\b",
        r"\b(?:schrott|müll|selbst schuld|lachnummer|"
        r"witz|abzocke|albtraum|peinlich)\b",
        r"🤡|🗑️|💩|🤮",
    ),
    "harassment_or_hate": (
        r"\b(?:idiot|moron|stupid|useless|incompetent|loser|pathetic|clueless|lazy|dumb)\b",
        r"\b(?:idiot|vollpfosten|depp|trottel|inkompetent\w*|versager|unfähig\w*|dumm\w*|faul)\b",
        r"@\w+",
        r"\bshout-?out to\b",
        r"\byou(?:'re| are)\b",
        r"\bdu bist\b",
        r"🙄|🙃|🖕",
        r"\btypisch\b|\btypical\b",
    ),
    "political_endorsement_as_company": (
        r"\b(?:vote|voting|elect\w*|campaign|candidate|senator|congress|governor|mayor|party|"
        r"reelection|ballot|donat\w*|chip in)\b",
        r"\b(?:wahl\w*|partei\w*|kandidat\w*|wählen|wählt|abgeordnet\w*|spende\w*)\b",
    ),
    "copyright": (
        r"\b(?:found (?:this|it) on|getty|shutterstock|stock photo|google images|not my "
        r"(?:photo|picture|video)|no copyright|grabbed|reposting|downloaded)\b",
        r"\b(?:aus dem internet|im netz|aus dem netz|nicht (?:mein|von mir)|urheber\w*|"
        r"heruntergeladen|kopiert)\b",
    ),
    # Words that address the reviewer; topic words like "AI" or "bot" alone are not enough.
    "prompt_injection": (
        r"\b(?:reviewer|instructions?|approve\w*|verdict|ignore|disregard|compliant|"
        r"respond with|output|rules do not apply)\b",
        r"\b(?:prüfsystem|prüfer\w*|prüfung|anweisung\w*|freigeb\w*|freigegeben|ignorier\w*|"
        r"antworte\w*|unbedenklich|regeln gelten nicht)\b",
    ),
}
