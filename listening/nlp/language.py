"""Which language a post is written in, and Chinese normalised to simplified script.

Script first (Han, kana, Hangul), then, for Latin text, a vote of each language's most
frequent function words and its letters with diacritics. Short, noisy microblog posts
defeat statistical detectors trained on long text; these cues do not need much text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

ZH, EN, JA, KO, ES, PT, FR, DE, OTHER = (
    "zh",
    "en",
    "ja",
    "ko",
    "es",
    "pt",
    "fr",
    "de",
    "other",
)
LANGUAGES = (ZH, EN, JA, KO, ES, PT, FR, DE, OTHER)

_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA_RE = re.compile(r"[\u3040-\u309f\u30a0-\u30ff]")
_HANGUL_RE = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
_LATIN_WORD_RE = re.compile(r"[a-zà-öø-ÿ']+")
# Parts of a microblog post that say nothing about its language.
_NOISE_RE = re.compile(
    r"https?://\S+|www\.\S+|@[\w\-\u4e00-\u9fff]+|#[^#\s]{1,40}#|#\w+|\[[^\[\]]{1,8}\]"
)
_OTHER_LETTER_RE = re.compile(
    r"[\u0400-\u04ff\u0590-\u05ff\u0600-\u06ff\u0e00-\u0e7f\u0900-\u097f]"
)

_FUNCTION_WORDS = {
    EN: set(
        "the and is are was were to of in it you that this for with on my i me be "
        "have has not but at so just can do what your they we he she its it's i'm "
        "don't an or if all from by will get about out up a another new thanks "
        "great love good like really now again today just".split()
    ),
    ES: set(
        "el la los las de que y en un una es por con para no se lo su del al muy "
        "pero mi como más mas está esta estoy tengo hay qué porque también yo hola "
        "gracias cómo muy bueno nuevo encanta estás eres".split()
    ),
    PT: set(
        "o a os as de que e em um uma é por com para não se do da dos das no na ao "
        "muito mas meu minha como mais está estou tenho tem você eu também isso olá "
        "obrigado obrigada bom adoro novo".split()
    ),
    FR: set(
        "le la les de des et est un une en du que qui pour pas ne je vous il elle "
        "avec sur au très mais mon ma c'est j'ai".split()
    ),
    DE: set(
        "der die das und ist nicht ein eine ich du sie es mit für auf den dem zu "
        "von sehr aber mein meine haben hat".split()
    ),
}
# Letters that settle a tie between the Latin-script languages.
_LETTERS = {
    ES: set("ñ¿¡"),
    PT: set("ãõç"),
    FR: set("èêëœ"),
    DE: set("äöüß"),
}


@lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    table: dict[int, str] = {}
    with open(DATA_DIR / "t2s.txt", encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if len(line) == 2 and not line.startswith("#"):
                table[ord(line[0])] = line[1]
    return table


def to_simplified(text: str) -> str:
    """Traditional Chinese characters replaced by their simplified forms."""
    if text.isascii():
        return text
    return text.translate(_t2s_table())


def detect_language(text: str, *, hint: str = "") -> str:
    """The language code of ``text``: zh, en, ja, ko, es, pt, fr, de or other.

    ``hint`` is the platform's own guess (Twitter's ``lang``); it decides only when the
    text itself has too little to go on.
    """
    stripped = _NOISE_RE.sub(" ", text)
    if not stripped.strip():
        # Only @names, #topics# and [emoticons]: their script still tells.
        stripped = text
    han = len(_HAN_RE.findall(stripped))
    kana = len(_KANA_RE.findall(stripped))
    if kana >= 2 or (kana and kana * 5 >= han):
        return JA
    if len(_HANGUL_RE.findall(stripped)) >= 2:
        return KO
    if han >= 2 or (han and han * 4 >= len(stripped.strip())):
        return ZH
    if len(_OTHER_LETTER_RE.findall(stripped)) >= 3:
        return OTHER
    words = _LATIN_WORD_RE.findall(stripped.lower())
    if not words:
        return _normalise_hint(hint)
    scores = dict.fromkeys(_FUNCTION_WORDS, 0.0)
    for word in words:
        for lang, vocabulary in _FUNCTION_WORDS.items():
            if word in vocabulary:
                scores[lang] += 1.0
    letters = set(stripped.lower())
    for lang, marks in _LETTERS.items():
        if letters & marks:
            scores[lang] += 1.5
    best = max(scores, key=scores.__getitem__)
    if scores[best] == 0:
        hinted = _normalise_hint(hint)
        if hinted != OTHER:
            return hinted
        # ASCII words without a function word: hashtags, product names, "lol".
        return EN if all(word.isascii() for word in words) else OTHER
    return best


def _normalise_hint(hint: str) -> str:
    code = (hint or "").lower().split("-")[0].split("_")[0]
    return code if code in LANGUAGES else OTHER
