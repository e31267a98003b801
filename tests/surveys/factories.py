"""Surveys for tests, made through the services."""

from __future__ import annotations

from surveys.models import Question, Survey
from surveys.services import survey_create, survey_invitation_create, survey_link_create

QUESTIONS = [
    {"kind": "rating", "text_zh": "满意吗？", "text_en": "Satisfied?"},
    {"kind": "nps", "text_zh": "会推荐吗？", "text_en": "Recommend us?"},
    {
        "kind": "single",
        "text_zh": "用途",
        "text_en": "Use",
        "choices": [{"zh": "工作", "en": "Work"}, {"zh": "游戏", "en": "Gaming"}],
    },
    {
        "kind": "multiple",
        "text_zh": "看重",
        "text_en": "Matters",
        "required": False,
        "choices": [
            {"zh": "续航", "en": "Battery"},
            {"zh": "重量", "en": "Weight"},
            {"zh": "价格", "en": "Price"},
        ],
    },
    {"kind": "idea", "text_zh": "产品想法", "text_en": "Your idea", "required": False},
]


def make_survey(**overrides) -> Survey:
    fields = {
        "title_zh": "服务满意度调查",
        "title_en": "Service survey",
        "status": "open",
        "questions": QUESTIONS,
    }
    fields.update(overrides)
    return survey_create(**fields)


def questions_of(survey: Survey) -> dict[str, Question]:
    return {q.kind: q for q in survey.questions.all()}


def full_answers(survey: Survey, **by_kind) -> dict[int, list]:
    """A complete, valid set of answers (override per kind)."""
    values = {
        "rating": ["5"],
        "nps": ["9"],
        "single": ["0"],
        "multiple": ["0", "2"],
        "idea": ["希望电池续航更长"],
    }
    values.update(by_kind)
    return {q.id: values.get(kind, []) for kind, q in questions_of(survey).items()}


def personal_link(survey: Survey, uid: str = "1001", **extra):
    return survey_invitation_create(
        survey_id=survey.id, platform="weibo", platform_user_id=uid, **extra
    )


def general_link(survey: Survey, platform: str = "weibo"):
    return survey_link_create(survey_id=survey.id, platform=platform)
