"""kg: a knowledge-graph builder for Chinese government news."""

from __future__ import annotations

__version__ = "0.1.0"
