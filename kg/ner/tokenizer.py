"""The NER model's tokenizer: one token per character, NORM = the character bigram.

Chinese NER works on characters; what a character means depends on its neighbour (长 in
市长 and 长江), and bigram features are the cheapest context (Zhang & Yang 2018, the
Lattice LSTM paper, gain several F1 points from them). spaCy's MultiHashEmbed embeds
token attributes, so the tokenizer stores each character's bigram with the next
character in the token's NORM (a per-token value that overrides the lexeme's norm);
the model embeds ORTH (the character), NORM (the bigram) and SHAPE.

Whitespace is no token of its own (spaCy's char segmenter does the same), so character
offsets of the text map one to one onto the kg pipeline's character tokens.
"""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.util import get_words_and_spaces, registry
from spacy.vocab import Vocab

END = "\u2403"  # what follows the last character of a run (bigram "x␃")


def set_bigrams(doc: Doc) -> Doc:
    """Give every token the bigram of itself and the next character as its NORM."""
    tokens = list(doc)
    for i, token in enumerate(tokens):
        if token.is_space:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) and not token.whitespace_ else None
        follow = END if nxt is None or nxt.is_space else nxt.text[:1]
        token.norm_ = token.text + follow
    return doc


class CharBigramTokenizer:
    """Characters as tokens; nothing to save (the tokenizer has no data)."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words = [ch for ch in text if not ch.isspace()]
        words, spaces = get_words_and_spaces(words, text)
        return set_bigrams(Doc(self.vocab, words=words, spaces=spaces))

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> CharBigramTokenizer:
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> CharBigramTokenizer:
        return self


@registry.tokenizers("kg.CharBigramTokenizer.v1")
def create_tokenizer():
    def make(nlp) -> CharBigramTokenizer:
        return CharBigramTokenizer(nlp.vocab)

    return make
