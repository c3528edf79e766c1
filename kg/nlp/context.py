"""What a component may know beyond the text: the paper, its home region, the article.

Context words (我省, 全市, 省医保局) mean nothing without it: in a Gansu paper 省 is
甘肃省, in a Datong paper 市 is 大同市.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Context:
    """Per-article context, set on ``doc._.ctx`` before the components run."""

    doc: str = "<text>"
    article: int = 0
    publication: str | None = None
    home_region: str | None = None  # canonical name: 甘肃省, 大同市
    home_province: str | None = None  # the province of the home region (itself if one)
    home_city: str | None = None  # the prefecture of the home region, if any
    home_county: str | None = None  # the county of the home region, if any
    dateline_regions: list[str] = field(default_factory=list)  # nearest first
    year: int | None = None
    title: str | None = None

    def home_names(self) -> set[str]:
        """Every region that counts as the paper's home here: its home region at each
        level and the article's dateline regions."""
        names = {self.home_region, self.home_province, self.home_city, self.home_county,
                 *self.dateline_regions}
        return {n for n in names if n}
