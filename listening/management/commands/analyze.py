"""Analyse posts from a file or standard input, one result per post, in input order.

    python manage.py analyze posts.txt                 # one post per line, JSON lines
    python manage.py analyze --format table posts.csv  # a CSV with a "text" column
    echo "戴尔售后真给力，修了三次还蓝屏 [怒]" | python manage.py analyze -

Needs no database: without one (or without tracked brands in it) the built-in brand
list is used.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from listening.models import Brand
from listening.nlp.pipeline import Analyzer

JSON_KEYS = (
    "lang",
    "tokens",
    "sentiment",
    "sentiment_label",
    "sarcasm",
    "needs_human",
    "brands",
    "products",
    "intent",
    "keywords",
    "priority",
)


def _brands_in_database() -> bool:
    try:
        return Brand.objects.exists()
    except Exception:  # noqa: BLE001 - no database, no table: the built-in list
        return False


class Command(BaseCommand):
    help = (
        "Analyse posts (one per line, or a CSV with a text column) and print results."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a text or .csv file, or - for stdin")
        parser.add_argument("--format", choices=("jsonl", "table"), default="jsonl")

    def handle(self, *args, file, format, **options):  # noqa: A002
        texts = self._read(file)
        engine = Analyzer(use_database=_brands_in_database()).warm()
        out = self.stdout
        if format == "table":
            out.write(
                f"{'#':>4}  {'lang':4}  {'sent':>5}  {'label':8}  {'sarc':4}  "
                f"{'intent':10}  {'prio':>5}  {'brands':16}  text"
            )
        for number, text in enumerate(texts, start=1):
            result = engine.analyze(text).as_dict()
            if format == "jsonl":
                out.write(
                    json.dumps({k: result[k] for k in JSON_KEYS}, ensure_ascii=False)
                )
            else:
                brands = ",".join(result["brands"] + result["products"])
                sarcasm = "yes" if result["sarcasm"] else ""
                out.write(
                    f"{number:>4}  {result['lang']:4}  {result['sentiment']:5.2f}  "
                    f"{result['sentiment_label']:8}  {sarcasm:4}  "
                    f"{result['intent']:10}  {result['priority']:5.1f}  "
                    f"{brands[:16]:16}  {_one_line(text)[:60]}"
                )

    def _read(self, file: str) -> list[str]:
        if file == "-":
            content = sys.stdin.read()
            is_csv = False
        else:
            path = Path(file)
            if not path.is_file():
                raise CommandError(f"no such file: {file}")
            content = path.read_text(encoding="utf-8-sig", errors="replace")
            is_csv = path.suffix.lower() == ".csv"
        if not content:
            return []
        if is_csv:
            reader = csv.DictReader(io.StringIO(content))
            if not reader.fieldnames or "text" not in reader.fieldnames:
                raise CommandError("the CSV file needs a 'text' column")
            return [row.get("text") or "" for row in reader]
        return [line.rstrip("\r") for line in content.split("\n")][: _lines(content)]


def _lines(content: str) -> int:
    # A trailing newline ends the last line; it does not start an empty post.
    count = content.count("\n")
    return count if content.endswith("\n") else count + 1


def _one_line(text: str) -> str:
    return " ".join(text.split())
