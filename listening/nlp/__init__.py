"""Analysis of mentions: language, segmentation, sentiment, brands, intent, keywords
and priority (issue 3).

Entry points:

- ``pipeline.analyzer().analyze(text, lang_hint=..., followers=..., verified=...)``:
  one post, no database writes; ``pipeline.analyzer_version()``.
- ``services.mentions_analyze(mention_ids=...)``: analyse stored mentions (the task
  ``nlp.analyze_mentions`` in ``tasks.py`` calls it), then routing.
- ``services.mention_sentiment_correct(mention_id=..., label=..., user=...)``: a
  person's correction, kept for ``manage.py train_sentiment``.
- ``services.brands_seed()``: the built-in tracked brands into the database.
- ``manage.py analyze | reanalyze | train_sentiment``.

Shipped data (``data/``): the trained sentiment models, the jieba user dictionary,
the sentiment lexicon, stop words, the built-in brand list and the traditional to
simplified character table. No training text is shipped.
"""
