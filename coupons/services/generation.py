"""Bulk code generation: batches within the budget, made chunk by chunk."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from common.db import column_name

from ..codes import codes_random
from ..errors import coupon_error
from ..models import (
    Campaign,
    CodeBatch,
    CouponCode,
)

logger = logging.getLogger(__name__)

# Codes inserted per statement and per committed step of a bulk generation: large
# enough that 100,000 codes take a few seconds, small enough that the progress bar
# moves every fraction of a second and a failure loses little.
GENERATION_CHUNK = 10_000
# The most codes one request may ask for (the "100,000 in one go").
MAX_CODES_PER_BATCH = 100_000


def budget_used(campaign: Campaign) -> int:
    """Uses already promised by the campaign's batches (failed ones count what they
    made)."""
    total = 0
    for batch in campaign.batches.only(
        "count", "generated", "max_redemptions", "status"
    ):
        made = (
            batch.generated if batch.status == CodeBatch.Status.FAILED else batch.count
        )
        total += made * batch.max_redemptions
    return total


@transaction.atomic
def code_batch_create(
    *,
    campaign_id: int,
    count: int,
    max_redemptions: int = 1,
    created_by: User | None = None,
) -> CodeBatch:
    """Order ``count`` codes for a campaign, within its budget.

    The codes are made by :func:`code_batch_generate` (a Celery task for the browser,
    so the page can show progress; called directly by the API).
    """
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise coupon_error(
            "invalid_campaign",
            _("Between 1 and %(max)s codes at a time.") % {"max": MAX_CODES_PER_BATCH},
        )
    if max_redemptions < 1:
        raise coupon_error("invalid_campaign", _("Each code allows at least one use."))
    try:
        # The lock makes two concurrent orders see each other's use of the budget.
        campaign = Campaign.objects.select_for_update().get(id=campaign_id)
    except Campaign.DoesNotExist:
        raise coupon_error("campaign_not_found") from None
    if campaign.status == Campaign.Status.CLOSED:
        raise coupon_error("campaign_closed")
    if campaign.budget is not None:
        used = budget_used(campaign)
        if used + count * max_redemptions > campaign.budget:
            raise coupon_error(
                "budget_exceeded",
                _("The budget allows %(left)s more uses; %(asked)s were asked for.")
                % {"left": campaign.budget - used, "asked": count * max_redemptions},
            )
    return CodeBatch.objects.create(
        campaign=campaign,
        count=count,
        max_redemptions=max_redemptions,
        created_by=created_by,
    )


def code_batch_generate(*, batch_id: int) -> CodeBatch | None:
    """Make a batch's codes, committing chunk by chunk so progress shows as it goes.

    Idempotent: only a waiting batch is taken (compare-and-set), and a batch that was
    interrupted while generating resumes from the count it had committed.
    """
    claimed = CodeBatch.objects.filter(
        id=batch_id, status__in=[CodeBatch.Status.PENDING, CodeBatch.Status.RUNNING]
    ).update(status=CodeBatch.Status.RUNNING)
    if claimed != 1:
        return CodeBatch.objects.filter(id=batch_id).first()
    batch = CodeBatch.objects.get(id=batch_id)
    try:
        while batch.generated < batch.count:
            size = min(GENERATION_CHUNK, batch.count - batch.generated)
            _generate_chunk(batch=batch, size=size)
    except Exception as error:
        logger.exception("code batch %s failed", batch_id)
        CodeBatch.objects.filter(id=batch_id).update(
            status=CodeBatch.Status.FAILED,
            error=str(error)[:1000],
            finished_at=timezone.now(),
        )
        raise
    CodeBatch.objects.filter(id=batch_id).update(
        status=CodeBatch.Status.DONE, finished_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch


# A chunk that hits an existing code (one chance in ~10^13 per chunk) is redrawn.
_CHUNK_ATTEMPTS = 5


def _generate_chunk(*, batch: CodeBatch, size: int) -> None:
    now = timezone.now()
    for _attempt in range(_CHUNK_ATTEMPTS):
        codes = set(codes_random(size))
        while len(codes) < size:
            codes.update(codes_random(size - len(codes)))
        try:
            with transaction.atomic():
                _insert_codes(batch=batch, codes=codes, now=now)
                CodeBatch.objects.filter(id=batch.id).update(
                    generated=F("generated") + size
                )
        except IntegrityError:
            continue
        batch.generated += size
        return
    raise RuntimeError("could not draw unique codes")


def _insert_codes(*, batch: CodeBatch, codes: set[str], now: dt.datetime) -> None:
    """One chunk of new codes. On PostgreSQL one INSERT ... SELECT unnest(array):
    no model instance per code, a single round trip (about twice as fast as
    bulk_create for 100,000 codes)."""
    if connection.vendor != "postgresql":
        CouponCode.objects.bulk_create(
            CouponCode(
                campaign_id=batch.campaign_id,
                batch_id=batch.id,
                code=code,
                max_redemptions=batch.max_redemptions,
                created_at=now,
            )
            for code in codes
        )
        return
    meta = CouponCode._meta
    columns: dict[str, Any] = {
        "campaign": batch.campaign_id,
        "batch": batch.id,
        "max_redemptions": batch.max_redemptions,
        "redeemed_count": 0,
        "kind": CouponCode.Kind.PERSONAL,
        "issued_platform": "",
        "issued_platform_user_id": "",
        "created_at": now,
    }
    names = ", ".join(column_name(CouponCode, f) for f in ["code", *columns])
    values = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {meta.db_table} ({names}) "
            f"SELECT unnest(%s::varchar[]), {values}",
            [list(codes), *columns.values()],
        )


def codes_generate(
    *,
    campaign_id: int,
    count: int,
    max_redemptions: int = 1,
    created_by: User | None = None,
) -> CodeBatch:
    """Order and make codes at once (the API, the demo, the benchmark)."""
    batch = code_batch_create(
        campaign_id=campaign_id,
        count=count,
        max_redemptions=max_redemptions,
        created_by=created_by,
    )
    generated = code_batch_generate(batch_id=batch.id)
    assert generated is not None, "the batch was ordered in this very call"
    return generated
