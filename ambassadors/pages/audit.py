"""The audit log (django-auditlog): every change to people, levels, handles,
rules and policies, browsable and filterable by admins."""

from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date

from .access import admins_only

PAGE_SIZE = 50


@admins_only
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = LogEntry.objects.select_related("actor", "content_type").order_by(
        "-timestamp", "-id"
    )
    model = request.GET.get("model", "")
    actor = request.GET.get("actor", "").strip()
    action = request.GET.get("action", "")
    obj = request.GET.get("object", "").strip()
    since = parse_date(request.GET.get("since", "") or "")
    until = parse_date(request.GET.get("until", "") or "")
    if model.isdigit():
        entries = entries.filter(content_type_id=int(model))
    if actor:
        entries = entries.filter(actor__username__icontains=actor)
    if action.isdigit():
        entries = entries.filter(action=int(action))
    if obj:
        entries = entries.filter(object_repr__icontains=obj)
    if since:
        entries = entries.filter(timestamp__date__gte=since)
    if until:
        entries = entries.filter(timestamp__date__lt=until + dt.timedelta(days=1))
    logged = LogEntry.objects.values_list("content_type_id", flat=True).distinct()
    models = ContentType.objects.filter(pk__in=logged).order_by("app_label", "model")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "entry": e,
            "changes": sorted((e.changes_dict or {}).items()),
        }
        for e in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ambassadors/audit.html",
        {
            "rows": rows,
            "page": page,
            "models": models,
            "actions": LogEntry.Action.choices,
            "filters": {
                "model": model,
                "actor": actor,
                "action": action,
                "object": obj,
                "since": request.GET.get("since", ""),
                "until": request.GET.get("until", ""),
            },
            "query": query.urlencode(),
        },
    )
