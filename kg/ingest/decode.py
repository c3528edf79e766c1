"""Bytes → text: the encodings Chinese newspaper text files come in, and clear refusals.

Order of trial: a known binary signature (PDF, PNG, ZIP …) refuses; a BOM (UTF-8,
UTF-16, UTF-32) decides; otherwise strict UTF-8; then, if NUL bytes sit in every
other position, UTF-16 without a BOM; then strict GB18030 (a superset of GBK and
GB2312). Anything else is refused with the file's name, because guessing wrong
silently corrupts every entity downstream: a file cut inside a character is called
truncated, a file whose lines come in UTF-8 and in GBK is called mixed (GB18030 would
read the UTF-8 lines as mojibake), and text of control characters is called binary.

Size limits keep a page a page: a file larger than ``MAX_BYTES`` is refused on its size
alone, before a byte is read, and ``check_size`` refuses text beyond ``MAX_PAGE_CHARS``
or with a line beyond ``MAX_LINE_CHARS`` before any line repair or NLP runs on it.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from kg.errors import InputError

#: Most characters a page may hold. The seed pages hold 4,000 to 7,200 characters and a
#: broadsheet page packed with text about 20,000; 100,000 leaves room for several pages
#: in one file, while extracting it stays near 20 s (99,000 characters of seed text:
#: 17 to 22 s on two shared cores).
MAX_PAGE_CHARS = 100_000
#: Longest line, in characters. A printed paragraph is under 2,000 characters (the
#: seeds' longest line has 524) and a whole page whose line breaks were lost under
#: 20,000; a longer line is a dump (minified HTML, base64, an issue on one line).
MAX_LINE_CHARS = 20_000
#: Largest file read: ``MAX_PAGE_CHARS`` characters at four bytes each, the most any
#: accepted encoding spends (UTF-32, GB18030's four-byte characters). It is checked on
#: the file's size, so a 50 MB file costs one ``stat`` and no memory.
MAX_BYTES = 4 * MAX_PAGE_CHARS

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: Signatures of binary formats mistaken for pages, and what to call them.
_SIGNATURES = (
    (b"%PDF-", "a PDF document (extract its text first, e.g. pdftotext -layout)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x7fELF", "an ELF executable"),
    (b"MZ\x90\x00", "a Windows executable"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc/.xls)"),
)

#: C0 controls other than tab, newline, carriage return and form feed; DEL; C1 controls
#: (which only mojibake puts in a Chinese page).
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
#: Bytes a text file's head is sampled on for the UTF-16 test.
_HEAD = 8192
#: Non-ASCII characters a line must hold to count as evidence of UTF-8 in a file that
#: is not UTF-8 as a whole: GBK bytes pass for UTF-8 by chance only over a few chars.
_UTF8_EVIDENCE = 4


def _truncated(name: str, encoding: str, start: int, size: int) -> InputError:
    """A file whose last character is cut off (a copy or download that stopped)."""
    return InputError(
        name,
        f"ends in the middle of a {encoding} character at byte {start} of {size}: "
        "the file looks truncated",
    )


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode a page file's bytes; return (text, encoding) or raise InputError."""
    if not data.strip():
        raise InputError(name, "the file is empty")
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise InputError(name, f"looks binary: it is {what}, not a text page")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    name,
                    f"has a {encoding} byte-order mark but {exc.reason} "
                    f"at byte {exc.start}",
                ) from None
            _check_text(text, name)
            return text, encoding
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf16 = _utf16_without_bom(data) if b"\x00" in data else None
        if utf16 is not None:
            text = data.decode(utf16)
            _check_text(text, name)
            return text, utf16
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            raise _truncated(name, "UTF-8", exc.start, len(data)) from None
    else:
        _check_text(text, name)
        return text, "utf-8"
    if b"\x00" in data:  # neither UTF-8 nor UTF-16, and GBK text has no NUL
        raise InputError(
            name,
            "looks binary: it contains NUL bytes and is neither "
            "UTF-8, UTF-16 nor GB18030 text",
        )
    _check_mixed(data, name)
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        if exc.reason == "incomplete multibyte sequence" and exc.end == len(data):
            raise _truncated(name, "GB18030", exc.start, len(data)) from None
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            name,
            f"cannot be decoded as UTF-8 or GB18030/GBK (line {line}, "
            f"byte {exc.start}); convert it to UTF-8",
        ) from None
    _check_text(text, name)
    return text, "gb18030"


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or '-be' when the data (not UTF-8) has NUL bytes in its head, two
    at least, nearly all on one side of the byte pairs, as the high bytes of ASCII
    characters (line breaks, digits) are; else None."""
    head = data[:_HEAD]
    if len(data) % 2 or len(head) < 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    for nuls, others, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nuls >= 2 and others * 8 <= nuls:  # 一 (U+4E00) puts a NUL on the other side
            try:
                data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return encoding
    return None


def _check_mixed(data: bytes, name: str) -> None:
    """Refuse a file (not UTF-8 as a whole) that has UTF-8 lines among others."""
    utf8_line = other_line = 0
    for number, line in enumerate(data.split(b"\n"), 1):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            other_line = other_line or number
        else:
            if sum(not ch.isascii() for ch in text) >= _UTF8_EVIDENCE:
                utf8_line = utf8_line or number
        if utf8_line and other_line:
            break
    if utf8_line and other_line:
        bad = data.split(b"\n", other_line)[other_line - 1]
        try:
            bad.decode("gb18030")
            what = "GB18030/GBK"
        except UnicodeDecodeError:
            what = "neither UTF-8 nor GB18030/GBK"
        raise InputError(
            name,
            f"mixes encodings: line {other_line} is {what}, while line "
            f"{utf8_line} is UTF-8; convert the whole file to one encoding",
        )


def _check_text(text: str, name: str) -> None:
    if not any(not ch.isspace() for ch in text):
        raise InputError(name, "the file is empty (only white space)")
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 50) or controls > len(text) // 4:
        nul = " (NUL bytes among them)" if "\x00" in text else ""
        raise InputError(
            name,
            f"looks binary: {controls} control characters in "
            f"{len(text)}{nul}, not a text page",
        )


def check_size(text: str, name: str) -> None:
    """Refuse text beyond a page's size, or with a line too long for a page, by name."""
    if len(text) > MAX_PAGE_CHARS:
        raise InputError(
            name,
            f"has {len(text):,} characters, more than the "
            f"{MAX_PAGE_CHARS:,} a page may hold",
        )
    if len(text) <= MAX_LINE_CHARS:
        return
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE_CHARS:
            raise InputError(
                name,
                f"line {number} has {len(line):,} characters, more than "
                f"the {MAX_LINE_CHARS:,} a line of a page may hold",
            )


def read_text(path: str | Path) -> tuple[str, str]:
    """Read and decode one page file; return (text, encoding). Line ends become LF."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(str(path), f"cannot be read: {exc.strerror}") from None
    if not path.is_file():
        raise InputError(str(path), "is not a regular file")
    if size > MAX_BYTES:
        raise InputError(
            str(path),
            f"is {size:,} bytes, more than the {MAX_BYTES:,} bytes "
            f"a page file may be",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot be read: {exc.strerror}") from None
    text, encoding = decode_bytes(data, str(path))
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding
