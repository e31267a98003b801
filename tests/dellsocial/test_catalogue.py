"""The Chinese catalogue writes Chinese punctuation after Chinese text."""

from __future__ import annotations

import re
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parents[2] / "locale/zh_Hans/LC_MESSAGES/django.po"
HAN = r"[\u4e00-\u9fff]"
# After a Chinese character: an ASCII full stop, colon, semicolon, "!" or "?" ending
# the text or followed by a space or more Chinese; an ASCII comma followed by Chinese
# (", " between typed names, as in a comma-separated example, stays ASCII).
MIXED = re.compile(rf"{HAN}(?:[.:;!?](?=$|\s|{HAN}|[“‘（《「])|,(?={HAN}))")


def test_no_chinese_sentence_ends_with_english_punctuation():
    catalogue = polib.pofile(str(CATALOGUE))
    mixed = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        texts = [entry.msgstr] if entry.msgstr else entry.msgstr_plural.values()
        mixed += [(entry.msgid, text) for text in texts if MIXED.search(text)]
    assert mixed == []


def test_the_check_sees_an_english_full_stop_after_chinese():
    assert MIXED.search("作者认证低于专业级.")
    assert MIXED.search("状态:开放")
    assert not MIXED.search("作者认证低于专业级。")
    assert not MIXED.search("用逗号分隔：戴尔, Dell")
