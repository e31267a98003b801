"""Private messages of the mock Weibo and Twitter (platform-apis.md §6).

Weibo: GET direct_messages (the brand's received DMs: since_id exclusive, max_id
inclusive, count, page; ``{"direct_messages", "next_cursor", "previous_cursor",
"total_number"}``), GET direct_messages/sent (the same for the DMs it sent),
POST direct_messages/new (uid or screen_name, text ≤ 300 characters; repeat text
to the same person 20019; unknown user 20003).

Twitter: GET dm_events (every event of the brand's conversations, both
directions, newest first; max_results 1–100, pagination_token, includes.users),
GET dm_conversations/with/:participant_id/dm_events, POST
dm_conversations/with/:participant_id/messages ({"text"} → 201 {"data":
{"dm_conversation_id", "dm_event_id"}}). Conversation ids are
"<smaller id>-<larger id>".
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse

from .. import selectors
from ..dms import DmRefused, brand_of, mock_dm_create
from ..models import MockAuthor, MockDirectMessage
from ..services import Admission
from ..traffic import authors_ensure, platform_state_ensure
from ..wire import dumps, twitter_time, weibo_time
from . import twitter, weibo
from .common import endpoint, int_param, json_response
from .weibo_objects import user_dict as weibo_user

WEIBO_DM_MAX = 300  # characters
TWITTER_DM_MAX = 10_000
DM_DEFAULT, DM_MAX = 20, 100


def _brand(platform: str) -> MockAuthor:
    state = platform_state_ensure(platform=platform)
    if not state.authors_ready:
        authors_ensure(state)
        state.save(update_fields=["authors_ready"])
    return brand_of(platform)


# --- Weibo ------------------------------------------------------------------------


def weibo_dm_dict(dm: MockDirectMessage, authors: dict[int, dict]) -> dict[str, Any]:
    sender = authors[dm.sender_id]
    recipient = authors[dm.recipient_id]
    return {
        "id": dm.ext_id,
        "idstr": str(dm.ext_id),
        "created_at": weibo_time(dm.created_at),
        "text": dm.text,
        "sender_id": sender["ext_id"],
        "recipient_id": recipient["ext_id"],
        "sender_screen_name": sender["screen_name"],
        "recipient_screen_name": recipient["screen_name"],
        "sender": weibo_user(sender),
        "recipient": weibo_user(recipient),
    }


@endpoint(weibo.DIALECT)
def weibo_direct_messages(request: HttpRequest, admission: Admission) -> HttpResponse:
    """The DMs the brand received."""
    return _weibo_list(request, sent=False)


@endpoint(weibo.DIALECT)
def weibo_direct_messages_sent(
    request: HttpRequest, admission: Admission
) -> HttpResponse:
    """The DMs the brand sent (Weibo's direct_messages/sent)."""
    return _weibo_list(request, sent=True)


def _weibo_list(request: HttpRequest, *, sent: bool) -> HttpResponse:
    try:
        paging = weibo._paging(request, DM_DEFAULT, DM_MAX)
    except ValueError:
        return weibo._bad_param(request, "since_id")
    brand = _brand("weibo")
    qs = MockDirectMessage.objects.filter(platform="weibo")
    qs = qs.filter(sender=brand) if sent else qs.filter(recipient=brand)
    total = qs.count()
    if paging["since_id"]:
        qs = qs.filter(ext_id__gt=paging["since_id"])
    if paging["max_id"]:
        qs = qs.filter(ext_id__lte=paging["max_id"])
    count = paging["count"]
    offset = (paging["page"] - 1) * count
    rows = list(qs.order_by("-ext_id")[offset : offset + count + 1])
    next_cursor = rows[count].ext_id if len(rows) > count else 0
    rows = rows[:count]
    authors = selectors.authors_by_ids(
        [d.sender_id for d in rows] + [d.recipient_id for d in rows]
    )
    body = {
        "direct_messages": [weibo_dm_dict(d, authors) for d in rows],
        "next_cursor": next_cursor,
        "previous_cursor": 0,
        "total_number": total,
    }
    return json_response(dumps(body), content_type=weibo.JSON)


@endpoint(weibo.DIALECT, methods=("POST",), read=False)
def weibo_direct_messages_new(
    request: HttpRequest, admission: Admission
) -> HttpResponse:
    text = request.POST.get("text", "")
    if not text.strip():
        return weibo._missing(request, "text")
    if len(text) > WEIBO_DM_MAX:
        return weibo.error(
            request, 20012, "Text too long, please input text less than 300 characters!"
        )
    brand = _brand("weibo")
    people = MockAuthor.objects.filter(platform="weibo", is_deleted=False)
    try:
        uid = int_param(request, "uid", source=request.POST)
    except ValueError:
        return weibo._bad_param(request, "uid")
    name = request.POST.get("screen_name", "").strip()
    if uid is None and not name:
        return weibo._missing(request, "uid")
    person = (
        people.filter(ext_id=uid).first()
        if uid is not None
        else people.filter(screen_name=name).first()
    )
    if person is None:
        return weibo.error(request, 20003, "User does not exists!")
    try:
        dm = mock_dm_create(
            platform="weibo", sender=brand, recipient=person, text=text, received=True
        )
    except DmRefused:
        return weibo.error(request, 20019, "repeat content!")
    authors = selectors.authors_by_ids([brand.pk, person.pk])
    return json_response(dumps(weibo_dm_dict(dm, authors)), content_type=weibo.JSON)


# --- Twitter ----------------------------------------------------------------------


def conversation_id(a: int, b: int) -> str:
    return f"{min(a, b)}-{max(a, b)}"


def twitter_event_dict(
    dm: MockDirectMessage, authors: dict[int, dict]
) -> dict[str, Any]:
    sender = authors[dm.sender_id]["ext_id"]
    recipient = authors[dm.recipient_id]["ext_id"]
    return {
        "id": str(dm.ext_id),
        "event_type": "MessageCreate",
        "text": dm.text,
        "sender_id": str(sender),
        "dm_conversation_id": conversation_id(sender, recipient),
        "created_at": twitter_time(dm.created_at),
    }


def _twitter_events(request: HttpRequest, qs) -> HttpResponse:
    raw = request.GET.get("max_results", "")
    try:
        limit = int(raw) if raw else DM_DEFAULT
    except ValueError:
        limit = 0
    if not 1 <= limit <= DM_MAX:
        return twitter.invalid(
            "max_results",
            raw,
            f"The `max_results` query parameter value [{raw}] is not between 1 and 100",
        )
    types = request.GET.get("event_types", "MessageCreate")
    if "MessageCreate" not in types.split(","):
        return json_response(
            dumps({"meta": {"result_count": 0}}), content_type=twitter.JSON
        )
    token = request.GET.get("pagination_token", "")
    if token:
        try:
            qs = qs.filter(ext_id__lt=twitter.decode_token(token))
        except ValueError:
            return twitter.invalid(
                "pagination_token", token, "The `pagination_token` is not valid."
            )
    rows = list(qs.order_by("-ext_id")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    authors = selectors.authors_by_ids(
        [d.sender_id for d in rows] + [d.recipient_id for d in rows]
    )
    body: dict[str, Any] = {"data": [twitter_event_dict(d, authors) for d in rows]}
    if not rows:
        body = {}
    if rows and "sender_id" in request.GET.get("expansions", ""):
        seen, users = set(), []
        for d in rows:
            if d.sender_id not in seen:
                seen.add(d.sender_id)
                users.append(twitter.user_dict(authors[d.sender_id]))
        body["includes"] = {"users": users}
    meta: dict[str, Any] = {"result_count": len(rows)}
    if more:
        meta["next_token"] = twitter.encode_token(rows[-1].ext_id)
    body["meta"] = meta
    return json_response(dumps(body, escape_astral=True), content_type=twitter.JSON)


@endpoint(twitter.DIALECT)
def twitter_dm_events(request: HttpRequest, admission: Admission) -> HttpResponse:
    brand = _brand("twitter")
    qs = MockDirectMessage.objects.filter(platform="twitter").filter(
        sender=brand
    ) | MockDirectMessage.objects.filter(platform="twitter", recipient=brand)
    return _twitter_events(request, qs)


def _participant(participant_id: str) -> MockAuthor | None:
    return MockAuthor.objects.filter(
        platform="twitter", ext_id=int(participant_id), is_deleted=False
    ).first()


@endpoint(twitter.DIALECT)
def twitter_dm_conversation_events(
    request: HttpRequest, admission: Admission, participant_id: str
) -> HttpResponse:
    brand = _brand("twitter")
    person = _participant(participant_id)
    if person is None:
        return twitter.problem(
            400,
            "Invalid Request",
            "One or more parameters to your request was invalid.",
        )
    qs = MockDirectMessage.objects.filter(
        platform="twitter", sender=brand, recipient=person
    ) | MockDirectMessage.objects.filter(
        platform="twitter", sender=person, recipient=brand
    )
    return _twitter_events(request, qs)


@endpoint(twitter.DIALECT, methods=("POST",), read=False)
def twitter_dm_send(
    request: HttpRequest, admission: Admission, participant_id: str
) -> HttpResponse:
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        return twitter.invalid("body", "", "Request body must be a JSON object.")
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        return twitter.invalid(
            "text", str(text), "The `text` field must be a non-empty string."
        )
    if len(text) > TWITTER_DM_MAX:
        return twitter.invalid("text", "", "The `text` field is too long.")
    brand = _brand("twitter")
    person = _participant(participant_id)
    if person is None:
        return twitter.problem(
            403, "Forbidden", "You cannot send messages to this user."
        )
    try:
        dm = mock_dm_create(
            platform="twitter",
            sender=brand,
            recipient=person,
            text=twitter.twitter_text(text),
            received=True,
        )
    except DmRefused:
        return twitter.problem(
            403, "Forbidden", "You are not allowed to send duplicate messages."
        )
    data = {
        "dm_conversation_id": conversation_id(brand.ext_id, person.ext_id),
        "dm_event_id": str(dm.ext_id),
    }
    return json_response(
        dumps({"data": data}, escape_astral=True), status=201, content_type=twitter.JSON
    )
