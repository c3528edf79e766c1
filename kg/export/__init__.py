"""Exports of the kg graph: ``html`` (graph.html, an offline explorer)."""

from kg.export.html import write_html  # noqa: F401
