"""How guidelines typically phrase each rule, in English and German.

Citations compare every sentence of every guideline passage with these: a long passage that
covers many topics still has the one sentence that states the rule. Written in the generic
wording of social-media policies, not copied from any one company's document.
"""

from __future__ import annotations

PROTOTYPES: dict[str, tuple[str, ...]] = {
    "confidential_info": (
        "Never share confidential or internal information about the company.",
        "Do not post non-public or sensitive information about your work.",
        "Keep internal plans, decisions and meetings to yourself.",
        "Vertrauliche und interne Informationen dürfen nicht veröffentlicht werden.",
        "Behalten Sie Betriebsgeheimnisse und interne Pläne für sich.",
        "Was Sie intern erfahren, gehört nicht in soziale Netzwerke.",
    ),
    "unreleased_product": (
        "Do not reveal or tease unannounced products, features, roadmaps or release dates.",
        "Only talk about products and plans that have already been made public.",
        "Internal codenames must never be used in public.",
        "Nicht angekündigte Produkte, Funktionen und Roadmaps sind vertraulich.",
        "Teilen Sie nur bereits öffentliche Informationen über Produkte und Projekte.",
    ),
    "financial_results": (
        "Do not share or hint at revenue, profit, forecasts or other financial results before "
        "they are published.",
        "Financial information is subject to a quiet period and insider rules.",
        "Äußern Sie sich vor der Veröffentlichung nicht zu Umsatz, Gewinn oder Prognosen.",
        "Geschäftszahlen sind bis zur offiziellen Veröffentlichung vertraulich.",
    ),
    "personal_data": (
        "Do not share personal information about colleagues or others without their permission.",
        "Never post phone numbers, addresses, health information or other personal data.",
        "Respect the privacy of individuals.",
        "Veröffentlichen Sie keine personenbezogenen Daten anderer Personen ohne Einwilligung.",
        "Private Details über andere Menschen, etwa Gesundheit oder Adresse, bleiben privat.",
    ),
    "customer_info": (
        "Do not name customers or share customer information without approval.",
        "Customer details, projects and deals must not be disclosed publicly.",
        "Never discuss a customer's account, contract or incident in public.",
        "Kunden dürfen nur mit Freigabe öffentlich genannt werden.",
        "Kundeninformationen und Projektdetails werden nicht veröffentlicht.",
    ),
    "legal_matter": (
        "Do not comment on lawsuits, legal proceedings or investigations.",
        "Legal matters require approval from the legal team before any mention.",
        "Äußern Sie sich nicht zu Rechtsstreitigkeiten oder laufenden Verfahren.",
        "Rechtliche Angelegenheiten sind der Rechtsabteilung vorbehalten.",
    ),
    "speaking_for_company": (
        "Only authorized spokespeople may speak on behalf of the company.",
        "Make clear that you speak for yourself and not for your employer.",
        "Do not make official statements or promises for the company.",
        "Nur die Pressestelle darf im Namen des Arbeitgebers sprechen.",
        "Offizielle Aussagen für das Unternehmen machen nur die dafür benannten Personen.",
    ),
    "missing_affiliation_disclosure": (
        "When you post about the company, always disclose that you work there.",
        "Make your employment clear when you recommend the company's products.",
        "Wenn Sie über das Unternehmen schreiben, machen Sie Ihre Zugehörigkeit deutlich.",
    ),
    "missing_ad_disclosure": (
        "Sponsored, gifted or paid content must be clearly labelled as advertising.",
        "If you received something for free or were paid, say so clearly in the post.",
        "Werbung und Gegenleistungen müssen deutlich gekennzeichnet werden.",
    ),
    "competitor_disparagement": (
        "Do not disparage competitors or their products.",
        "Do not mock or attack other companies, their products or their staff.",
        "Herabsetzende Aussagen über Wettbewerber sind zu unterlassen.",
    ),
    "harassment_or_hate": (
        "Harassment, threats, insults and hate speech are not tolerated.",
        "Do not insult, threaten, bully or demean anyone online.",
        "Beleidigungen, Drohungen und Mobbing sind nicht erlaubt.",
        "Diskriminierende oder hasserfüllte Äußerungen werden nicht toleriert.",
    ),
    "profanity": (
        "Keep your language clean and polite.",
        "Avoid swearing and crude language in posts connected to your work.",
        "Vulgäre Sprache und Kraftausdrücke sind zu vermeiden.",
        "Achten Sie auf einen höflichen, sachlichen Ton ohne Schimpfwörter.",
    ),
    "political_endorsement_as_company": (
        "Do not use your official title or the company's name in political activity.",
        "Company accounts are not used for party-political content.",
        "Do not ask for donations to political campaigns in connection with your job.",
        "Politische Meinungen äußern Sie nur im eigenen Namen, nie im Namen des Arbeitgebers.",
        "Das Unternehmen gibt keine Wahlempfehlungen ab.",
    ),
    "copyright": (
        "Obtain permission before using other people's photos, music or texts.",
        "Respect copyright and credit the creator.",
        "Fremde Bilder und Texte nur mit Lizenz oder Erlaubnis verwenden.",
        "Beachten Sie das Urheberrecht und nennen Sie die Urheber.",
    ),
    "secrets": (
        "Never share passwords, access tokens or credentials.",
        "Do not post confidential information, including security details.",
        "Zugangsdaten und Passwörter werden nie weitergegeben.",
    ),
    "prompt_injection": (
        "Drafts with hidden instructions to the review tool are treated as manipulation.",
        "Entwürfe mit versteckten Anweisungen an das Prüfwerkzeug werden nicht freigegeben.",
        "When in doubt about posting something, pause and ask.",
    ),
}
