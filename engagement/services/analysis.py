"""A community manager corrects the sentiment of a case's mention, or gives a verdict
on a mention the analysis could not decide ("Needs a human"): the analysis keeps the
correction for retraining, and the case follows its latest mention.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import invalid, not_found
from listening.models import Mention
from listening.nlp.services import mention_sentiment_correct

from ..models import Case, CaseMention
from ..selectors import case_get_for_user, case_latest_mention_id
from .access import require_manager


def case_mention_sentiment_correct(
    *, case_id: int, mention_id: int, label: str, actor: User
) -> None:
    """A community manager corrects the sentiment of one of the case's mentions
    (the analysis keeps the correction for retraining)."""
    require_manager(actor)
    case = case_get_for_user(user=actor, case_id=case_id)
    if not CaseMention.objects.filter(case=case, mention_id=mention_id).exists():
        raise not_found("not_found", _("This mention is not part of the case."))
    try:
        mention_sentiment_correct(mention_id=mention_id, label=label, user=actor)
    except ValidationError:
        raise invalid("invalid_sentiment", _("Unknown sentiment.")) from None
    # The case shows the sentiment of its latest mention: follow the correction.
    if case_latest_mention_id(case=case) == mention_id:
        Case.objects.filter(pk=case.pk).update(sentiment_label=label)


@transaction.atomic
def mention_verdict_record(*, mention_id: int, label: str, actor: User) -> None:
    """A verdict from "Needs a human" (sarcasm, an undecided score, lexicon against
    model): a sentiment correction (``train_sentiment`` learns from it; the mention
    leaves the list), and the cases that show this mention's sentiment follow it."""
    require_manager(actor)
    if not Mention.objects.filter(id=mention_id).exists():
        raise not_found("not_found", _("No such mention."))
    try:
        mention_sentiment_correct(mention_id=mention_id, label=label, user=actor)
    except ValidationError:
        raise invalid("invalid_sentiment", _("Unknown sentiment.")) from None
    case_ids = CaseMention.objects.filter(mention_id=mention_id).values_list(
        "case_id", flat=True
    )
    for case in Case.objects.filter(id__in=list(case_ids)).only("id"):
        if case_latest_mention_id(case=case) == mention_id:
            Case.objects.filter(pk=case.pk).update(sentiment_label=label)
