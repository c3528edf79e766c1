"""The spaCy pipeline: one registered component per entity kind.

Importing this package registers every component factory (``kg_regions``,
``kg_agencies``, ``kg_persons``, ``kg_programs``); ``build_nlp`` assembles them from
``config.cfg``.
"""

from __future__ import annotations

from kg.nlp.pipeline import build_nlp, process_page

__all__ = ["build_nlp", "process_page"]
