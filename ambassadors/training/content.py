"""The demo's courses (SMaC: Social Media and Community University), in Chinese and
English. Plain data: ``ambassadors.demo`` loads it."""

from __future__ import annotations

PRINCIPLES = [
    (
        "保护信息",
        "Protect information",
        "不公开未发布的产品、价格、客户资料或任何内部信息。拿不准时，先问经理。\n\n"
        "- 客户的订单号、电话、地址只在私信或工单系统里处理\n"
        "- 截图前检查有没有内部系统的内容",
        "Never publish unreleased products, prices, customer data or anything "
        "internal. When in doubt, ask your manager first.\n\n"
        "- Order numbers, phone numbers and addresses belong in private messages or "
        "the ticket system\n- Check screenshots for internal systems before posting",
    ),
    (
        "保持透明，表明身份",
        "Be transparent and disclose",
        "代表公司发言时，说明你是**戴尔员工**。你的账号简介和每条回复的签名都要写明。"
        "\n\n> 例如：`—戴尔员工 小王`",
        "When you speak about the company, say that you are a **Dell employee**: in "
        "your account's profile and in the signature of every reply.\n\n"
        "> For example: `—Dell employee Wang`",
    ),
    (
        "遵守法律和行为准则",
        "Follow the law and the code of conduct",
        "广告法、隐私法和公司行为准则在社交媒体上同样适用。不承诺做不到的事，不贬低竞争对手。",
        "Advertising law, privacy law and the code of conduct apply on social media "
        "too. Promise nothing you cannot keep; never disparage a competitor.",
    ),
    (
        "负责任",
        "Be responsible",
        "你发的内容会被长期保存和转发。只谈你了解的领域；复杂或敏感的问题升级给经理。",
        "What you post is kept and shared for a long time. Speak about what you know; "
        "escalate complex or sensitive questions to a manager.",
    ),
    (
        "友善、有趣、建立联系",
        "Be nice, have fun and connect",
        "用真诚、友好的语气交流。感谢每一条反馈，包括批评。",
        "Be genuine and friendly. Thank people for every piece of feedback, criticism "
        "included.",
    ),
]

ORIENTATION_QUESTIONS = [
    # (kind, zh, en, explanation zh, explanation en, [(zh, en, correct), ...])
    (
        "single",
        "回复客户时，你必须在签名中写明什么？",
        "What must your signature say when you reply to a customer?",
        "透明原则：说明你是戴尔员工。",
        "Transparency: say that you are a Dell employee.",
        [
            ("你是戴尔员工", "That you are a Dell employee", True),
            ("你的手机号码", "Your phone number", False),
            ("什么都不用写", "Nothing", False),
        ],
    ),
    (
        "multiple",
        "以下哪些信息不能在公开回复中发布？",
        "Which of these must never appear in a public reply?",
        "客户资料和未发布的信息都属于需要保护的信息。",
        "Customer data and unreleased information are protected information.",
        [
            ("客户的订单号和地址", "A customer's order number and address", True),
            ("下个季度的新品价格", "Next quarter's prices", True),
            ("官方支持网站的链接", "A link to the public support site", False),
        ],
    ),
    (
        "single",
        "客户在微博上提出一个你不确定的法律问题，你应该怎么做？",
        "A customer asks a legal question you are unsure about. What do you do?",
        "负责任：只谈你了解的领域，升级给经理。",
        "Be responsible: speak about what you know and escalate.",
        [
            ("升级给经理", "Escalate it to a manager", True),
            ("凭印象回答", "Answer from memory", False),
            ("忽略它", "Ignore it", False),
        ],
    ),
    (
        "single",
        "有人批评我们的产品，最好的第一反应是？",
        "Someone criticises our product. The best first response is to…",
        "友善：感谢反馈，然后提供帮助。",
        "Be nice: thank them, then offer help.",
        [
            ("感谢反馈并提供帮助", "Thank them and offer help", True),
            ("指出竞争对手更差", "Point out that competitors are worse", False),
            ("删除评论", "Delete the comment", False),
        ],
    ),
    (
        "multiple",
        "五项原则包括哪些？",
        "Which of these are among the five principles?",
        "五项原则：保护信息；保持透明；遵守法律和准则；负责任；友善、有趣、建立联系。",
        "Protect information; disclose; follow the law and the code; be "
        "responsible; be nice, have fun and connect.",
        [
            ("保护信息", "Protect information", True),
            ("保持透明，表明身份", "Be transparent and disclose", True),
            ("尽量多发帖", "Post as much as possible", False),
        ],
    ),
]

COURSES = [
    # slug, zh, en, summary zh, summary en, refresher, lessons, questions
    {
        "slug": "orientation",
        "title_zh": "社交媒体在我们公司：五项原则",
        "title_en": "Social media at our company: the five principles",
        "summary_zh": "约两小时的入门课程。通过测验即成为“爱好者”，可以分享公司新闻。",
        "summary_en": "About two hours. Pass its quiz to become an Enthusiast, who may "
        "share the company's news.",
        "lessons": [
            (
                "为什么我们在社交媒体上发言",
                "Why we speak on social media",
                "客户每天都在微博、人人网和 Twitter 上谈论我们。**倾听**和**真诚回应**"
                "是我们赢得信任的方式。\n\n本课程介绍五项原则，每一项一节课。",
                "Customers talk about us every day on Weibo, Renren and Twitter. "
                "**Listening** and **answering honestly** is how we earn "
                "their trust.\n\n"
                "This course walks through the five principles, one lesson each.",
                20,
            ),
        ]
        + [
            (f"原则{i + 1}：{zh}", f"Principle {i + 1}: {en}", body_zh, body_en, 20)
            for i, (zh, en, body_zh, body_en) in enumerate(PRINCIPLES)
        ],
        "questions": ORIENTATION_QUESTIONS,
        "quiz": {"pass_mark": 80, "time_limit_minutes": 20, "cooldown_minutes": 60},
    },
    {
        "slug": "customer-care",
        "title_zh": "在公开场合服务客户",
        "title_en": "Caring for customers in public",
        "summary_zh": "回复的结构、语气、长度限制、何时转私信。",
        "summary_en": "How a reply is built, its tone, length limits, when to move to "
        "private messages.",
        "lessons": [
            (
                "一条好回复的结构",
                "The shape of a good reply",
                "1. 称呼并感谢\n2. 回答问题或说明下一步\n3. 签名（表明身份）",
                "1. Greet and thank\n2. Answer, or say what happens next\n"
                "3. Sign (disclose)",
                25,
            ),
            (
                "长度与平台",
                "Length and platforms",
                "微博 140 字，人人网 240 字，Twitter 280 个字符。签名也占字数。",
                "Weibo: 140 characters, Renren 240, Twitter 280. The signature counts.",
                20,
            ),
        ],
        "questions": [
            (
                "single",
                "一条回复的最后应该是什么？",
                "What ends every reply?",
                "签名表明你的身份。",
                "The signature discloses who you are.",
                [
                    ("签名", "The signature", True),
                    ("促销链接", "A promotion link", False),
                ],
            ),
            (
                "single",
                "微博回复最多多少字？",
                "How long may a Weibo reply be?",
                "微博的限制是 140 字（签名也算在内）。",
                "Weibo allows 140 characters, signature included.",
                [("140", "140", True), ("500", "500", False), ("2000", "2000", False)],
            ),
        ],
        "quiz": {"pass_mark": 100, "time_limit_minutes": 15, "cooldown_minutes": 30},
    },
    {
        "slug": "escalation",
        "title_zh": "危机与升级",
        "title_en": "Crises and escalation",
        "summary_zh": "识别危机、有影响力的用户和需要专家处理的问题。",
        "summary_en": "Spotting a crisis, influential users and cases for an expert.",
        "lessons": [
            (
                "什么时候升级",
                "When to escalate",
                "安全问题、媒体、律师、粉丝很多的用户：**立即升级**，不要自己回复。",
                "Safety issues, journalists, lawyers, users with many followers: "
                "**escalate at once**, do not answer alone.",
                25,
            ),
        ],
        "questions": [
            (
                "single",
                "一位拥有 50 万粉丝的用户投诉笔记本电池发热，你应该？",
                "A user with 500,000 followers says a laptop battery overheats. You…",
                "安全问题和有影响力的用户都要升级。",
                "Safety and influential users both mean escalation.",
                [
                    ("立即升级", "Escalate at once", True),
                    ("建议他重启电脑", "Suggest a restart", False),
                ],
            ),
        ],
        "quiz": {"pass_mark": 100, "time_limit_minutes": 10, "cooldown_minutes": 30},
    },
    {
        "slug": "refresher",
        "title_zh": "年度复训",
        "title_en": "Annual refresher",
        "summary_zh": "每年一次：回顾五项原则和政策的变化，续期你的认证。",
        "summary_en": "Once a year: the five principles and what changed in the "
        "policy; renews your certification.",
        "is_refresher": True,
        "lessons": [
            (
                "今年有什么变化",
                "What changed this year",
                "请重新阅读最新的社交媒体政策，然后完成测验。",
                "Read the current social media policy again, then take the quiz.",
                15,
            ),
        ],
        "questions": ORIENTATION_QUESTIONS[:3],
        "quiz": {"pass_mark": 80, "time_limit_minutes": 15, "cooldown_minutes": 30},
    },
]

LEVELS = [
    # rank, zh, en, courses (slugs) or "all", within days, approved, sent, csat, days
    (1, "爱好者", "Enthusiast", ["orientation"], None, 0, 0, None, None),
    (2, "专业人员", "Professional", "all", 365, 10, 0, None, 365),
    (3, "专家", "Expert", "all", 365, 10, 50, "4.0", 365),
]

POLICY = {
    "title_zh": "戴尔社交媒体政策",
    "title_en": "Dell social media policy",
    "body_zh": "代表公司在社交媒体上发言的每一位员工都遵守五项原则：\n\n"
    + "\n".join(f"{i + 1}. **{zh}**" for i, (zh, _en, _b, _e) in enumerate(PRINCIPLES))
    + "\n\n你的账号简介必须表明你是戴尔员工。",
    "body_en": "Every employee who speaks for the company on social media follows the "
    "five principles:\n\n"
    + "\n".join(f"{i + 1}. **{en}**" for i, (_zh, en, _b, _e) in enumerate(PRINCIPLES))
    + "\n\nYour account's profile must say that you work for Dell.",
}
