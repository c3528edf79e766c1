"""Reading page files: encodings, line ends, and clear refusals of bad files."""

from __future__ import annotations

import codecs

import pytest

from kg.errors import InputError
from kg.ingest.decode import read_text

TEXT = "本报兰州讯(新甘肃·甘肃日报记者李永萍)记者从省医保局获悉,参保率达99.12%。\n"


# fmt: off
ENCODINGS = [
    ("utf8", TEXT.encode("utf-8"), "utf-8"),
    ("utf8-bom", codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    ("gbk", TEXT.encode("gbk"), "gb18030"),
    ("gb18030", TEXT.encode("gb18030"), "gb18030"),
    ("utf16-bom", TEXT.encode("utf-16"), "utf-16"),
    ("crlf", TEXT.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
]
# fmt: on


@pytest.mark.parametrize("label,data,encoding", ENCODINGS)
def test_decode_reads_each_encoding_to_the_same_text(tmp_path, label, data, encoding):
    path = tmp_path / f"{label}.txt"
    path.write_bytes(data)
    text, used = read_text(path)
    assert text == TEXT
    assert used == encoding


# fmt: off
BAD_FILES = [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b" \n\r\n\t ", "empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary"),
    ("controls.txt", bytes(range(1, 9)) * 200, "binary"),
    ("latin1.txt", "Café déjà vu — naïve".encode("cp1252") + b"\xff\xfe\x81", "cannot be decoded"),
    ("bad-bom.txt", codecs.BOM_UTF8 + b"\xff\xfe\xfa", "byte-order mark"),
]
# fmt: on


@pytest.mark.parametrize("name,data,problem", BAD_FILES)
def test_decode_refuses_bad_file_naming_it(tmp_path, name, data, problem):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_text(path)
    assert name in str(info.value)
    assert problem in str(info.value)


def test_decode_refuses_missing_file_naming_it(tmp_path):
    with pytest.raises(InputError, match="nothere.txt"):
        read_text(tmp_path / "nothere.txt")
