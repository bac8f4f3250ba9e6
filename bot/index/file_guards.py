"""Guards against files that would take the indexer (and so the bot) down, and decoding of text
whose encoding is not declared.

Loading runs inside the bot (`/guidelines reindex`), so a hostile or broken file must fail
alone, quickly and with a reason: archives (DOCX) are measured before anything unpacks them
(zipfile never returns more than a member's declared size, so the declared sizes bound the
work), pypdf's own per-stream limits bound PDFs, and the text of any document is capped
(MAX_TEXT_CHARS) before it is chunked and embedded. Text files may be UTF-8, UTF-16 (what
Windows calls "Unicode") or Windows-1252.
"""

from __future__ import annotations

from pathlib import Path

# About 1,000 passages: a long handbook is a tenth of this; a 15 MB one-line file is not a
# guideline, and embedding it would keep the indexer busy for minutes.
MAX_TEXT_CHARS = 2_000_000
MAX_UNPACKED_BYTES = 100_000_000  # everything in a DOCX archive, images included
MAX_UNPACKED_XML_BYTES = 30_000_000  # its XML, which the parser holds ~10x in memory


class LoadError(Exception):
    """The file cannot be read as a guideline document; the message says why."""


def _utf16(data: bytes) -> str | None:
    """UTF-16 text (Windows "Unicode" exports): a byte-order mark, or NULs in every other
    byte of mostly-ASCII text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        head = data[:4096]
        if len(head) < 4 or len(head) % 2:
            return None
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) * 0.4 and even == 0:
            encoding = "utf-16-le"
        elif even > len(head) * 0.4 and odd == 0:
            encoding = "utf-16-be"
        else:
            return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def decode_text(data: bytes) -> str:
    """Bytes of a text file as text; LoadError for binary content."""
    wide = _utf16(data)
    if wide is not None:
        return wide.lstrip("\ufeff")
    if b"\x00" in data[:8192]:
        raise LoadError("binary content, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise LoadError("not valid UTF-8 or Windows-1252 text") from None
    control = sum(1 for c in text if ord(c) < 32 and c not in "\r\n\t")
    if control > len(text) * 0.01:
        raise LoadError("binary content, not text")
    return text


def check_archive(path: Path) -> None:
    """Refuse an archive that would unpack to far more than its size (a zip bomb) before
    anything unpacks it; zipfile never returns more than a member's declared size."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise LoadError(f"not a readable DOCX file ({error})") from None
    total = sum(m.file_size for m in members)
    xml = sum(m.file_size for m in members if m.filename.endswith((".xml", ".rels")))
    if total > MAX_UNPACKED_BYTES or xml > MAX_UNPACKED_XML_BYTES:
        raise LoadError(
            f"the archive would unpack to {max(total, xml) / 1e6:,.0f} MB (limit "
            f"{MAX_UNPACKED_BYTES // 10**6} MB, {MAX_UNPACKED_XML_BYTES // 10**6} MB of XML): "
            "not loaded, as a zip bomb would take the bot down"
        )


def too_long(chars: int) -> str:
    return (
        f"{chars:,}+ characters of text, above the {MAX_TEXT_CHARS:,} limit "
        "(about 1,000 passages): split it into several files"
    )
