"""Rebuild the sentiment models from labelled CSV files and the dashboard's corrections.

    python manage.py train_sentiment     # the pools in ../shared/data, 20% held out
    python manage.py train_sentiment --leave-one-source-out
    python manage.py train_sentiment --data my_labels.csv --all-rows

CSV files need ``label`` (1/0 or positive/negative) and ``text`` columns. Chinese and
English rows are told apart by language detection. By default one row in five (by a
hash of its text) is held out, and so is every row of the sources kept out
(``training.KEPT_OUT_SOURCES``); the accuracy on them is printed per source, so the
shipped model and the benchmark never see those rows; ``--all-rows`` trains on
everything. ``--leave-one-source-out`` also retrains without each source of the
training rows in turn (the dashboard's corrections are one source) and prints that
source's accuracy: how the model carries to text unlike what it learned from.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from listening.nlp import sentiment, training

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
        parser.add_argument(
            "--leave-one-source-out",
            action="store_true",
            help="also validate by retraining without each source in turn",
        )

    def handle(
        self,
        *args,
        data,
        output_dir,
        all_rows,
        no_corrections,
        leave_one_source_out,
        **options,
    ):
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
        for lang, trainer in training.TRAINERS.items():
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
            self.stdout.write(line)
            self._held_out(model, lang, held[lang])
            if leave_one_source_out:
                for score in training.leave_one_source_out(rows, lang):
                    self.stdout.write(
                        f"  left out {score.source}: accuracy {score.accuracy:.4f} on "
                        f"{score.rows} rows (trained on the other {score.trained_on})"
                    )
        sentiment.reset_models()
        self.stdout.write(
            self.style.SUCCESS("done: run `manage.py reanalyze` to apply")
        )

    def _held_out(self, model, lang, rows) -> None:
        if not rows:
            return
        by_source: dict[str, list[training.Example]] = {}
        for example in rows:
            by_source.setdefault(example.source, []).append(example)
        for source, examples in sorted(by_source.items()):
            kept = source in training.KEPT_OUT_SOURCES
            kept_out = " (source kept out)" if kept else ""
            accuracy = training.accuracy(model, lang, examples)
            self.stdout.write(
                f"  held out {source}{kept_out}: accuracy {accuracy:.4f} on "
                f"{len(examples)} rows"
            )
