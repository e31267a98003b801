"""The part of Twitter's search query language the mock understands, as a Q filter.

Terms side by side must all match; ``OR`` between terms; ``-`` negates; parentheses
group; ``"exact phrase"``. Operators: ``conversation_id:``, ``from:``, ``to:``,
``lang:``, ``is:retweet``, ``is:reply``, ``is:quote``, ``is:verified``,
``has:links``, ``has:mentions``, ``has:hashtags``, ``has:media``, ``url:``. Words,
``@name`` and ``#tag`` match the text case-insensitively.
"""

from __future__ import annotations

import re

from django.db.models import Q

MAX_QUERY_LENGTH = 512
_TOKEN_RE = re.compile(r'-?\(|\)|-?"[^"]*"|[^\s()]+')
NOTHING = Q(pk__in=[])


class QueryError(ValueError):
    pass


def _atom(token: str) -> Q:
    if token.startswith('"'):
        phrase = token.strip('"')
        return Q(text__icontains=phrase) if phrase else Q()
    key, sep, value = token.partition(":")
    if sep and value:
        key = key.lower()
        if key == "conversation_id":
            if not (value.isascii() and value.isdigit()):
                raise QueryError(f"conversation_id must be a Tweet id: {value!r}")
            return Q(root_id=int(value)) | Q(ext_id=int(value))
        if key == "from":
            return Q(author__screen_name__iexact=value.lstrip("@"))
        if key == "to":
            return Q(target_user__screen_name__iexact=value.lstrip("@"))
        if key == "lang":
            return Q(lang=value.lower())
        if key == "url":
            return Q(text__icontains=value)
        if key == "is":
            return _is(value.lower())
        if key == "has":
            return _has(value.lower())
    return Q(text__icontains=token)


def _is(value: str) -> Q:
    return {
        "retweet": Q(repost_of__isnull=False),
        "reply": Q(parent__isnull=False),
        "verified": Q(author__verified=True),
        "quote": NOTHING,
    }.get(value, NOTHING)


def _has(value: str) -> Q:
    return {
        "links": Q(text__icontains="http"),
        "mentions": Q(text__contains="@"),
        "hashtags": Q(text__contains="#"),
    }.get(value, NOTHING)


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.position = 0

    def peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def expression(self, nested: bool = False) -> Q:
        result = Q()
        while (lexeme := self.peek()) is not None:
            if lexeme == ")":
                if not nested:
                    raise QueryError("unbalanced ')'")
                return result
            result &= self.clause()
        if nested:
            raise QueryError("missing ')'")
        return result

    def clause(self) -> Q:
        result = self.term()
        while self.peek() == "OR":
            self.take()
            if self.peek() in (None, ")"):
                raise QueryError("OR needs a term after it")
            result |= self.term()
        return result

    def term(self) -> Q:
        lexeme = self.take()
        if lexeme in ("(", "-("):
            inner = self.expression(nested=True)
            self.take()  # the ")"
            return inner if lexeme == "(" else ~inner
        if lexeme.startswith("-") and len(lexeme) > 1:
            return ~_atom(lexeme[1:])
        return _atom(lexeme)


def parse(query: str) -> Q:
    """A filter on MockPost for ``query``; QueryError when it cannot be read."""
    if not query.strip():
        raise QueryError("'query' must be a non-empty string")
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(f"'query' must be at most {MAX_QUERY_LENGTH} characters")
    return _Parser(_TOKEN_RE.findall(query)).expression()
