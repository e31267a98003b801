"""manage.py analyze, train_sentiment and reanalyze."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from listening.models import Mention
from listening.nlp.linear import LinearModel
from listening.nlp.pipeline import analyzer_version
from tests.listening.nlp_sample import EN, ZH

ROOT = Path(__file__).resolve().parents[2]
POSTS = [
    "戴尔的售后真是太给力了，修了三次还是蓝屏 [怒]",
    "外星人到手，跑分给力 [哈哈]",
    "Great, another blue screen. Thanks a lot Dell.",
]
KEYS = {
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
}


def _analyze(*args) -> str:
    out = io.StringIO()
    call_command("analyze", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_analyze_writes_one_json_line_per_post_in_input_order(tmp_path):
    path = tmp_path / "posts.txt"
    path.write_text("\n".join(POSTS) + "\n", encoding="utf-8")
    results = [json.loads(line) for line in _analyze(str(path)).splitlines()]
    assert len(results) == 3
    assert all(set(r) == KEYS for r in results)
    assert [r["sentiment_label"] for r in results] == [
        "negative",
        "positive",
        "negative",
    ]
    assert results[0]["sarcasm"] and results[2]["sarcasm"]
    assert results[1]["brands"] == ["dell"] and results[1]["products"] == ["alienware"]
    assert [r["lang"] for r in results] == ["zh", "zh", "en"]


@pytest.mark.django_db
def test_analyze_reads_the_text_column_of_a_csv_file(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text(
        'id,text\n1,"联想小黑真不错, 推荐"\n2,戴尔蓝屏了怎么办？\n', encoding="utf-8"
    )
    results = [json.loads(line) for line in _analyze(str(path)).splitlines()]
    assert [r["brands"] for r in results] == [["lenovo"], ["dell"]]
    assert results[1]["intent"] == "question"


@pytest.mark.django_db
def test_analyze_prints_a_table(tmp_path):
    path = tmp_path / "posts.txt"
    path.write_text(POSTS[0], encoding="utf-8")
    lines = _analyze("--format", "table", str(path)).splitlines()
    assert lines[0].split()[:3] == ["#", "lang", "sent"]
    assert "complaint" in lines[1] and "yes" in lines[1]


def test_analyze_from_stdin_works_without_a_database(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'none.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "dellsocial.settings",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "analyze", "-"],
        input="\n".join(POSTS[:2]) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=True,
    )
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["brands"] for r in results] == [["dell"], ["dell"]]


@pytest.mark.django_db
def test_train_sentiment_builds_models_from_csv_and_corrections(tmp_path, settings):
    data = tmp_path / "labels.csv"
    lines = ["label,text"] + [f'{label},"{text}"' for text, label in (ZH + EN) * 3]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command(
        "train_sentiment",
        "--data",
        str(data),
        "--output-dir",
        str(tmp_path),
        "--all-rows",
        stdout=out,
    )
    assert "dashboard corrections: 0 rows" in out.getvalue()
    zh = LinearModel.load(tmp_path / "sentiment_zh.tsv.gz")
    en = LinearModel.load(tmp_path / "sentiment_en.tsv.gz")
    assert zh.meta["rows"] == len(ZH) * 3 and en.meta["rows"] == len(EN) * 3
    assert zh.weights.get("w:失望", 0) < 0 < zh.weights.get("w:满意", 0)
    assert "vader" in en.numeric


@pytest.mark.django_db
def test_reanalyze_brings_every_mention_to_the_current_version(monkeypatch):
    from dellsocial import celery

    monkeypatch.setattr(celery.app, "send_task", lambda *a, **k: None)
    now = timezone.now()
    Mention.objects.bulk_create(
        Mention(
            platform="weibo",
            external_id=str(i),
            text=POSTS[i % 3],
            created_at=now,
            analyzer_version="nlp0-old" if i % 2 else "",
        )
        for i in range(7)
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("reanalyze", "--batch", "3", stdout=out, stderr=err)
    assert "7 mentions analysed" in out.getvalue()
    assert "7/7" in err.getvalue()
    assert not Mention.objects.exclude(analyzer_version=analyzer_version()).exists()
