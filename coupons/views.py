"""Campaign pages: list, create and edit (admins), figures and exports (admins and
community managers), bulk code generation with a progress bar."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassadors.permissions import is_admin, is_manager
from common.charts import columns, hbars
from common.errors import DomainError
from common.exports import csv_response, safe_cell
from common.permissions import allowed

from .forms import CampaignForm, GenerateCodesForm
from .models import Campaign, CodeBatch, CouponCode
from .selectors import campaign_batches, campaign_get, campaign_list, campaign_stats
from .services import (
    CAMPAIGN_FIELDS,
    campaign_create,
    campaign_set_status,
    campaign_update,
    code_batch_create,
)
from .tasks import generate_codes
from .templatetags.money import money_text

logger = logging.getLogger(__name__)

readers = allowed(is_manager)
admins = allowed(is_admin)


@readers
def campaign_list_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "coupons/campaign_list.html",
        {"campaigns": campaign_list(), "can_manage": is_admin(request.user)},
    )


@admins
def campaign_create_page(request: HttpRequest) -> HttpResponse:
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = CampaignForm(
        request.POST or None,
        initial={"starts_at": now, "ends_at": now + timedelta(days=30)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_create(**form.cleaned_data, created_by=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Campaign created."))
            return redirect("coupons:detail", pk=campaign.id)
    return render(request, "coupons/campaign_form.html", {"form": form})


@admins
def campaign_edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, id=pk)
    initial = {field: getattr(campaign, field) for field in CAMPAIGN_FIELDS}
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = {f: form.cleaned_data[f] for f in form.changed_data}
        try:
            campaign_update(campaign_id=campaign.id, **changed)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("coupons:detail", pk=campaign.id)
    return render(
        request, "coupons/campaign_form.html", {"form": form, "campaign": campaign}
    )


def _money(value) -> str:
    return money_text(value)


@readers
def campaign_detail_page(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_get(campaign_id=pk)
    if campaign is None:
        raise Http404
    stats = campaign_stats(campaign_id=pk, unattributed_label=_("not attributed"))
    charts = {
        "issued_platform": hbars(
            [(r.label, r.issued) for r in stats.by_platform],
            title=_("Codes issued by platform"),
        ),
        "redeemed_platform": hbars(
            [(r.label, r.redemptions) for r in stats.by_platform],
            title=_("Redemptions by platform"),
        ),
        "revenue_platform": hbars(
            [(r.label, r.revenue) for r in stats.by_platform],
            fmt=_money,
            title=_("Revenue by platform"),
        ),
        "revenue_ambassador": hbars(
            [(r.label, r.revenue) for r in stats.by_ambassador[:15]],
            fmt=_money,
            title=_("Revenue by ambassador"),
        ),
        "issued_ambassador": hbars(
            [(r.label, r.issued) for r in stats.by_ambassador[:15]],
            title=_("Codes issued by ambassador"),
        ),
        "by_day": columns(
            [(day, n) for day, n, _revenue in stats.by_day],
            title=_("Redemptions by day"),
        ),
    }
    return render(
        request,
        "coupons/campaign_detail.html",
        {
            "campaign": campaign,
            "stats": stats,
            "charts": charts,
            "batches": campaign_batches(campaign_id=pk)[:10],
            "generate_form": GenerateCodesForm(),
            "can_manage": is_admin(request.user),
        },
    )


@admins
@require_POST
def campaign_status(request: HttpRequest, pk: int) -> HttpResponse:
    status = request.POST.get("status", "")
    if status not in Campaign.Status.values:
        raise Http404
    campaign_set_status(
        campaign_id=get_object_or_404(Campaign, id=pk).id, status=status
    )
    return redirect("coupons:detail", pk=pk)


@admins
@require_POST
def campaign_generate(request: HttpRequest, pk: int) -> HttpResponse:
    form = GenerateCodesForm(request.POST)
    campaign = get_object_or_404(Campaign, id=pk)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("coupons:detail", pk=pk)
    try:
        with transaction.atomic():
            batch = code_batch_create(
                campaign_id=campaign.id, created_by=request.user, **form.cleaned_data
            )
            transaction.on_commit(lambda: _generation_enqueue(batch.id))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("coupons:detail", pk=pk)


def _generation_enqueue(batch_id: int) -> None:
    """Hand the batch to a worker; if the broker is down the batch stays "waiting"
    on the page (and a later retry of the task still finds it)."""
    try:
        generate_codes.delay(batch_id)
    except Exception:
        logger.warning("could not enqueue code batch %s", batch_id)


@readers
def batch_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx fragment: one batch's progress bar, polling itself until done."""
    batch = get_object_or_404(CodeBatch, id=pk)
    response = render(
        request,
        "coupons/_batch.html",
        {"batch": batch, "can_manage": is_admin(request.user)},
    )
    if batch.status not in ("pending", "running"):
        # The campaign's tiles (codes, free to issue) refresh themselves.
        response["HX-Trigger"] = "codes-generated"
    return response


@readers
def campaign_report_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    campaign = get_object_or_404(Campaign, id=pk)
    stats = campaign_stats(campaign_id=pk, unattributed_label=_("not attributed"))

    def rows():
        yield [
            "dimension",
            "key",
            "label",
            "codes_issued",
            "codes_redeemed",
            "redemption_rate",
            "redemptions",
            "revenue",
            "discount",
            "currency",
        ]
        groups = [("total", [stats.total])]
        groups += [("platform", stats.by_platform), ("ambassador", stats.by_ambassador)]
        for dimension, group in groups:
            for row in group:
                yield [
                    dimension,
                    row.key,
                    safe_cell(row.label),
                    row.issued,
                    row.issued_redeemed,
                    "" if row.rate is None else f"{row.rate:.4f}",
                    row.redemptions,
                    f"{row.revenue:.2f}",
                    f"{row.discount:.2f}",
                    campaign.currency,
                ]
        for day, n, revenue in stats.by_day:
            yield [
                "day",
                day,
                day,
                "",
                "",
                "",
                n,
                f"{revenue:.2f}",
                "",
                campaign.currency,
            ]

    return csv_response(rows(), f"campaign-{pk}-report.csv")


@admins
def campaign_codes_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """Every code of the campaign (or of one batch), for printing or distribution."""
    campaign = get_object_or_404(Campaign, id=pk)
    codes = CouponCode.objects.filter(campaign=campaign).order_by("id")
    batch = request.GET.get("batch", "")
    if batch.isascii() and batch.isdigit():
        codes = codes.filter(batch_id=int(batch))

    def rows():
        yield [
            "code",
            "max_redemptions",
            "redeemed",
            "issued_at",
            "platform",
            "platform_user_id",
            "case_id",
            "revoked",
        ]
        fields = (
            "code",
            "max_redemptions",
            "redeemed_count",
            "issued_at",
            "issued_platform",
            "issued_platform_user_id",
            "case_id",
            "revoked_at",
        )
        for code in codes.only(*fields).iterator(chunk_size=5000):
            yield [
                code.display,
                code.max_redemptions,
                code.redeemed_count,
                code.issued_at.isoformat() if code.issued_at else "",
                code.issued_platform,
                safe_cell(code.issued_platform_user_id),
                code.case_id or "",
                "yes" if code.revoked_at else "",
            ]

    return csv_response(rows(), f"campaign-{pk}-codes.csv")
