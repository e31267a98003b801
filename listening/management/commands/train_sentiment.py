"""Rebuild the sentiment models from labelled CSV files and the dashboard's corrections.

    python manage.py train_sentiment     # the pools in ../shared/data, 20% held out
    python manage.py train_sentiment --data my_labels.csv --all-rows

CSV files need ``label`` (1/0 or positive/negative) and ``text`` columns. Chinese and
English rows are told apart by language detection. By default one row in five (by a
hash of its text) is held out and the accuracy on it is printed, so the shipped model
and the benchmark never see those rows; ``--all-rows`` trains on everything.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from listening.nlp import sentiment, training
from listening.nlp.language import EN, ZH

DEFAULT_DATA_DIR = Path(settings.BASE_DIR).parent / "shared" / "data"
DEFAULT_FILES = (
    "weibo_train_pool.csv",
    "chnsenticorp_train_pool.csv",
    "english_tweets_train_pool.csv",
)


class Command(BaseCommand):
    help = (
        "Train the Chinese and English sentiment models and write them to the data dir."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data",
            nargs="*",
            type=Path,
            help="labelled CSV files (default: the pools in ../shared/data/)",
        )
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=sentiment.DATA_DIR,
            help="where the model files go (default: the shipped ones)",
        )
        parser.add_argument(
            "--all-rows",
            action="store_true",
            help="train on every row (no held-out evaluation)",
        )
        parser.add_argument(
            "--no-corrections",
            action="store_true",
            help="leave out the corrections made in the dashboard",
        )

    def handle(self, *args, data, output_dir, all_rows, no_corrections, **options):
        files = data or [DEFAULT_DATA_DIR / name for name in DEFAULT_FILES]
        examples: list[training.Example] = []
        for path in files:
            if not path.exists():
                raise CommandError(f"no such file: {path}")
            rows = training.read_examples(path)
            self.stdout.write(f"{path.name}: {len(rows)} labelled rows")
            examples.extend(rows)
        if not no_corrections:
            try:
                corrected = training.correction_examples()
            except DatabaseError as error:
                self.stderr.write(f"dashboard corrections unavailable: {error}")
            else:
                self.stdout.write(f"dashboard corrections: {len(corrected)} rows")
                examples.extend(corrected)
        if all_rows:
            train, held_out = examples, []
        else:
            train, held_out = training.split(examples)
        groups = training.by_language(train)
        held = training.by_language(held_out)
        trainers = {ZH: training.train_zh, EN: training.train_en}
        for lang, trainer in trainers.items():
            rows = groups[lang]
            if len({e.label for e in rows}) < 2:
                self.stdout.write(f"{lang}: not enough labelled rows, model kept")
                continue
            started = time.monotonic()
            model = trainer(rows, meta={"files": [p.name for p in files]})
            path = output_dir / sentiment.MODEL_FILES[lang]
            model.save(path)
            line = (
                f"{lang}: trained on {len(rows)} rows in "
                f"{time.monotonic() - started:.1f}s, {len(model.weights)} features, "
                f"{path.stat().st_size / 1024:.0f} KB"
            )
            if held[lang]:
                accuracy = training.accuracy(model, lang, held[lang])
                line += f"; held-out accuracy {accuracy:.4f} on {len(held[lang])} rows"
            self.stdout.write(line)
        sentiment.reset_models()
        self.stdout.write(
            self.style.SUCCESS("done: run `manage.py reanalyze` to apply")
        )
