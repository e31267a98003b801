"""Writes of surveys: building, links (personal and general), answering, analysis,
and the CSAT survey sent when a case is resolved."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable, Mapping
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from listening.models import Platform

from .analysis import text_analyze
from .errors import AnswersInvalid, SurveyError
from .models import (
    CHOICE_KINDS,
    TEXT_KINDS,
    Answer,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Survey,
)

logger = logging.getLogger(__name__)

# Link tokens: 10 characters of 56 without look-alikes (0/O/o, 1/l/I): 58 bits, so
# links cannot be guessed, and "https://example.cn/s/" + token stays under 35 ASCII
# characters (17.5 of Weibo's 140).
TOKEN_ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"  # noqa: S105
TOKEN_LENGTH = 10
# A personal link is good for this long (or until the survey closes).
INVITATION_TTL = timedelta(days=30)
# The longest free-text answer kept: a product idea fits; a flood does not.
MAX_TEXT_ANSWER = 2000
MAX_CHOICES = 30

SURVEY_FIELDS = (
    "title_zh",
    "title_en",
    "intro_zh",
    "intro_en",
    "thanks_zh",
    "thanks_en",
    "status",
    "opens_at",
    "closes_at",
    "reward_campaign",
    "auto_csat",
)


def invitation_url(token: str) -> str:
    """The public, short address of a link: ``<base>/s/<token>``.

    ``SURVEY_LINK_BASE`` (a short domain) when the settings have one, else SITE_URL.
    """
    base = getattr(settings, "SURVEY_LINK_BASE", "") or settings.SITE_URL
    return f"{base.rstrip('/')}/s/{token}"


def _token() -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))


# --- building ----------------------------------------------------------------------


def survey_errors(data: Mapping) -> dict[str, str]:
    errors: dict[str, str] = {}
    if (
        not (data.get("title_zh") or "").strip()
        and not (data.get("title_en") or "").strip()
    ):
        errors["title_zh"] = _("Give the survey a title.")
    opens, closes = data.get("opens_at"), data.get("closes_at")
    if opens and closes and closes <= opens:
        errors["closes_at"] = _("The survey must close after it opens.")
    if data.get("status") and data["status"] not in Survey.Status.values:
        errors["status"] = _("Unknown status.")
    return errors


def question_errors(data: Mapping) -> dict[str, str]:
    errors: dict[str, str] = {}
    kind = data.get("kind")
    if kind not in QuestionKind.values:
        errors["kind"] = _("Choose a kind of question.")
    if (
        not (data.get("text_zh") or "").strip()
        and not (data.get("text_en") or "").strip()
    ):
        errors["text_zh"] = _("Write the question.")
    choices = data.get("choices") or []
    if kind in CHOICE_KINDS:
        if len(choices) < 2:
            errors["choices"] = _("Give at least two choices.")
        elif len(choices) > MAX_CHOICES:
            errors["choices"] = _("At most %(n)s choices.") % {"n": MAX_CHOICES}
        elif any(
            not isinstance(c, dict) or not (c.get("zh") or c.get("en")) for c in choices
        ):
            errors["choices"] = _("Every choice needs a text.")
    return errors


def _check(errors: dict[str, str]) -> None:
    if errors:
        field, message = next(iter(errors.items()))
        raise SurveyError("invalid_survey", f"{field}: {message}")


def _question_data(data: Mapping) -> dict:
    kind = data.get("kind")
    choices = [
        {"zh": str(c.get("zh", "")).strip(), "en": str(c.get("en", "")).strip()}
        for c in (data.get("choices") or [])
        if isinstance(c, dict)
    ]
    return {
        "kind": kind,
        "text_zh": (data.get("text_zh") or "").strip(),
        "text_en": (data.get("text_en") or "").strip(),
        "required": bool(data.get("required", True)),
        "choices": choices if kind in CHOICE_KINDS else [],
    }


@transaction.atomic
def survey_create(
    *,
    title_zh: str,
    title_en: str = "",
    intro_zh: str = "",
    intro_en: str = "",
    thanks_zh: str = "",
    thanks_en: str = "",
    status: str = Survey.Status.DRAFT,
    opens_at=None,
    closes_at=None,
    reward_campaign=None,
    auto_csat: bool = False,
    auto_csat_teams: Iterable = (),
    questions: Iterable[Mapping] = (),
    created_by: AbstractBaseUser | None = None,
) -> Survey:
    data = {
        "title_zh": title_zh.strip(),
        "title_en": title_en.strip(),
        "intro_zh": intro_zh,
        "intro_en": intro_en,
        "thanks_zh": thanks_zh,
        "thanks_en": thanks_en,
        "status": status,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "reward_campaign": reward_campaign,
        "auto_csat": auto_csat,
    }
    _check(survey_errors(data))
    questions = [_question_data(q) for q in questions]
    for question in questions:
        _check(question_errors(question))
    if status == Survey.Status.OPEN and not questions:
        raise SurveyError("survey_empty")
    survey = Survey.objects.create(created_by=created_by, **data)
    survey.auto_csat_teams.set(list(auto_csat_teams))
    Question.objects.bulk_create(
        Question(survey=survey, position=index, **question)
        for index, question in enumerate(questions, start=1)
    )
    return survey


@transaction.atomic
def survey_update(*, survey_id: int, auto_csat_teams=None, **changes) -> Survey:
    survey = Survey.objects.select_for_update().filter(id=survey_id).first()
    if survey is None:
        raise SurveyError("survey_not_found")
    unknown = set(changes) - set(SURVEY_FIELDS)
    if unknown:
        raise TypeError(f"not survey settings: {sorted(unknown)}")
    data = {field: getattr(survey, field) for field in SURVEY_FIELDS} | changes
    _check(survey_errors(data))
    if changes.get("status") == Survey.Status.OPEN and not survey.questions.exists():
        raise SurveyError("survey_empty")
    for field, value in changes.items():
        setattr(survey, field, value)
    if changes:
        survey.save(update_fields=[*changes, "updated_at"])
    if auto_csat_teams is not None:
        survey.auto_csat_teams.set(list(auto_csat_teams))
    return survey


def survey_set_status(*, survey_id: int, status: str) -> Survey:
    return survey_update(survey_id=survey_id, status=status)


@transaction.atomic
def question_add(*, survey_id: int, **data) -> Question:
    survey = Survey.objects.select_for_update().filter(id=survey_id).first()
    if survey is None:
        raise SurveyError("survey_not_found")
    question = _question_data(data)
    _check(question_errors(question))
    last = survey.questions.aggregate(m=Max("position"))["m"] or 0
    return Question.objects.create(survey=survey, position=last + 1, **question)


@transaction.atomic
def question_update(*, question_id: int, **data) -> Question:
    question = Question.objects.select_for_update().get(id=question_id)
    new = _question_data(
        {
            "kind": question.kind,
            "text_zh": question.text_zh,
            "text_en": question.text_en,
            "required": question.required,
            "choices": question.choices,
        }
        | data
    )
    _check(question_errors(new))
    structure_changed = new["kind"] != question.kind or len(new["choices"]) < len(
        question.choices
    )
    if structure_changed and question.answers.exists():
        raise SurveyError("question_answered")
    for field, value in new.items():
        setattr(question, field, value)
    question.save(update_fields=list(new))
    return question


@transaction.atomic
def question_delete(*, question_id: int) -> None:
    question = Question.objects.select_for_update().filter(id=question_id).first()
    if question is None:
        return
    if question.answers.exists():
        raise SurveyError("question_answered")
    question.delete()


@transaction.atomic
def question_move(*, question_id: int, offset: int) -> None:
    """Move a question up (offset -1) or down (+1) in its survey."""
    question = Question.objects.select_for_update().get(id=question_id)
    siblings = list(
        Question.objects.select_for_update()
        .filter(survey_id=question.survey_id)
        .order_by("position", "id")
    )
    index = next(i for i, q in enumerate(siblings) if q.id == question.id)
    target = index + offset
    if not 0 <= target < len(siblings):
        return
    siblings.insert(target, siblings.pop(index))
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    Question.objects.bulk_update(siblings, ["position"])


# --- links -------------------------------------------------------------------------


def _invitation_create(**fields) -> Invitation:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Invitation.objects.create(token=_token(), **fields)
        except IntegrityError:
            continue  # a token collision: one chance in 10^17; draw again
    raise RuntimeError("could not draw a unique survey token")


def _survey_for_links(survey_id: int) -> Survey:
    survey = Survey.objects.filter(id=survey_id).first()
    if survey is None:
        raise SurveyError("survey_not_found")
    if survey.status == Survey.Status.CLOSED or (
        survey.closes_at and survey.closes_at <= timezone.now()
    ):
        raise SurveyError("survey_closed")
    return survey


@transaction.atomic
def survey_invitation_create(
    *,
    survey_id: int,
    platform: str,
    platform_user_id: str,
    case_id: int | None = None,
    ambassador: AbstractBaseUser | None = None,
    mention_id: int | None = None,
    reply_id: int | None = None,
) -> Invitation:
    """A single-use link for one customer, to send inside a reply.

    ``invitation.url`` is short enough for a 140-character Weibo reply. Asking again
    for the same case and customer returns the unused link already made (the
    composer may retry). Raises :class:`SurveyError` (``survey_not_found``,
    ``survey_closed``, ``invalid_platform``, ``invalid_customer``,
    ``case_not_found``).
    """
    platform = (platform or "").strip().lower()
    platform_user_id = (platform_user_id or "").strip()
    if platform not in Platform.values:
        raise SurveyError("invalid_platform")
    if not platform_user_id or len(platform_user_id) > 64:
        raise SurveyError("invalid_customer")
    survey = _survey_for_links(survey_id)
    now = timezone.now()
    if case_id is not None:
        from engagement.models import Case

        if not Case.objects.filter(id=case_id).exists():
            raise SurveyError("case_not_found")
        existing = (
            Invitation.objects.filter(
                survey=survey,
                case_id=case_id,
                kind=Invitation.Kind.PERSONAL,
                platform=platform,
                platform_user_id=platform_user_id,
                used_at__isnull=True,
                expires_at__gt=now,
            )
            .order_by("-id")
            .first()
        )
        if existing is not None:
            return existing
    expires = now + INVITATION_TTL
    if survey.closes_at and survey.closes_at < expires:
        expires = survey.closes_at
    return _invitation_create(
        survey=survey,
        kind=Invitation.Kind.PERSONAL,
        platform=platform,
        platform_user_id=platform_user_id,
        case_id=case_id,
        reply_id=reply_id,
        mention_id=mention_id,
        ambassador=ambassador,
        expires_at=expires,
    )


@transaction.atomic
def survey_link_create(*, survey_id: int, platform: str) -> Invitation:
    """The general link of a survey for one platform (to post publicly): made once,
    then the same link again."""
    if platform not in Platform.values:
        raise SurveyError("invalid_platform")
    survey = _survey_for_links(survey_id)
    existing = Invitation.objects.filter(
        survey=survey, kind=Invitation.Kind.GENERAL, platform=platform
    ).first()
    if existing is not None:
        return existing
    return _invitation_create(
        survey=survey, kind=Invitation.Kind.GENERAL, platform=platform
    )


@transaction.atomic
def survey_invitation_attach_reply(*, invitation_id: int, reply_id: int) -> None:
    """Record the reply that carried the link, once the composer has one."""
    Invitation.objects.filter(id=invitation_id).update(reply_id=reply_id)


# --- answering ---------------------------------------------------------------------


def invitation_check(invitation: Invitation | None, *, at=None) -> Invitation:
    """Raise why a link cannot be answered now, if it cannot."""
    at = at or timezone.now()
    if invitation is None:
        raise SurveyError("link_not_found")
    survey = invitation.survey
    if survey.status == Survey.Status.CLOSED or (
        survey.closes_at and survey.closes_at <= at
    ):
        raise SurveyError("survey_closed")
    if survey.status == Survey.Status.DRAFT or (
        survey.opens_at and at < survey.opens_at
    ):
        raise SurveyError("survey_not_open")
    if invitation.is_personal and invitation.used_at is not None:
        raise SurveyError("link_used")
    if invitation.expires_at and invitation.expires_at <= at:
        raise SurveyError("link_expired")
    return invitation


def _clean_text(value: str) -> str:
    """Untrusted text → what is stored: no NUL or other control characters (bar
    newlines and tabs), no lone surrogates, unified newlines, trimmed."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        ch
        for ch in value
        if (ch in "\n\t" or ord(ch) >= 32)
        and ord(ch) != 127
        and not 0xD800 <= ord(ch) <= 0xDFFF
    ).strip()


def _integers(values: list[str]) -> list[int] | None:
    try:
        return [int(str(v).strip()) for v in values]
    except (TypeError, ValueError):
        return None


def _answer_parse(question: Question, values: list) -> tuple[dict | None, str]:
    """One question's raw values → the Answer fields (None: unanswered), or an error."""
    values = [v for v in values if str(v).strip() != ""]
    if not values:
        return None, (_("Please answer this question.") if question.required else "")
    if question.kind in TEXT_KINDS:
        text = _clean_text(str(values[0]))
        if not text:
            return None, (
                _("Please answer this question.") if question.required else ""
            )
        if len(text) > MAX_TEXT_ANSWER:
            return None, _("At most %(n)s characters, please.") % {"n": MAX_TEXT_ANSWER}
        return {"text": text}, ""
    numbers = _integers(values)
    if numbers is None:
        return None, _("Please choose one of the options.")
    if question.kind in CHOICE_KINDS:
        valid = range(len(question.choices))
        if any(n not in valid for n in numbers):
            return None, _("Please choose one of the options.")
        if question.kind == QuestionKind.SINGLE and len(numbers) != 1:
            return None, _("Please choose only one option.")
        return {"choice_indexes": sorted(set(numbers))}, ""
    if len(numbers) != 1 or numbers[0] not in question.scale:
        return None, _("Please choose a score from %(low)s to %(high)s.") % {
            "low": question.scale[0],
            "high": question.scale[-1],
        }
    return {"number": numbers[0]}, ""


def answers_validate(
    questions: Iterable[Question], answers: Mapping[int, list]
) -> dict[int, dict]:
    """Every question's answer, parsed; raises :class:`AnswersInvalid` with a
    message per question when any is wrong."""
    parsed: dict[int, dict] = {}
    errors: dict[int, str] = {}
    for question in questions:
        raw = answers.get(question.id, [])
        if not isinstance(raw, list | tuple):
            raw = [raw]
        fields, error = _answer_parse(question, list(raw))
        if error:
            errors[question.id] = error
        elif fields is not None:
            parsed[question.id] = fields
    if errors:
        raise AnswersInvalid(errors)
    return parsed


def survey_response_submit(
    *,
    token: str,
    answers: Mapping[int, list],
    language: str = "zh-hans",
) -> Response:
    """Store one respondent's answers through a link, all or nothing.

    A personal link is claimed with a compare-and-set in the same transaction, so of
    concurrent submissions exactly one is stored and the others get ``link_used``.
    A respondent we know (personal link) gets the survey's reward code, if any.
    Raises :class:`SurveyError` (``link_not_found``, ``link_used``, ``link_expired``,
    ``survey_closed``, ``survey_not_open``) or :class:`AnswersInvalid`.
    """
    invitation = Invitation.objects.select_related("survey").filter(token=token).first()
    invitation_check(invitation)
    survey = invitation.survey
    questions = list(survey.questions.all())
    parsed = answers_validate(questions, answers)
    with transaction.atomic():
        response = _response_store(
            invitation=invitation,
            questions=questions,
            parsed=parsed,
            language=language,
        )
    return response


def _response_store(*, invitation, questions, parsed, language) -> Response:
    now = timezone.now()
    if invitation.is_personal:
        claimed = Invitation.objects.filter(
            id=invitation.id, used_at__isnull=True
        ).update(used_at=now)
        if claimed != 1:
            raise SurveyError("link_used")
    first_of = {}
    for question in questions:
        first_of.setdefault(question.kind, question.id)
    nps = parsed.get(first_of.get(QuestionKind.NPS), {}).get("number")
    csat = parsed.get(first_of.get(QuestionKind.RATING), {}).get("number")
    response = Response.objects.create(
        survey_id=invitation.survey_id,
        invitation=invitation,
        platform=invitation.platform,
        platform_user_id=invitation.platform_user_id,
        case_id=invitation.case_id,
        ambassador_id=invitation.ambassador_id,
        language="en" if language.startswith("en") else "zh-hans",
        submitted_at=now,
        nps_score=nps,
        csat_score=csat,
    )
    Answer.objects.bulk_create(
        Answer(response=response, question_id=question_id, **fields)
        for question_id, fields in parsed.items()
    )
    _reward_give(response=response, invitation=invitation)
    if any("text" in fields for fields in parsed.values()):
        transaction.on_commit(lambda: _analysis_enqueue(response.id))
    return response


def _analysis_enqueue(response_id: int) -> None:
    """Ask a worker for the text analysis. The answers are already stored: a broker
    that is down must not turn the respondent's success into an error (the results
    page analyses what the worker has not)."""
    from .tasks import analyze_response

    try:
        analyze_response.delay(response_id)
    except Exception:
        logger.warning("could not enqueue the analysis of response %s", response_id)


def _reward_give(*, response: Response, invitation: Invitation) -> None:
    survey = invitation.survey
    if not (survey.reward_campaign_id and invitation.is_personal):
        return
    from coupons.errors import CouponError
    from coupons.services import coupon_issue

    try:
        with transaction.atomic():
            code = coupon_issue(
                campaign_id=survey.reward_campaign_id,
                platform=invitation.platform,
                platform_user_id=invitation.platform_user_id,
                ambassador=invitation.ambassador,
                case_id=invitation.case_id,
                mention_id=invitation.mention_id,
            )
    except CouponError as error:
        # The answers count even when the reward ran out: say so, keep them.
        logger.info("survey %s: no reward (%s)", survey.id, error.code)
        return
    response.reward_code = code
    response.save(update_fields=["reward_code"])


def response_analyze(*, response_id: int) -> int:
    """Keywords and sentiment of a response's text answers (idempotent)."""
    answers = list(
        Answer.objects.filter(
            response_id=response_id, analyzed_at__isnull=True
        ).exclude(text="")
    )
    now = timezone.now()
    for answer in answers:
        result = text_analyze(answer.text)
        answer.keywords = result.keywords
        answer.sentiment = result.sentiment
        answer.analyzed_at = now
    Answer.objects.bulk_update(answers, ["keywords", "sentiment", "analyzed_at"])
    return len(answers)


# --- CSAT after a resolved case ----------------------------------------------------


def csat_message(invitation: Invitation) -> str:
    """The reply that carries a CSAT link: fits a 140-character Weibo reply."""
    if invitation.platform == Platform.TWITTER:
        return f"Thanks for talking to us! How did we do? {invitation.url}"
    return f"感谢您联系我们！请花一分钟评价本次服务：{invitation.url}"


def survey_for_case_csat(*, team_id: int | None) -> Survey | None:
    """The open survey set to follow resolved cases of this team (newest first)."""
    now = timezone.now()
    for survey in (
        Survey.objects.filter(auto_csat=True, status=Survey.Status.OPEN)
        .prefetch_related("auto_csat_teams")
        .order_by("-id")
    ):
        teams = {team.id for team in survey.auto_csat_teams.all()}
        if survey.is_accepting(now) and (not teams or team_id in teams):
            return survey
    return None


def survey_send_csat_for_case(*, case_id: int) -> Invitation | None:
    """After a case is resolved: a personal CSAT link for its customer.

    Returns None when nothing is to be sent (no such case, no author, no CSAT survey
    for the case's team). Idempotent: the same case gets the same link. The reply
    carrying it (``csat_message``) is posted by engagement's reply delivery.
    """
    from engagement.models import Case

    case = Case.objects.select_related("author").filter(id=case_id).first()
    if case is None or case.author is None:
        return None
    survey = survey_for_case_csat(team_id=case.team_id)
    if survey is None:
        return None
    already = Invitation.objects.filter(survey=survey, case_id=case.id).first()
    if already is not None:
        return already
    return survey_invitation_create(
        survey_id=survey.id,
        platform=case.platform,
        platform_user_id=case.author.external_id,
        case_id=case.id,
        ambassador=case.assignee,
    )


# --- demo --------------------------------------------------------------------------

DEMO_TITLE = "戴尔服务满意度与产品建议调查"


def demo_seed() -> None:
    """A CSAT/NPS and product-idea survey in Chinese and English, open, sent after
    resolved cases, with a general link per platform and a few answers.
    Idempotent: does nothing when the survey exists."""
    if Survey.objects.filter(title_zh=DEMO_TITLE).exists():
        return
    from coupons.models import Campaign
    from coupons.services import DEMO_CAMPAIGN

    reward = Campaign.objects.filter(name=DEMO_CAMPAIGN).first()
    survey = survey_create(
        title_zh=DEMO_TITLE,
        title_en="Dell service satisfaction and product ideas",
        intro_zh="感谢您抽出一分钟时间！您的意见会直接送到我们的产品团队。",
        intro_en="Thank you for taking a minute! Your answers go straight to our "
        "product team.",
        thanks_zh="谢谢您的反馈！",
        thanks_en="Thank you for your feedback!",
        status=Survey.Status.OPEN,
        reward_campaign=reward,
        auto_csat=True,
        questions=[
            {
                "kind": QuestionKind.RATING,
                "text_zh": "您对本次服务的满意程度如何？",
                "text_en": "How satisfied are you with our service?",
            },
            {
                "kind": QuestionKind.NPS,
                "text_zh": "您有多大可能向朋友推荐戴尔？",
                "text_en": "How likely are you to recommend Dell to a friend?",
            },
            {
                "kind": QuestionKind.SINGLE,
                "text_zh": "您主要用电脑做什么？",
                "text_en": "What do you mostly use your computer for?",
                "choices": [
                    {"zh": "工作", "en": "Work"},
                    {"zh": "学习", "en": "Study"},
                    {"zh": "游戏", "en": "Gaming"},
                    {"zh": "其他", "en": "Other"},
                ],
            },
            {
                "kind": QuestionKind.MULTIPLE,
                "text_zh": "您最看重哪些方面？",
                "text_en": "What matters most to you?",
                "required": False,
                "choices": [
                    {"zh": "续航", "en": "Battery life"},
                    {"zh": "重量", "en": "Weight"},
                    {"zh": "屏幕", "en": "Screen"},
                    {"zh": "价格", "en": "Price"},
                    {"zh": "售后服务", "en": "After-sales service"},
                ],
            },
            {
                "kind": QuestionKind.IDEA,
                "text_zh": "您对戴尔产品有什么新想法？",
                "text_en": "Your product idea for Dell",
                "required": False,
            },
            {
                "kind": QuestionKind.TEXT,
                "text_zh": "还有什么想告诉我们的吗？",
                "text_en": "Anything else you would like to tell us?",
                "required": False,
            },
        ],
    )
    links = {
        p: survey_link_create(survey_id=survey.id, platform=p) for p in Platform.values
    }
    samples = [
        ("weibo", 5, 10, 0, [0, 1], "希望笔记本电池续航更长，最好能用一整天"),
        ("weibo", 4, 9, 1, [3], "希望推出更轻薄的学生本，价格实惠一点"),
        ("weibo", 2, 4, 2, [4], "售后维修太慢了，希望能上门服务"),
        ("weibo", 5, 8, 0, [0], "电池续航再长一点就完美了"),
        ("twitter", 4, 9, 2, [2], "A lighter gaming laptop with a better screen"),
        ("twitter", 3, 6, 0, [1, 3], "Longer battery life please"),
        ("renren", 5, 10, 1, [0, 3], "学生优惠活动再多一些"),
    ]
    questions = list(survey.questions.order_by("position"))
    for platform, csat, nps, use, matters, idea in samples:
        values = [[csat], [nps], [use], matters, [idea], []]
        survey_response_submit(
            token=links[platform].token,
            answers={q.id: v for q, v in zip(questions, values, strict=True)},
        )
