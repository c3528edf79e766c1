"""kg's trained named-entity recogniser (``kg train``, the ``kg_ner`` component).

- ``data.py``: readers of the MSRA (character BMES) and CLUENER (jsonl) corpora, the
  mapping of their labels to kg's kinds, the fixed dev split and the DocBin files.
- ``tokenizer.py``: one token per character, each token's NORM set to its character
  bigram (the model embeds the character and the bigram).
- ``train.py``: ``kg train``: fetch MSRA, write the corpora, train with spaCy's training
  API from ``config.cfg``, score on the MSRA test split, save ``kg/models/ner``.
- ``component.py``: the registered ``kg_ner`` pipeline component.
"""
