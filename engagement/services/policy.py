"""The public-reply policy check: every reason a reply may not be posted, each with
a message that says exactly what is wrong and where.

Rules are rows an admin edits (``PolicyRule``); phone numbers, order numbers and
price promises have built-in patterns for Chinese and English text, which a rule's
``value`` may extend with a regular expression of its own. The platform's length
limit is always checked, counted the way the platform counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from listening.adapters.lengths import max_length, text_length

from ..models import PolicyRule

PLATFORM_NAMES = {"weibo": "Weibo", "twitter": "Twitter", "renren": "Renren"}

# Digits as people type them: ASCII and full-width, with spaces or dashes between.
_D = r"[0-9０-９]"
_SEP = r"[\s\-－]?"
PHONE_PATTERNS = (
    # Mainland mobile, optionally +86: 138 0013 8000, +86-138-0013-8000.
    rf"(?<![0-9０-９])(?:(?:\+|＋)?[8８][6６]{_SEP})?[1１][3-9３-９]{_D}"
    rf"(?:{_SEP}{_D}{{4}}){{2}}"
    rf"(?![0-9０-９])",
    # 400/800 hotlines: 800-858-2969, 400 886 8610.
    rf"(?<![0-9０-９])[48]00{_SEP}{_D}{{3}}{_SEP}{_D}{{4}}(?![0-9０-９])",
    # Landlines with an area code: 010-6532 1234, (021) 5466 3000.
    rf"(?<![0-9０-９])[(（]?0{_D}{{2,3}}[)）]?{_SEP}{_D}{{3,4}}{_SEP}{_D}{{4}}"
    rf"(?![0-9０-９])",
    # International: +1 512 728 0000, +44 20 7946 0000.
    rf"(?:\+|＋){_D}{{1,3}}(?:{_SEP}{_D}{{2,4}}){{2,4}}(?![0-9０-９])",
)
ORDER_PATTERNS = (
    # "订单号：12345678", "单号 A1234567", "order #1234567", "order number 7655..."
    r"(?:订单(?:号码|编号|号)?|单号|(?i:\border\s*(?:no\.?|number|num|id|#)?))"
    r"\s*[:：#＃]?\s*(?=[A-Za-z\-]*[0-9０-９])[A-Za-z0-9０-９][A-Za-z0-9０-９\-]{5,}",
    # A bare run of nine or more digits that is not a phone number.
    r"(?<![0-9０-９])[0-9０-９]{9,}(?![0-9０-９])",
)
PRICE_PATTERNS = (
    r"保证.{0,6}(?:最低|低价|价格|便宜)|最低价|价格保证|保价|全网最低",
    r"承诺.{0,6}(?:价|折扣|优惠)",
    r"(?:只要|仅需|仅售|只需|低至|特价|售价)\s*[¥￥]?\s*[0-9０-９]+",
    r"[¥￥]\s*[0-9０-９]+|[0-9０-９]+(?:\.[0-9]+)?\s*(?:元|块钱|块)",
    r"(?i:\b(?:price\s+match(?:ing)?|lowest\s+price|price\s+guarantee"
    r"|guarantee[sd]?\s+(?:the\s+|a\s+)?(?:lowest\s+|best\s+)?price|cheapest)\b)",
    r"[$€£]\s*[0-9]+|(?i:\b[0-9]+(?:\.[0-9]+)?\s*(?:dollars|usd|rmb|yuan)\b)",
)


@dataclass(frozen=True, slots=True)
class Violation:
    code: str  # the rule kind, or "too_long" / "empty"
    message: str
    fragment: str = ""  # the offending text, when there is one
    start: int = -1
    end: int = -1

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "fragment": self.fragment,
            "start": self.start,
            "end": self.end,
        }


def _compile(patterns: Sequence[str], extra: str = "") -> list[re.Pattern[str]]:
    compiled = [re.compile(p) for p in patterns]
    if extra:
        try:
            compiled.append(re.compile(extra, re.IGNORECASE))
        except re.error:
            pass  # a broken admin pattern must not block every reply
    return compiled


_BUILT_IN: dict[str, tuple[str, ...]] = {
    PolicyRule.Kind.PHONE_NUMBER: PHONE_PATTERNS,
    PolicyRule.Kind.ORDER_NUMBER: ORDER_PATTERNS,
    PolicyRule.Kind.PRICE_PROMISE: PRICE_PATTERNS,
}


def _first_match(
    patterns: Sequence[re.Pattern[str]], text: str, taken: list[tuple[int, int]]
) -> re.Match[str] | None:
    best = None
    for pattern in patterns:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue  # already reported as something else (a phone, say)
            if best is None or match.start() < best.start():
                best = match
            break
    return best


def _message(rule: PolicyRule, default: str, **values: object) -> str:
    if rule.message:
        try:
            return rule.message % values
        except (KeyError, TypeError, ValueError):
            return rule.message
    return default % values


def reply_policy_check(
    *,
    text: str,
    platform: str,
    signature: str = "",
    rules: Sequence[PolicyRule] | None = None,
    private: bool = False,
) -> list[Violation]:
    """Everything that stops ``text`` from being posted on ``platform``; empty
    when it may go. ``signature`` is the author's disclosure signature;
    ``private``: the text is a private message (its own length limit)."""
    if rules is None:
        rules = list(PolicyRule.objects.filter(enabled=True))
    violations: list[Violation] = []
    if not text.strip():
        return [Violation("empty", _("The reply is empty."))]
    length = text_length(platform, text, private=private)
    limit = max_length(platform, private=private)
    if length > limit:
        violations.append(
            Violation(
                "too_long",
                (
                    _(
                        "The private message is %(length)d characters long; "
                        "%(platform)s takes %(limit)d. Shorten it by %(over)d."
                    )
                    if private
                    else _(
                        "The reply is %(length)d long as %(platform)s counts it; "
                        "the limit is %(limit)d. Shorten it by %(over)d."
                    )
                )
                % {
                    "length": length,
                    "platform": PLATFORM_NAMES.get(platform, platform),
                    "limit": limit,
                    "over": length - limit,
                },
            )
        )
    folded = text.casefold()
    taken: list[tuple[int, int]] = []
    order: dict[str, int] = {
        PolicyRule.Kind.PHONE_NUMBER: 0,
        PolicyRule.Kind.ORDER_NUMBER: 1,
        PolicyRule.Kind.PRICE_PROMISE: 2,
    }
    for rule in sorted(rules, key=lambda r: (order.get(r.kind, 3), r.pk or 0)):
        if not rule.enabled:
            continue
        kind = rule.kind
        if kind == PolicyRule.Kind.BANNED_WORD:
            word = rule.value.strip()
            at = folded.find(word.casefold()) if word else -1
            if at >= 0:
                violations.append(
                    Violation(
                        kind,
                        _message(
                            rule,
                            _("Contains the banned word “%(word)s”."),
                            word=word,
                        ),
                        text[at : at + len(word)],
                        at,
                        at + len(word),
                    )
                )
        elif kind in _BUILT_IN:
            match = _first_match(_compile(_BUILT_IN[kind], rule.value), text, taken)
            if match is not None:
                taken.append(match.span())
                fragment = match.group(0).strip()
                defaults: dict[str, str] = {
                    PolicyRule.Kind.PHONE_NUMBER: _(
                        "Contains a phone number (“%(fragment)s”): phone numbers are "
                        "never posted in public; ask the customer to send a private "
                        "message."
                    ),
                    PolicyRule.Kind.ORDER_NUMBER: _(
                        "Contains an order number (“%(fragment)s”): order numbers "
                        "stay out of public replies; ask for it in a private message."
                    ),
                    PolicyRule.Kind.PRICE_PROMISE: _(
                        "Promises a price (“%(fragment)s”): prices and discounts are "
                        "never promised in a public reply."
                    ),
                }
                violations.append(
                    Violation(
                        kind,
                        _message(rule, defaults[kind], fragment=fragment),
                        fragment,
                        *match.span(),
                    )
                )
        elif kind == PolicyRule.Kind.PATTERN and rule.value:
            try:
                match = re.search(rule.value, text, re.IGNORECASE)
            except re.error:
                match = None
            if match is not None:
                violations.append(
                    Violation(
                        kind,
                        _message(
                            rule,
                            _(
                                "Matches the forbidden pattern “%(pattern)s”: "
                                "“%(fragment)s”."
                            ),
                            pattern=rule.value,
                            fragment=match.group(0),
                        ),
                        match.group(0),
                        *match.span(),
                    )
                )
        elif kind == PolicyRule.Kind.DISCLOSURE:
            violations.extend(_disclosure(rule, text, signature))
    return violations


def _disclosure(rule: PolicyRule, text: str, signature: str) -> list[Violation]:
    found = []
    if not signature.strip():
        found.append(
            Violation(
                PolicyRule.Kind.DISCLOSURE,
                _(
                    "You have no disclosure signature: an admin must set one on your "
                    "profile before you reply for the brand."
                ),
            )
        )
    elif signature.strip() not in text:
        found.append(
            Violation(
                PolicyRule.Kind.DISCLOSURE,
                _message(
                    rule,
                    _(
                        "The disclosure signature “%(signature)s” is missing: every "
                        "reply must say that you work for the brand."
                    ),
                    signature=signature.strip(),
                ),
            )
        )
    required = rule.value.strip()
    if required and required not in text:
        found.append(
            Violation(
                PolicyRule.Kind.DISCLOSURE,
                _message(
                    rule,
                    _("The required disclosure “%(signature)s” is missing."),
                    signature=required,
                ),
            )
        )
    return found
