"""Benchmark of the analysis stage (issue 3): quality, speed and memory.

    .venv/bin/python benchmarks/nlp.py [--data ../shared/data] [--no-worker] [--profile]

1. Sentiment quality on the held-out rows of the labelled pools (one row in five by a
   hash of its text: the rows the shipped model was not trained on, see
   ``listening/nlp/training.py``): accuracy and macro-F1 of the whole analyser on
   Weibo posts, on hotel reviews and on English tweets, beside stock snownlp
   (``SnowNLP(text).sentiments``) on the same Chinese rows and bare VADER on the
   English ones. A score of 0.5 or more counts as positive.
2. Throughput of the whole analysis (language, segmentation, sentiment, brands,
   intent, keywords, priority) in one process, beside stock snownlp's sentiment alone.
3. Resident memory of a real Celery worker of the nlp queue after it has loaded the
   models and analysed a batch of mentions (its pool process, where the models live).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    ROOT,
    fresh_database,
    migrate,
    print_profile,
    rss_mb,
    setup_django,
)

DATA_DIR = ROOT.parent / "shared" / "data"
TARGETS = {
    "weibo_accuracy": 0.89,
    "kept_out_accuracy": 0.82,
    "reviews_accuracy": 0.88,
    "english_accuracy": 0.80,
    "posts_per_second": 5000,
    "worker_rss_mb": 200,
    "process_rss_mb": 200,
}
RUNS = 3
ECE_BINS = 10
# Posts in the throughput run: every held-out Weibo and English post, as many times as
# it takes to reach this many (timings of a second or more are stable).
THROUGHPUT_POSTS = 8000
SNOWNLP_SPEED_SAMPLE = 600
WORKER_MENTIONS = 600
WORKER_READY_TIMEOUT = 60


def macro_f1(labels: list[int], predicted: list[int]) -> float:
    scores = []
    for cls in (0, 1):
        tp = sum(1 for y, p in zip(labels, predicted, strict=True) if y == p == cls)
        fp = sum(1 for y, p in zip(labels, predicted, strict=True) if p == cls != y)
        fn = sum(1 for y, p in zip(labels, predicted, strict=True) if y == cls != p)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(
            2 * precision * recall / (precision + recall) if precision + recall else 0
        )
    return sum(scores) / 2


def accuracy(labels: list[int], predicted: list[int]) -> float:
    return sum(1 for y, p in zip(labels, predicted, strict=True) if y == p) / len(
        labels
    )


def line(name: str, labels: list[int], predicted: list[int], extra: str = "") -> str:
    return (
        f"  {name:34} accuracy {accuracy(labels, predicted):.4f}   "
        f"macro-F1 {macro_f1(labels, predicted):.4f}   n={len(labels)}{extra}"
    )


def calibration(labels: list[int], scores: list[float]) -> tuple[float, float]:
    """Brier score and expected calibration error (ten equal-width bins)."""
    brier = sum((p - y) ** 2 for y, p in zip(labels, scores, strict=True)) / len(labels)
    bins: dict[int, list[tuple[int, float]]] = {}
    for y, p in zip(labels, scores, strict=True):
        bins.setdefault(min(int(p * ECE_BINS), ECE_BINS - 1), []).append((y, p))
    ece = sum(
        abs(sum(p for _, p in rows) / len(rows) - sum(y for y, _ in rows) / len(rows))
        * len(rows)
        for rows in bins.values()
    ) / len(labels)
    return brier, ece


def analyze_cli(texts: list[str]) -> list[dict]:
    """The results of ``manage.py analyze --format jsonl -`` (what a user would run)
    for ``texts``, one post per line, in order."""
    posts = "".join(" ".join(text.split()) + "\n" for text in texts)
    done = subprocess.run(
        [sys.executable, "manage.py", "analyze", "--format", "jsonl", "-"],
        input=posts,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
        check=True,
    )
    results = [json.loads(row) for row in done.stdout.splitlines() if row.strip()]
    if len(results) != len(texts):
        raise RuntimeError(f"analyze gave {len(results)} results for {len(texts)}")
    return results


def score_set(name: str, labels: list[int], results: list[dict]) -> dict[str, float]:
    """Print and return one evaluation set's figures."""
    scores = [r["sentiment"] for r in results]
    predicted = [int(p >= 0.5) for p in scores]
    brier, ece = calibration(labels, scores)
    neutral = sum(r["sentiment_label"] == "neutral" for r in results) / len(results)
    sent = [bool(r["needs_human"]) for r in results]
    kept = [i for i, human in enumerate(sent) if not human]
    kept_accuracy = (
        accuracy([labels[i] for i in kept], [predicted[i] for i in kept])
        if kept
        else 0.0
    )
    print(
        f"  {name:40} accuracy {accuracy(labels, predicted):.4f}  "
        f"macro-F1 {macro_f1(labels, predicted):.4f}  Brier {brier:.4f}  "
        f"ECE {ece:.4f}  n={len(labels)}"
    )
    share = sum(sent) / len(sent)
    print(
        f"  {'':40} neutral band {neutral:6.1%}   needs a human {share:6.1%}"
        f"   accuracy of the rest {kept_accuracy:.4f}"
    )
    return {
        "accuracy": accuracy(labels, predicted),
        "brier": brier,
        "ece": ece,
        "human_share": sum(sent) / len(sent),
        "rest_accuracy": kept_accuracy,
        "n": len(labels),
    }


def quality(data_dir: Path) -> dict[str, float]:
    """Held-out rows scored through ``manage.py analyze``: the own split (the hashed
    fifth of every trained source) and the source kept entirely out of training,
    with and without its emoticons."""
    from listening.nlp import training
    from listening.nlp.segment import EMOTICON_RE

    pools = {
        name: training.split(training.read_examples(data_dir / filename))[1]
        for name, filename in (
            ("weibo", "weibo_train_pool.csv"),
            ("reviews", "chnsenticorp_train_pool.csv"),
            ("english", "english_tweets_train_pool.csv"),
        )
    }
    sets: dict[str, tuple[list[int], list[str]]] = {}
    for source in sorted({e.source for e in pools["weibo"]}):
        rows = [e for e in pools["weibo"] if e.source == source]
        kept = source in training.KEPT_OUT_SOURCES
        label = f"Weibo {source} ({'source kept out' if kept else 'own split'})"
        sets[label] = ([e.label for e in rows], [e.text for e in rows])
        if kept:
            sets[f"Weibo {source}, emoticons stripped"] = (
                [e.label for e in rows],
                [EMOTICON_RE.sub("", e.text) for e in rows],
            )
    sets["reviews ChnSentiCorp (own split)"] = (
        [e.label for e in pools["reviews"]],
        [e.text for e in pools["reviews"]],
    )
    sets["English tweets (own split)"] = (
        [e.label for e in pools["english"]],
        [e.text for e in pools["english"]],
    )
    names = list(sets)
    texts = [text for name in names for text in sets[name][1]]
    started = time.perf_counter()
    results = analyze_cli(texts)
    elapsed = time.perf_counter() - started
    print(
        f"Sentiment on held-out rows, through `manage.py analyze --format jsonl -` "
        f"({len(texts)} posts in {elapsed:.1f}s; positive when sentiment >= 0.5)"
    )
    figures: dict[str, float] = {}
    by_set: dict[str, tuple[list[int], list[dict]]] = {}
    position = 0
    for name in names:
        labels = sets[name][0]
        by_set[name] = (labels, results[position : position + len(labels)])
        position += len(labels)
    weibo_labels: list[int] = []
    weibo_results: list[dict] = []
    for name in names:
        labels, rows = by_set[name]
        out = score_set(name, labels, rows)
        if name.startswith("Weibo") and "stripped" not in name:
            weibo_labels += labels
            weibo_results += rows
        if "source kept out" in name:
            figures["kept_out_accuracy"] = out["accuracy"]
        if name.startswith("reviews"):
            figures["reviews_accuracy"] = out["accuracy"]
        if name.startswith("English"):
            figures["english_accuracy"] = out["accuracy"]
            figures["english_ece"] = out["ece"]
    out = score_set("Weibo overall (own split + kept out)", weibo_labels, weibo_results)
    figures["weibo_accuracy"] = out["accuracy"]
    figures["weibo_ece"] = out["ece"]
    figures["human_share"] = out["human_share"]
    figures["rest_accuracy"] = out["rest_accuracy"]
    return figures


def snownlp_baseline(data_dir: Path) -> None:
    """Stock snownlp on the Weibo rows of the own split, for comparison."""
    from snownlp import SnowNLP

    from listening.nlp import training

    pool = training.read_examples(data_dir / "weibo_train_pool.csv")
    rows = [
        e for e in training.split(pool)[1] if e.source not in training.KEPT_OUT_SOURCES
    ]
    labels = [e.label for e in rows]
    stock = [int(SnowNLP(e.text).sentiments >= 0.5) for e in rows]
    print(line("Weibo own split: stock snownlp", labels, stock))


def segmenters(texts: list[str]) -> None:
    """jieba and rjieba side by side on the same posts, both with the project
    dictionary and the taught terms: how many cut differently, and how fast."""
    import jieba

    from listening.nlp import segment as segment_module
    from listening.nlp.brands import builtin_catalog
    from listening.nlp.sentiment import lexicon_terms

    jieba.setLogLevel(60)
    jieba.initialize()
    jieba.load_userdict(str(segment_module.USER_DICT))
    for word in [*lexicon_terms(), *builtin_catalog().chinese_aliases()]:
        if word.strip():
            jieba.add_word(word.strip(), freq=segment_module.TAUGHT_FREQ)
    cutter = segment_module._rjieba()
    chinese = [t for t in texts if not t.isascii()]
    differ = sum(jieba.lcut(t, HMM=False) != cutter.cut(t, False) for t in chinese)
    speeds = {}
    for name, cut in (
        ("jieba (Python)", lambda t: jieba.lcut(t, HMM=False)),
        ("rjieba (Rust)", lambda t: cutter.cut(t, False)),
    ):
        runs = []
        for _ in range(RUNS):
            started = time.perf_counter()
            for text in chinese:
                cut(text)
            runs.append(len(chinese) / (time.perf_counter() - started))
        speeds[name] = statistics.median(runs)
    print(f"Segmenters side by side ({len(chinese)} Chinese posts, median of {RUNS})")
    for name, speed in speeds.items():
        print(f"  {name:30} {speed:9.0f} posts/s")
    print(
        f"  same words on {len(chinese) - differ} of {len(chinese)} posts "
        f"({differ} differ: ties between equally likely cuts of repeated characters)"
        f"; rjieba {speeds['rjieba (Rust)'] / speeds['jieba (Python)']:.1f}x"
    )


def throughput(data_dir: Path, engine, *, profile: bool = False) -> dict[str, float]:
    from snownlp import SnowNLP

    from listening.nlp import training

    texts = [
        e.text
        for name in ("weibo_train_pool.csv", "english_tweets_train_pool.csv")
        for e in training.split(training.read_examples(data_dir / name))[1]
    ]
    posts = (texts * (THROUGHPUT_POSTS // len(texts) + 1))[:THROUGHPUT_POSTS]
    for text in texts[:200]:  # warm caches the way a running worker has them
        engine.analyze(text)
    gc.collect()
    wall, cpu = [], []
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        for text in posts:
            engine.analyze(text)
        wall.append(len(posts) / (time.perf_counter() - started))
        cpu.append(len(posts) / (time.process_time() - started_cpu))
    ours = statistics.median(wall)
    sample = [t for t in texts if not t.isascii()][:SNOWNLP_SPEED_SAMPLE]
    _ = SnowNLP(sample[0]).sentiments  # its models load on first use
    started = time.perf_counter()
    for text in sample:
        _ = SnowNLP(text).sentiments
    stock = len(sample) / (time.perf_counter() - started)
    print(f"Throughput, one process (median of {RUNS} runs of {len(posts)} posts)")
    print(
        f"  whole analysis                 {ours:8.0f} posts/s  "
        f"(runs {', '.join(f'{w:.0f}' for w in wall)}; per CPU-second "
        f"{statistics.median(cpu):.0f})"
    )
    print(
        f"  stock SnowNLP(text).sentiments {stock:8.0f} posts/s  ({len(sample)} posts)"
    )
    print(f"  ratio                          {ours / stock:8.1f}x")
    if profile:
        print_profile(lambda: [engine.analyze(text) for text in posts])
    segmenters(texts)
    return {"posts_per_second": ours, "snownlp_posts_per_second": stock}


def worker_memory(database_url: str) -> dict[str, float]:
    """Start a real nlp worker, have it analyse a batch, read its pool process's RSS."""
    import redis
    from django.conf import settings
    from django.utils import timezone

    from dellsocial.celery import app
    from listening.models import Mention

    broker = os.environ.get("REDIS_URL") or settings.REDIS_URL
    if not broker:
        print("Worker memory: no REDIS_URL, skipped")
        return {}
    try:
        redis.Redis.from_url(broker).ping()
    except redis.RedisError as error:
        print(f"Worker memory: Redis unreachable ({error}), skipped")
        return {}
    now = timezone.now()
    Mention.objects.bulk_create(
        Mention(
            platform="weibo",
            external_id=f"bench-{i}",
            text=f"戴尔的售后真是太给力了，第{i}次蓝屏 [怒] //@someone: 外星人不错",
            created_at=now,
        )
        for i in range(WORKER_MENTIONS)
    )
    ids = list(Mention.objects.values_list("id", flat=True))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker,
        "LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "dellsocial",
            "worker",
            "-Q",
            "nlp",
            "-c",
            "1",
            "-P",
            "prefork",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"nlp-bench-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        app.conf.broker_url = broker
        for start in range(0, len(ids), 200):
            app.send_task("nlp.analyze_mentions", args=[ids[start : start + 200]])
        deadline = time.monotonic() + WORKER_READY_TIMEOUT
        while time.monotonic() < deadline:
            if not Mention.objects.filter(analyzed_at__isnull=True).exists():
                break
            time.sleep(0.5)
        else:
            print("Worker memory: the worker did not analyse the batch in time")
            return {}
        time.sleep(0.5)
        children = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(worker.pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        main_rss = rss_mb(worker.pid)
        pool_rss = max((rss_mb(int(pid)) for pid in children), default=0.0)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    print("Memory of an nlp worker (celery prefork, -c 1) after analysing a batch")
    print(f"  pool process (models loaded)       {pool_rss:8.1f} MB resident")
    print(f"  main process (no models)           {main_rss:8.1f} MB resident")
    return {"worker_rss_mb": pool_rss}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA_DIR)
    parser.add_argument("--no-worker", action="store_true")
    parser.add_argument("--database", default="bench_nlp")
    parser.add_argument(
        "--profile", action="store_true", help="print the top 5 costs of the analysis"
    )
    args = parser.parse_args()
    if not (args.data / "weibo_train_pool.csv").exists():
        print(f"no labelled data in {args.data}")
        return 2
    database_url = fresh_database(args.database)
    migrate(database_url)
    setup_django(database_url)
    from listening.nlp.pipeline import Analyzer

    before = rss_mb()
    started = time.perf_counter()
    engine = Analyzer(use_database=False).warm()
    print(
        f"Analyser {engine.version}: loaded in {time.perf_counter() - started:.2f}s, "
        f"+{rss_mb() - before:.0f} MB in this process"
    )
    loaded_rss = rss_mb()
    figures = quality(args.data)
    snownlp_baseline(args.data)
    figures.update(throughput(args.data, engine, profile=args.profile))
    print(f"  this process after the runs      {rss_mb():8.1f} MB resident")
    figures["process_rss_mb"] = max(loaded_rss, rss_mb())
    if not args.no_worker:
        figures.update(worker_memory(database_url))
    print("Targets")
    failed = 0
    for name, target in TARGETS.items():
        if name not in figures:
            print(f"  {name:24} not measured")
            continue
        value = figures[name]
        ok = value <= target if name.endswith("_mb") else value >= target
        failed += not ok
        print(
            f"  {name:24} {value:10.4g}  target {target:<6}  {'OK' if ok else 'MISSED'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
