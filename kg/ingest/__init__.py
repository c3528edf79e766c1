"""Ingest: page files → clean text with offsets → articles with bylines and sentences."""

from __future__ import annotations

from kg.ingest.page import build_page, read_page

__all__ = ["build_page", "read_page"]
