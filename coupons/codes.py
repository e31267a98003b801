"""Coupon code text: generation, normalisation and display.

A code is 12 characters from a 32-letter alphabet without the look-alikes 0/O and 1/I,
shown in groups as ``XXXX-XXXX-XXXX``. 32 letters are exactly 5 random bits each, so
a code carries 60 bits from the operating system's CSPRNG with no modulo bias:
guessing one among a million live codes takes ~10^12 tries on average.
"""

from __future__ import annotations

import base64
import re
import secrets
import unicodedata

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 12
GROUP = 4
# base32 (RFC 4648) also has 32 letters: its output is mapped letter for letter.
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_TO_ALPHABET = bytes.maketrans(_B32.encode(), ALPHABET.encode())
# 15 random bytes = 120 bits = 24 base32 letters = two codes, no padding.
_BYTES_PER_PAIR = 15

_VALID = re.compile(f"^[{ALPHABET}]{{{CODE_LENGTH}}}$")
_SEPARATORS = re.compile(r"[\s\-_.·—–]+")

assert len(ALPHABET) == 32 and len(set(ALPHABET)) == 32  # noqa: S101


def codes_random(count: int) -> list[str]:
    """``count`` random normalised codes (duplicates possible, astronomically rare)."""
    pairs = (count + 1) // 2
    text = base64.b32encode(secrets.token_bytes(pairs * _BYTES_PER_PAIR))
    text = text.translate(_TO_ALPHABET).decode("ascii")
    return [
        text[start : start + CODE_LENGTH]
        for start in range(0, count * CODE_LENGTH, CODE_LENGTH)
    ]


def code_normalize(raw: str) -> str:
    """What a person typed → the stored form: upper case, no spaces or dashes.

    Full-width letters and dashes from Chinese input methods are folded first (NFKC).
    The result may still be invalid; check it with :func:`code_is_valid`.
    """
    text = unicodedata.normalize("NFKC", raw or "")
    return _SEPARATORS.sub("", text).upper()


def code_is_valid(code: str) -> bool:
    return bool(_VALID.match(code))


def code_display(code: str) -> str:
    """``ABCDEFGHJKLM`` → ``ABCD-EFGH-JKLM``."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
