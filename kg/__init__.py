"""kg: a knowledge-graph builder for Chinese government news.

>>> import kg
>>> report = kg.extract("## 标题\n\n本报兰州讯(记者 李永萍)今天……")  # doctest: +SKIP
>>> report.to_dict()["articles"]  # doctest: +SKIP
"""

from __future__ import annotations

from kg.api import extract, extract_file
from kg.errors import InputError, KgError
from kg.report import Report

__version__ = "0.1.0"
__all__ = ["InputError", "KgError", "Report", "extract", "extract_file"]
