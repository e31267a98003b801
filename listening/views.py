from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from listening.selectors import mentions_latest, sources_with_health


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The listening room's live list of the latest mentions (updates itself)."""
    mentions = list(mentions_latest(user=request.user))
    return render(
        request,
        "listening/home.html",
        {
            "mentions": mentions,
            "sources": sources_with_health(),
        },
    )


@login_required
def latest_rows(request: HttpRequest) -> HttpResponse:
    """htmx fragment: rows newer than ?after=, prepended to the table."""
    try:
        after = max(0, int(request.GET.get("after", "0")))
    except ValueError:
        after = 0
    return render(
        request,
        "listening/_mention_rows.html",
        {"mentions": mentions_latest(user=request.user, after_id=after)},
    )
