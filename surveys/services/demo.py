"""The demo survey: CSAT, NPS and product ideas, in Chinese and English."""

from __future__ import annotations

from collections.abc import Sequence

from coupons.models import Campaign
from coupons.services import DEMO_CAMPAIGN
from listening.models import Platform

from ..models import (
    QuestionKind,
    Survey,
)
from .answering import survey_response_submit
from .building import survey_create
from .links import survey_link_create

DEMO_TITLE = "戴尔服务满意度与产品建议调查"


def demo_seed() -> None:
    """A CSAT/NPS and product-idea survey in Chinese and English, open, sent after
    resolved cases, with a general link per platform and a few answers.
    Idempotent: does nothing when the survey exists."""
    if Survey.objects.filter(title_zh=DEMO_TITLE).exists():
        return

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
        values: list[Sequence[object]] = [[csat], [nps], [use], matters, [idea], []]
        survey_response_submit(
            token=links[platform].token,
            answers={q.id: v for q, v in zip(questions, values, strict=True)},
        )
