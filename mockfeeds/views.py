"""The mock's own endpoints: /mock/_control (scenario) and /mock/<platform>/_inbox
(replies received). The platform APIs themselves live in mockfeeds.platforms."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from . import selectors
from .models import MockDirectMessage
from .services import ScenarioError, mock_scenario_update, scenario_snapshot
from .wire import dumps

INBOX_DEFAULT, INBOX_MAX = 100, 1000


def _json(body, status: int = 200) -> HttpResponse:
    return HttpResponse(dumps(body), status=status, content_type="application/json")


def _hostile(value, depth: int = 0) -> bool:
    """Nested deeper than 32 levels, or a NUL character (the store cannot keep it)."""
    if depth > 32:
        return True
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(
            _hostile(k, depth + 1) or _hostile(v, depth + 1) for k, v in value.items()
        )
    if isinstance(value, list):
        return any(_hostile(v, depth + 1) for v in value)
    return False


@csrf_exempt
def control(request: HttpRequest) -> HttpResponse:
    """GET: every platform's scenario and counters. POST (JSON): change them —
    see mockfeeds/README.md for the keys."""
    if request.method == "GET":
        return _json(scenario_snapshot())
    if request.method != "POST":
        response = HttpResponse(status=405)
        response["Allow"] = "GET, POST"
        return response
    try:
        payload = json.loads(request.body or b"{}")
    except RecursionError:
        return JsonResponse({"error": "the JSON body is nested too deep"}, status=400)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "the body must be JSON"}, status=400)
    if _hostile(payload):
        return JsonResponse(
            {"error": "the body is nested too deep or holds a NUL character"},
            status=400,
        )
    try:
        done = mock_scenario_update(payload=payload)
    except ScenarioError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return _json({"done": done, **scenario_snapshot()})


def inbox(request: HttpRequest, platform: str) -> HttpResponse:
    """Replies the product posted to ``platform``, newest first."""
    try:
        limit = int(request.GET.get("limit", INBOX_DEFAULT))
    except ValueError:
        return JsonResponse({"error": "limit must be an integer"}, status=400)
    rows = selectors.received_replies(
        platform=platform, limit=min(max(limit, 1), INBOX_MAX)
    )
    authors = selectors.authors_by_ids(r["target_user_id"] for r in rows)
    replies = []
    for row in rows:
        target_user = authors.get(row["target_user_id"])
        replies.append(
            {
                "id": str(row["ext_id"]),
                "target_id": str(row["parent_id"] or row["root_id"] or ""),
                "thread_id": str(row["root_id"] or ""),
                "in_reply_to_user_id": str(target_user["ext_id"])
                if target_user
                else "",
                "text": row["text"],
                "created_at": row["created_at"].isoformat(),
            }
        )
    sent = (
        MockDirectMessage.objects.filter(platform=platform, is_received=True)
        .select_related("recipient")
        .order_by("-ext_id")[: min(max(limit, 1), INBOX_MAX)]
    )
    direct = [
        {
            "id": str(dm.ext_id),
            "recipient_id": str(dm.recipient.ext_id),
            "text": dm.text,
            "created_at": dm.created_at.isoformat(),
        }
        for dm in sent
    ]
    return _json(
        {
            "platform": platform,
            "count": len(replies),
            "replies": replies,
            "direct_messages": direct,
        }
    )
