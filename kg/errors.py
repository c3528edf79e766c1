"""The one exception family of kg: the CLI turns any of these into one clear line."""

from __future__ import annotations


class KgError(Exception):
    """Base class for every error kg raises on purpose."""


class InputError(KgError):
    """An input file cannot be read as a newspaper page (empty, binary, undecodable …)."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class ResourceError(KgError):
    """A packaged resource (gazetteer, table, model) is missing or malformed."""


class GoldError(KgError):
    """A gold or report file does not follow SCHEMA.md."""


class QueryError(KgError):
    """A SPARQL query or query file is malformed."""


class ExportError(KgError):
    """An export format is unknown or an export could not be written."""
