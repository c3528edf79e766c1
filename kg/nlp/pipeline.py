"""Assemble the spaCy pipeline from ``config.cfg`` and run it over a page's articles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from weakref import WeakKeyDictionary

import spacy
from spacy.attrs import ORTH
from spacy.lang.zh import ChineseTokenizer, Segmenter
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.nlp import components  # noqa: F401  (registers every factory)
from kg.nlp.context import Context
from kg.types import Article, Page

CONFIG = Path(__file__).with_name("config.cfg")


@cache
def build_nlp(config: Path | str = CONFIG) -> Language:
    """The initialised pipeline (cached per config path)."""
    cfg = spacy.util.load_config(config)
    nlp = spacy.util.load_model_from_config(cfg, auto_fill=True, validate=True)
    nlp.initialize()
    return nlp


@dataclass(slots=True)
class ArticleDocs:
    """The docs of one article: its title (if any) and its body, with their offsets in
    the page text."""

    article: Article
    context: Context
    title: Doc | None
    title_start: int
    body: Doc
    body_start: int


def article_context(page: Page, article: Article) -> Context:
    """What the components may know about an article beyond its text."""
    from kg.resources.regions import load_regions

    home = page.publication.region
    province = city = county = None
    if home:
        table = load_regions()
        found = table.by_name(home)
        if found:
            for region in (found[0], *table.ancestors(found[0])):
                if region.level == "province" and province is None:
                    province = region.name
                elif region.level == "prefecture" and city is None:
                    city = region.name
                elif region.level == "county" and county is None:
                    county = region.name
    year = int(page.publication.date[:4]) if page.publication.date else None
    return Context(doc=page.doc, article=article.index, publication=page.publication.name,
                   home_region=home, home_province=province, home_city=city,
                   home_county=county, dateline_regions=list(article.dateline_regions),
                   year=year, title=article.title)


#: Whitespace runs, kept by ``split`` (``\s`` is what ``str.isspace`` says, exactly).
_SPACES = re.compile(r"(\s+)")


def _char_doc(nlp: Language, text: str) -> Doc:
    """The doc spaCy's character tokenizer makes, without its word alignment
    (``spacy.util.get_words_and_spaces`` copies the rest of the text for every
    character): one token per non-space character, whose ``whitespace_`` is the one
    ASCII space right after it, and one token for any other run of whitespace."""
    words: list[str] = []
    spaces: list[bool] = []
    parts = _SPACES.split(text)
    words.extend(parts[0])
    spaces.extend([False] * len(parts[0]))
    for i in range(1, len(parts), 2):
        run, chars = parts[i], parts[i + 1]
        if words and run[0] == " ":
            spaces[-1] = True
            run = run[1:]
        if run:
            words.append(run)
            spaces.append(False)
        words.extend(chars)
        spaces.extend([False] * len(chars))
    return _doc(nlp, words, spaces)


#: The orth IDs of the words (characters, whitespace runs) each pipeline's docs have
#: had, with the vocab they are in.
_ORTHS: WeakKeyDictionary[Language, tuple[Vocab, dict[str, int]]] = WeakKeyDictionary()


def _doc(nlp: Language, words: list[str], spaces: list[bool]) -> Doc:
    """``Doc(nlp.vocab, words=words, spaces=spaces)``, given the words' orth IDs when
    all were seen before: the same lexemes, without hashing every word's string
    (half the cost of a doc of characters)."""
    vocab = nlp.vocab
    known = _ORTHS.get(nlp)
    if known is None or known[0] is not vocab:
        known = _ORTHS[nlp] = (vocab, {})
    ids = known[1]
    try:
        return Doc(vocab, words=list(map(ids.__getitem__, words)), spaces=spaces)
    except KeyError:  # a new word (or one a memory zone dropped): read as a string
        doc = Doc(vocab, words=words, spaces=spaces)
        ids.update(zip(words, doc.to_array(ORTH).tolist(), strict=True))
        return doc


def make_doc(nlp: Language, text: str, ctx: Context) -> Doc:
    """A doc of the pipeline's tokens with its context, no component run yet."""
    tok = nlp.tokenizer
    if isinstance(tok, ChineseTokenizer) and tok.segmenter == Segmenter.char \
            and len(text) <= nlp.max_length:
        doc = _char_doc(nlp, text)
    else:
        doc = nlp.make_doc(text)
    doc._.ctx = ctx
    # what kg.nlp.spans.doc_text returns: spaCy keeps the text as given, and joining it
    # back from one token per character costs more than some components
    doc.user_data["kg.text"] = text
    return doc


def prepare(nlp: Language, docs: list[Doc]) -> None:
    """Let the components that work faster in batches (``prepare(docs)``, the trained
    NER) read all the docs at once before the pipeline runs over each."""
    for _, proc in nlp.pipeline:
        batch = getattr(proc, "prepare", None)
        if batch is not None:
            batch(docs)


def apply(nlp: Language, doc: Doc) -> Doc:
    """Run every component over one doc, in pipeline order."""
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def run(nlp: Language, text: str, ctx: Context) -> Doc:
    """Run every component over one text with its context."""
    return apply(nlp, make_doc(nlp, text, ctx))


def process_page(page: Page, nlp: Language | None = None) -> list[ArticleDocs]:
    """Run the pipeline over every article of a page (title and body). The batch
    components read all the page's texts first; then every doc goes through the
    components one after the other, as ``run`` does."""
    nlp = nlp or build_nlp()
    made = []
    for article in page.articles:
        ctx = article_context(page, article)
        title_doc = None
        if article.title and article.title_start >= 0:
            title_doc = make_doc(nlp, page.text[article.title_start:article.title_end],
                                 ctx)
        made.append((article, ctx, title_doc, make_doc(nlp, article.body, ctx)))
    prepare(nlp, [doc for *_, title, body in made for doc in (title, body)
                  if doc is not None])
    return [ArticleDocs(article, ctx, None if title is None else apply(nlp, title),
                        article.title_start,
                        apply(nlp, body), article.body_start)
            for article, ctx, title, body in made]
