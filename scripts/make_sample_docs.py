"""Generate the sample PDF and DOCX guideline documents in knowledge/.

The source text lives in this file so the binary documents can be rebuilt at any
time. The output is deterministic: fixed metadata and creation dates, and the
DOCX zip archive is rewritten with fixed timestamps.

Usage:
    .venv/bin/python scripts/make_sample_docs.py

Writes:
    knowledge/de/presseanfragen-und-krisen.pdf
    knowledge/en/advertising-and-influencer-disclosure.docx
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PDF_PATH = ROOT / "knowledge" / "de" / "presseanfragen-und-krisen.pdf"
DOCX_PATH = ROOT / "knowledge" / "en" / "advertising-and-influencer-disclosure.docx"

FIXED_DATE = datetime(2026, 10, 1, 9, 0, 0, tzinfo=UTC)
ZIP_DATE = (2026, 10, 1, 9, 0, 0)

# Each block is (kind, text). Kinds: "title", "meta", "h1", "h2", "p", "li".

PDF_TITLE = "Presseanfragen und Krisenkommunikation"
PDF_BLOCKS: list[tuple[str, str]] = [
    ("title", PDF_TITLE),
    (
        "meta",
        "Leitfaden für Beschäftigte der Nordlicht Systems GmbH, Hamburg. "
        "Version 2.0, Stand: 1. Oktober 2026. Herausgeber: Corporate Communications.",
    ),
    ("h1", "1. Presseanfragen"),
    (
        "p",
        "Anfragen von Journalistinnen und Journalisten erreichen uns nicht nur über die "
        "Pressestelle, sondern zunehmend direkt: per LinkedIn-Nachricht, über X, am "
        "Messestand oder am Telefon. Unabhängig vom Kanal gilt: Alle Presseanfragen werden "
        "zentral von Corporate Communications beantwortet.",
    ),
    (
        "p",
        "Wenn Sie angesprochen werden, geben Sie keine inhaltliche Auskunft, auch nicht "
        '"unter drei" oder "nur als Hintergrund". Notieren Sie Name, Medium, Thema und '
        "Frist der Anfrage und leiten Sie alles umgehend an presse@nordlicht-systems.example "
        "weiter. Die Pressestelle meldet sich in der Regel innerhalb von zwei Stunden bei der "
        "anfragenden Person.",
    ),
    (
        "p",
        "Als Presseanfragen gelten auch Anfragen von Fachblogs, Podcasts, Analystenhäusern "
        "und Influencern. Auch Fragen von Journalisten auf Messen und Konferenzen leiten Sie "
        "an die Pressestelle weiter, selbst wenn das Gespräch locker und privat wirkt.",
    ),
    ("h1", "2. Interviews und öffentliche Auftritte"),
    (
        "p",
        "Interviews im Namen von Nordlicht geben nur Personen, die Corporate Communications "
        "dafür benannt hat. Fachleute aus den Bereichen sind als Interviewpartner sehr "
        "willkommen; die Pressestelle bereitet sie vor und begleitet das Gespräch.",
    ),
    (
        "p",
        "Vor jedem Interview klären wir mit der Redaktion Thema, Format und die Autorisierung "
        "der Zitate. Wörtliche Zitate lassen wir uns vor der Veröffentlichung zur Freigabe "
        "vorlegen, soweit das Medium dies zulässt.",
    ),
    (
        "p",
        "Für Vorträge, Podiumsdiskussionen und Fachartikel mit Bezug zu Nordlicht stimmen Sie "
        "Folien und Texte spätestens zwei Wochen vorher mit Ihrer Führungskraft und Corporate "
        "Communications ab. Unveröffentlichte Produkte, Kundennamen außerhalb der "
        "Referenzliste und Finanzzahlen vor ihrer Veröffentlichung sind tabu.",
    ),
    ("h1", "3. Krisenkommunikation"),
    ("h2", "3.1 Was ist eine Krise?"),
    (
        "p",
        "Eine Krise ist jedes Ereignis, das das Vertrauen in Nordlicht erheblich beschädigen "
        "kann, zum Beispiel ein Sicherheitsvorfall, ein längerer Ausfall der Nordlicht Cloud, "
        "ein Unfall, ein Produktrückruf oder schwere Vorwürfe in den Medien.",
    ),
    ("h2", "3.2 Melden"),
    (
        "p",
        "Wer Anzeichen einer Krise bemerkt, informiert sofort den Social Media Desk in "
        "#social-media-desk oder außerhalb der Geschäftszeiten die Rufbereitschaft von "
        "Corporate Communications, deren Nummer im Wiki steht. Lieber einmal zu früh melden "
        "als zu spät.",
    ),
    ("h2", "3.3 Das Krisenteam"),
    (
        "p",
        "Im Krisenfall tritt das Krisenteam zusammen: Geschäftsführung, Corporate "
        "Communications, Rechtsabteilung, Informationssicherheit und die betroffenen "
        "Fachbereiche. Es legt innerhalb einer Stunde eine erste Stellungnahme fest, das "
        "sogenannte Holding Statement, und entscheidet über alle weiteren Veröffentlichungen.",
    ),
    ("h2", "3.4 Verhalten während einer Krise"),
    (
        "li",
        "- Beschäftigte äußern sich während einer Krise nicht öffentlich zum Thema, auch "
        "nicht auf privaten Accounts.",
    ),
    (
        "li",
        "- Das gilt auch für Likes, Reposts und gut gemeinte Verteidigungen von Nordlicht "
        "in Kommentarspalten.",
    ),
    (
        "li",
        "- Geplante Beiträge auf allen Unternehmensaccounts werden angehalten, bis das "
        "Krisenteam sie wieder freigibt.",
    ),
    (
        "li",
        "- Kundinnen und Kunden, die nachfragen, verweisen Sie auf die offiziellen "
        "Stellungnahmen und den Support.",
    ),
    (
        "p",
        "Nach der Krise wertet das Krisenteam den Verlauf aus und passt bei Bedarf Leitlinien "
        "und Abläufe an.",
    ),
    ("h1", "4. Kontakt"),
    ("li", "- Presse: presse@nordlicht-systems.example"),
    ("li", "- Social Media Desk: Slack-Kanal #social-media-desk"),
    ("li", "- Allgemeine Fragen zur Kommunikation: Slack-Kanal #comms"),
]

DOCX_TITLE = "Advertising and Influencer Disclosure Guideline"
DOCX_BLOCKS: list[tuple[str, str]] = [
    ("title", DOCX_TITLE),
    (
        "meta",
        "Nordlicht Systems GmbH. Version 1.2, 1 October 2026. "
        "Owner: Corporate Communications with Legal & Compliance.",
    ),
    ("h1", "1. Why disclosure matters"),
    (
        "p",
        "Under German and EU consumer protection and unfair competition law, commercial "
        "content must be recognisable as such. If a post is advertising and does not say so, "
        "both the author and Nordlicht can receive a formal warning letter or a fine, and "
        "platforms may remove the post.",
    ),
    (
        "p",
        "The rule of thumb: if you receive something of value in connection with a post, "
        "disclose it.",
    ),
    ("h1", "2. Employee advocacy"),
    (
        "p",
        "Nordlicht occasionally runs employee advocacy campaigns, for example before trade "
        "fairs, in which employees are invited to share company content. Taking part is "
        "always voluntary.",
    ),
    (
        "p",
        "Sharing company content without any reward only requires your affiliation "
        "disclosure, such as #NordlichtTeam. As soon as a campaign offers incentives such as "
        "points, vouchers, raffle tickets or prizes, every post in the campaign must also "
        "carry #ad, or #Werbung in German posts.",
    ),
    (
        "p",
        'Example of a correctly labelled campaign post: "#ad Next week our team is at the '
        "trade fair in Hanover - come and see the new Nordlicht Cloud dashboards at our "
        'booth! #NordlichtTeam"',
    ),
    ("h1", "3. Gifted products"),
    (
        "p",
        "If a supplier, partner or event organiser gives you a product, a trial licence, a "
        "ticket or a trip for free and you post about it, the post is advertising, even if "
        "nobody asked you to post. Put #ad at the start and name the company that provided "
        'it, for example "#ad Gifted by ...".',
    ),
    (
        "p",
        "Gifts from customers, suppliers and partners are also subject to the Nordlicht gift "
        "and hospitality rules. Check those rules before you accept anything.",
    ),
    (
        "p",
        "Discounts that are open to all employees, such as the company bike leasing "
        "programme, are employee benefits and not gifts in this sense. Products you bought "
        "yourself at the normal price need no label either.",
    ),
    ("h1", "4. Paid partnerships"),
    (
        "p",
        "Paid partnerships with external creators and influencers are arranged only by "
        "Corporate Communications. The contract obliges the creator to label every post as "
        "advertising and to use the platform's paid partnership label with Nordlicht named "
        "as the partner.",
    ),
    (
        "p",
        "If you run a personal blog, channel or podcast and a company pays you for content "
        "related to our industry, talk to your manager first. This may be secondary "
        "employment that needs approval.",
    ),
    ("h1", "5. Contests and giveaways"),
    (
        "p",
        "Contests and giveaways on company accounts need approval from the Social Media Desk "
        "and Legal & Compliance. Every contest needs published terms and conditions, must "
        "state who runs it and must say that the platform is not involved.",
    ),
    (
        "p",
        "Employees and members of their household may not take part in Nordlicht contests. "
        "If you share a partner's contest in which you could win something, label the share "
        "with #ad.",
    ),
    ("h1", "6. How to disclose"),
    ("h2", "6.1 Hashtags"),
    ("li", "Put #ad, #Werbung or #Anzeige at the beginning of the post, not at the end."),
    ("li", 'Do not hide the label among other hashtags or behind a "more" link.'),
    (
        "li",
        "Ambiguous tags such as #sp, #collab, #partner or #thanks are not sufficient on their own.",
    ),
    (
        "li",
        "In videos and stories, show the label on screen and say it out loud at the start.",
    ),
    ("h2", "6.2 Platform tools"),
    (
        "p",
        "Use the built-in disclosure tools wherever they exist, such as the paid partnership "
        "label on Instagram, Facebook and YouTube, the branded content setting on TikTok and "
        "the brand partnership label on LinkedIn. These labels complement the hashtag; they "
        "do not replace it.",
    ),
    (
        "p",
        "Questions? Ask in #social-media-desk before you post.",
    ),
]


def build_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(PDF_TITLE)
    pdf.set_author("Nordlicht Systems GmbH, Corporate Communications")
    pdf.set_subject("Leitfaden Presseanfragen, Interviews und Krisenkommunikation")
    pdf.set_creator("scripts/make_sample_docs.py")
    pdf.set_lang("de-DE")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()

    styles = {
        "title": ("B", 18, 10, 4),
        "meta": ("I", 10, 5, 4),
        "h1": ("B", 14, 8, 2),
        "h2": ("B", 12, 7, 1),
        "p": ("", 11, 6, 3),
        "li": ("", 11, 6, 1),
    }
    for kind, text in PDF_BLOCKS:
        text.encode("latin-1")  # core fonts only support latin-1
        style, size, line_h, gap_after = styles[kind]
        if kind in ("h1", "h2"):
            pdf.ln(3)
        pdf.set_font("Helvetica", style, size)
        indent = 5 if kind == "li" else 0
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(0, line_h, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap_after)

    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip archive with fixed timestamps and a stable member order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        # [Content_Types].xml first, as Office writes it; the rest in original order.
        names.sort(key=lambda n: n != "[Content_Types].xml")
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name))
    return out.getvalue()


def build_docx(path: Path) -> None:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    props = document.core_properties
    props.title = DOCX_TITLE
    props.author = "Nordlicht Systems GmbH, Corporate Communications"
    props.last_modified_by = "Nordlicht Systems GmbH, Corporate Communications"
    props.subject = "Advertising and influencer disclosure"
    props.keywords = "social media, advertising, #ad, disclosure"
    props.language = "en-GB"
    props.revision = 1
    naive = FIXED_DATE.replace(tzinfo=None)
    props.created = naive
    props.modified = naive
    props.last_printed = naive
    props.comments = ""

    for kind, text in DOCX_BLOCKS:
        if kind == "title":
            document.add_heading(text, level=0)
        elif kind == "h1":
            document.add_heading(text, level=1)
        elif kind == "h2":
            document.add_heading(text, level=2)
        elif kind == "li":
            document.add_paragraph(text, style="List Bullet")
        elif kind == "meta":
            para = document.add_paragraph()
            run = para.add_run(text)
            run.italic = True
            run.font.size = Pt(10)
        else:
            document.add_paragraph(text)

    buf = io.BytesIO()
    document.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_normalise_zip(buf.getvalue()))


def main() -> None:
    build_pdf(PDF_PATH)
    build_docx(DOCX_PATH)
    for p in (PDF_PATH, DOCX_PATH):
        print(f"wrote {p.relative_to(ROOT)} ({p.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
