"""RDF terms as their N-Triples text: how kg writes a page's graph.

A page gives thousands of quads (each statement, its reification, its source). Making
an rdflib term for every one of them and serialising it again took most of the graph
stage; the graph builder writes each quad as one N-Quads line from strings instead.
IRIs are ``<…>`` (their variable parts made safe by ``iri_safe``), literals escaped as
N-Triples wants (``\\``, ``"``, line breaks), so Oxigraph reads the lines back as the
same terms rdflib would have given it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

XSD_INTEGER = "<http://www.w3.org/2001/XMLSchema#integer>"


class Terms:
    """A namespace whose members read as N-Triples IRIs, each made once:
    ``Terms(RDF).type`` is ``<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>``
    (a DefinedNamespace still refuses a name it does not define)."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace
        self._base = str(namespace)

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        value = f"<{self._namespace[name]}>"
        setattr(self, name, value)  # the next lookup is a plain attribute
        return value

    def __getitem__(self, local: str) -> str:
        """An IRI in the namespace; ``local`` must be IRI-safe (``iri_safe``)."""
        return f"<{self._base}{local}>"


def literal(text: str) -> str:
    """A plain literal (xsd:string)."""
    return '"' + (text.replace("\\", "\\\\").replace('"', '\\"')
                  .replace("\n", "\\n").replace("\r", "\\r")) + '"'


def zh(text: str) -> str:
    """A Chinese-language literal."""
    return literal(text) + "@zh"


@lru_cache(maxsize=1 << 16)
def integer(value: int) -> str:
    """An xsd:integer literal (the same few thousand offsets recur on every page)."""
    return f'"{int(value)}"^^{XSD_INTEGER}'


@lru_cache(maxsize=1 << 16)
def iri_safe(name: str) -> str:
    """A name as an IRI path segment: letters and digits of any script stay as they are
    (甘肃省医疗保障局 reads as itself), everything else is percent-encoded (UTF-8), so
    distinct names give distinct segments and the same name always the same one."""
    out = []
    for ch in unicodedata.normalize("NFC", name):
        if ch.isascii():
            keep = ch.isalnum() or ch in "-._~"
        else:
            keep = unicodedata.category(ch)[0] in "LN"
        out.append(ch if keep else "".join(f"%{b:02X}" for b in ch.encode("utf-8")))
    return "".join(out)


def quad(s: str, p: str, o: str, g: str = "") -> str:
    """One N-Quads line (no graph name: the default graph)."""
    return f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n"
