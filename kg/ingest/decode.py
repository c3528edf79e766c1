"""Bytes → text: the encodings Chinese newspaper text files come in, and clear refusals.

Order of trial: a BOM (UTF-8, UTF-16) decides; otherwise strict UTF-8, then strict
GB18030 (a superset of GBK and GB2312). Anything else is refused with the file's name,
because guessing wrong silently corrupts every entity downstream.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from kg.errors import InputError

#: Largest file read whole; a bigger page is almost certainly not a newspaper page.
MAX_BYTES = 64 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: C0 controls other than tab, newline, carriage return and form feed.
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f"}


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode a page file's bytes; return (text, encoding) or raise InputError."""
    if not data.strip():
        raise InputError(name, "the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputError(name, f"has a {encoding} byte-order mark but {exc.reason} "
                                 f"at byte {exc.start}") from None
    if b"\x00" in data[:8192]:
        raise InputError(name, "looks binary (it contains NUL bytes), not a text page")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        _check_text(text, name)
        return text, encoding
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = exc.start
    raise InputError(name, f"cannot be decoded as UTF-8 or GB18030/GBK (first bad byte at "
                     f"offset {where}); convert it to UTF-8") from None


def _check_text(text: str, name: str) -> None:
    sample = text[:20000]
    controls = sum(1 for ch in sample if ch in _CONTROL)
    if controls > max(8, len(sample) // 50):
        raise InputError(name, f"looks binary ({controls} control characters in the first "
                         f"{len(sample)}), not a text page")
    if not any(not ch.isspace() for ch in text):
        raise InputError(name, "the file is empty (only white space)")


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
        raise InputError(str(path), f"is {size / 2**20:.0f} MiB, larger than the "
                         f"{MAX_BYTES // 2**20} MiB a page may be")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot be read: {exc.strerror}") from None
    text, encoding = decode_bytes(data, str(path))
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding
