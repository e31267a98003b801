"""Pages of the listening room: the room, its panels (htmx), the mention list behind
every point, the wall, and the alert rules."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from listening.models import Alert, AlertRule, Brand, Intent, Mention, Source, WallToken
from listening.room import selectors as room
from listening.room.filters import (
    RANGES,
    FilterError,
    RoomScope,
    parse_filter,
    scope_for,
)
from listening.room.panels import PANELS
from listening.selectors import mentions_latest, sources_with_health
from listening.services.alerts import alert_rule_create, alert_rule_delete

WALL_REFRESH_SECONDS = 30  # default of settings.LISTENING_WALL_REFRESH_SECONDS


def _scope(request: HttpRequest) -> RoomScope:
    scope = scope_for(request.user)
    if not scope.allowed:
        raise PermissionDenied(_("The listening room is for the social team."))
    return scope


def _filter_or_400(request: HttpRequest, scope: RoomScope):
    try:
        return parse_filter(request.GET, scope=scope), None
    except FilterError as error:
        return None, error


def _choices(scope: RoomScope) -> dict:
    brands = Brand.objects.prefetch_related("products")
    if not scope.everything:
        brands = brands.filter(slug__in=list(scope.subjects or []))
    return {
        "brands": list(brands),
        "sources": list(Source.objects.order_by("platform", "name")),
        "ranges": list(RANGES) + ["custom"],
        "intents": Intent.choices,
    }


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


@login_required
def room_view(request: HttpRequest) -> HttpResponse:
    """The listening room: range and filters in the URL, one htmx panel each."""
    scope = _scope(request)
    room_filter, error = _filter_or_400(request, scope)
    if error is not None:
        messages.error(request, error.message)
        room_filter = parse_filter({}, scope=scope)
    return render(
        request,
        "listening/room.html",
        {
            "f": room_filter,
            "qs": room_filter.querystring(
                interval=request.GET.get("interval", ""),
                group_by=request.GET.get("group_by", ""),
                spike=request.GET.get("spike", ""),
            ),
            "panels": list(PANELS),
            "spikes": room.spikes_in(room_filter)[::-1][:10],
            "selected_spike": _int_or_none(request.GET.get("spike")),
            "manager": scope.everything,
            **_choices(scope),
        },
        status=400 if error else 200,
    )


@login_required
def panel_view(request: HttpRequest, name: str) -> HttpResponse:
    """htmx fragment: one panel of the room for the view in the query string."""
    if name not in PANELS:
        raise Http404
    scope = _scope(request)
    room_filter, error = _filter_or_400(request, scope)
    if error is not None:
        return HttpResponseBadRequest(error.message)
    data = PANELS[name].compute(room_filter)
    context = {"f": room_filter, "data": data, "name": name}
    if name == "volume":
        context["spikes"] = [
            {
                "id": s.id,
                "subject": s.subject,
                "t": s.peak_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
                "volume": s.volume,
            }
            for s in room.spikes_in(room_filter)
        ]
    return render(request, f"listening/panels/_{name.replace('-', '_')}.html", context)


@login_required
def mentions_view(request: HttpRequest) -> HttpResponse:
    """The mentions behind a point or a row (newest first), or, with no filter, the
    latest mentions as they arrive."""
    scope = _scope(request)
    drill = any(
        k in request.GET for k in ("range", "start", "author", "keyword", "mention")
    )
    if not drill:
        mentions = list(mentions_latest(user=request.user))
        return render(
            request,
            "listening/home.html",
            {"mentions": mentions, "sources": sources_with_health(), "live": True},
        )
    room_filter, error = _filter_or_400(request, scope)
    if error is not None:
        return HttpResponseBadRequest(error.message)
    mention_id = _int(request.GET.get("mention"))
    if mention_id:
        mentions = list(
            Mention.objects.filter(id=mention_id).select_related("author").defer("raw")
        )
        if not scope.everything:
            mentions = [
                m for m in mentions if set(m.brands or []) & set(scope.subjects)
            ]
    else:
        mentions = room.mentions_behind(
            room_filter,
            author_id=_int(request.GET.get("author")),
            keyword=(request.GET.get("keyword") or "")[:100],
            before_id=_int(request.GET.get("before")),
        )
    return render(
        request,
        "listening/home.html",
        {
            "mentions": mentions,
            "f": room_filter,
            "live": False,
            "more": len(mentions) == room.MENTION_PAGE,
            "next_qs": _next_query(request, mentions),
        },
    )


def _next_query(request: HttpRequest, mentions: list) -> str:
    params = request.GET.copy()
    if mentions:
        params["before"] = str(mentions[-1].id)
    return params.urlencode()


def _int(value) -> int:
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        return 0


@login_required
def latest_rows(request: HttpRequest) -> HttpResponse:
    """htmx fragment: rows newer than ?after=, prepended to the table."""
    _scope(request)
    return render(
        request,
        "listening/_mention_rows.html",
        {
            "mentions": mentions_latest(
                user=request.user, after_id=_int(request.GET.get("after"))
            )
        },
    )


def _wall_allowed(request: HttpRequest) -> bool:
    key = (request.GET.get("t") or "")[:64]
    if key and WallToken.objects.filter(key=key, enabled=True).exists():
        return True
    return request.user.is_authenticated and scope_for(request.user).everything


def wall_view(request: HttpRequest) -> HttpResponse:
    """The wall screen: dark, large, read-only, refreshing itself; a wall token in
    the URL instead of a login."""
    if not _wall_allowed(request):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.get_full_path()}")
        raise PermissionDenied
    room_filter = parse_filter({"range": "24h", "interval": "hour"}, scope=RoomScope())
    spikes = list(room.spikes_since(timezone.now() - dt.timedelta(hours=24))[:5])
    context = {
        "f": room_filter,
        "volume": room.volume_series(room_filter),
        "sov": room.share_of_voice(room_filter),
        "keywords": room.rising_keywords(room_filter, limit=10)["results"],
        "spikes": spikes,
        "spike_points": [
            {
                "id": s.id,
                "subject": s.subject,
                "t": s.peak_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
                "volume": s.volume,
            }
            for s in spikes
        ],
        "refresh": getattr(
            settings, "LISTENING_WALL_REFRESH_SECONDS", WALL_REFRESH_SECONDS
        ),
        "now": timezone.now(),
        "token": (request.GET.get("t") or "")[:64],
    }
    template = "listening/_wall_body.html" if request.htmx else "listening/wall.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def alert_rules_view(request: HttpRequest) -> HttpResponse:
    """Managers make alert rules here; everyone in the room sees the alerts."""
    scope = _scope(request)
    if request.method == "POST":
        if not scope.everything:
            raise PermissionDenied
        try:
            threshold = request.POST.get("threshold") or None
            alert_rule_create(
                user=request.user,
                name=(request.POST.get("name") or "").strip() or _("Alert"),
                kind=request.POST.get("kind", ""),
                subject=request.POST.get("subject", ""),
                threshold=float(threshold) if threshold is not None else None,
                window_minutes=_int(request.POST.get("window_minutes")) or 60,
                user_ids=[_int(v) for v in request.POST.getlist("user_ids") if _int(v)],
                team_ids=[_int(v) for v in request.POST.getlist("team_ids") if _int(v)],
                email=request.POST.get("email") == "on",
            )
        except (ValidationError, ValueError) as error:
            text = "; ".join(
                f"{m}"
                for msgs in getattr(error, "message_dict", {"": [str(error)]}).values()
                for m in msgs
            )
            messages.error(request, text)
            return _rules_page(request, scope, status=400)
        messages.success(request, _("Alert rule saved."))
        return redirect("listening_alerts")
    return _rules_page(request, scope)


def _rules_page(request, scope, *, status: int = 200) -> HttpResponse:
    return render(
        request,
        "listening/alerts.html",
        {
            "rules": AlertRule.objects.order_by("name"),
            "alerts": Alert.objects.select_related("rule", "spike")[:50],
            "kinds": AlertRule.Kind.choices,
            "users": get_user_model()
            .objects.filter(is_active=True)
            .order_by("username"),
            "manager": scope.everything,
            "form": request.POST if request.method == "POST" else {},
        },
        status=status,
    )


@login_required
@require_POST
def alert_rule_delete_view(request: HttpRequest, rule_id: int) -> HttpResponse:
    if not _scope(request).everything:
        raise PermissionDenied
    alert_rule_delete(rule_id=rule_id)
    return redirect("listening_alerts")


def wall_token_new_key() -> str:
    return secrets.token_urlsafe(24)
