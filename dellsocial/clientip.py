"""The client's address, for rate limits and login throttling.

Behind the documented proxy every request comes from the proxy, so its
``X-Forwarded-For`` says who the client is; but that header is believed only when
the peer (``REMOTE_ADDR``) is one of ``settings.TRUSTED_PROXIES`` (addresses or
networks), otherwise anyone could pick their own bucket with a forged header.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return tuple(networks)


def _parse(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in net for net in networks)


def client_ip(request: HttpRequest) -> str:
    """The nearest address in the chain that is not a trusted proxy."""
    peer = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not networks or not _trusted(_parse(peer), networks):
        return peer or "unknown"
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    # Right to left: each hop appended the address it saw; stop at the first hop
    # that is not one of ours.
    for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
        address = _parse(hop)
        if address is None:
            return peer or "unknown"
        if not _trusted(address, networks):
            return str(address)
    return peer or "unknown"
