"""The one place where every pipeline component is imported, so its factory registers."""

from __future__ import annotations

from kg.nlp import agencies, persons  # noqa: F401
from kg.nlp import programs  # noqa: F401
from kg.nlp import regions  # noqa: F401
from kg.ner import component as ner  # noqa: F401  (kg_ner, the trained NER)

__all__ = ["agencies", "ner", "persons", "programs", "regions"]
