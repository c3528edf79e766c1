"""The one place where every pipeline component is imported, so its factory registers."""

from __future__ import annotations

from kg.nlp import agencies, persons  # noqa: F401
from kg.nlp import programs  # noqa: F401
from kg.nlp import regions  # noqa: F401

__all__ = ["agencies", "persons", "programs", "regions"]
