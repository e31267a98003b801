"""Templates of the generated posts, one set per platform and intent, and the slot
filler that turns them into text with a seeded random.Random."""

from __future__ import annotations

import random
import string

from . import words as w

WEIBO_BRAND_HANDLE = "戴尔中国"
TWITTER_BRAND_HANDLE = "DellCares"
RENREN_BRAND_NAME = "戴尔中国"

WEIBO = {
    "complaint": (
        "{product}又{issue}了{neg}，买了不到{months}个月，{brand}{service}电话一直"
        "打不通，{slang_neg}！",
        "吐槽一下{brand}的{service}，等了{days}天没人上门，说好的次日上门服务呢？{neg}",
        "新买的{product}开机就{issue}，这质量也是{slang_neg}{neg} #{topic}#",
        "{brand}{service}态度太差了，问三句答一句，再也不买{brand}了{neg}",
        "{product}用了{months}个月{issue}，送修{days}天还没修好，{slang_neg}",
        "求助！{product}突然{issue}，重装系统也没用，{brand}客服让我等{days}天{neg}",
        "{brand}的{product}{issue}是通病吧？身边三个人都这样{neg} #{topic}#",
    ),
    "sarcasm": (
        "呵呵，{brand}{service}真是太棒了，修了{n}次还{issue}{sarc}",
        "感谢{brand}，让我体验了一把{product}每天{issue}的刺激{sarc}",
        "{brand}的{service}效率真高啊，一个月才回我电话{sarc}",
        "真是给力啊，新电脑第{n}天就{issue}了，{brand}牛{sarc}",
        "{product}{issue}的时候我终于明白什么叫“品质保证”了{sarc}",
    ),
    "question": (
        "请问{product}的{part}能自己换吗？有没有懂行的？",
        "{product}和{comp_product}哪个好？纠结中…",
        "{brand}的保修怎么查啊？官网找了半天{neg}",
        "有人知道{product}{issue}怎么解决吗？在线等，挺急的",
        "{brand}{service}电话多少？{product}{issue}了",
        "{product}能加{part}吗？最多支持多大？",
    ),
    "purchase": (
        "想买{product}，{price}块值不值？求推荐 #求推荐#",
        "毕业了想入一台笔记本，预算{budget}，{brand}还是{comp}？",
        "{product}现在多少钱？京东和官网哪个便宜",
        "准备双十一入手{product}，有没有优惠券啊{pos}",
        "公司要采购一批{product}，{brand}有没有大客户渠道？",
        "纠结{product}还是{comp_product}，各位给点建议{pos}",
    ),
    "praise": (
        "{brand}{service}{slang_pos}！{product}主板坏了第二天就上门换好了{pos}",
        "刚入手{product}，屏幕太漂亮了{pos}",
        "用了三年的{product}还是很稳，{brand}品质{slang_pos}{pos}",
        "{brand}的工程师小哥很专业，{days}分钟就搞定了，点赞{pos}",
        "{product}打游戏一点不卡，{slang_pos}{pos} #{topic}#",
    ),
    "competitor": (
        "{comp}的新本子看着不错，{brand}要加油啊",
        "用了五年{comp}，这次换{brand}试试{pos}",
        "{comp_product}和{product}对比评测，结果有点意外 #{topic}#",
        "{comp}售后比{brand}强多了，{slang_neg}",
        "室友的{comp_product}{issue}了，还是我的{product}靠谱{pos}",
    ),
    "neutral": (
        "【{brand}】{brand}发布新款{product}，售价{price}元起 #{topic}#",
        "{city}的{brand}体验店开业了，有人去过吗",
        "#{topic}# {product}拆机图，做工还可以",
        "今天在{city}看到{brand}的广告，{product}终于降价了",
    ),
    "crisis": (
        "#{crisis_tag}# 我的{crisis_product}也{crisis_issue}了！"
        "{brand}到底管不管？{neg}",
        "又一个{crisis_product}{crisis_issue}的，{brand}的回应呢？这是批次问题吧{neg}",
        "{crisis_product}{crisis_issue}第{n}次了，{brand}{service}只会让重装系统，"
        "{slang_neg}！#{crisis_tag}#",
        "强烈要求{brand}召回问题{crisis_product}！{crisis_issue}根本没法用{neg}",
        "呵呵，{crisis_product}天天{crisis_issue}，{brand}还说是个例{sarc}",
        "身边五个人的{crisis_product}都{crisis_issue}，{brand}必须给个说法 "
        "#{crisis_tag}#",
    ),
    "brand": (
        "【新品】{product}全新上市，轻薄便携，首发价{price}元起！#戴尔新品#",
        "#戴尔服务# 电脑遇到问题？私信我们或拨打400-884-6610，工程师在线为您服务",
        "转发本微博并@三位好友，抽3位送戴尔无线鼠标！#戴尔抽奖#",
        "{product}开学季优惠，学生认证立减{n}00元 #{topic}#",
    ),
    "comment": (
        "同问",
        "我也是{issue}，坐等官方回复{neg}",
        "楼主打400电话试试",
        "哈哈哈{pos}",
        "{brand}售后确实{slang_pos}",
        "+1，一样的问题",
        "求解决方法{neg}",
        "我的{product}也这样，{slang_neg}",
        "什么时候降价？",
        "{product}有货吗？",
        "抽我抽我{pos}",
        "我的电脑{issue}了你们管不管{neg}",
    ),
    "repost": (
        "转发微博",
        "同感{neg}",
        "mark",
        "太真实了{pos}",
        "转给需要的朋友",
        "{brand}出来说句话",
        "",
    ),
}

TWITTER = {
    "complaint": (
        "My {product} {issue} after the last update. Third repair this year. "
        "Not happy {eneg}",
        "Day {days} waiting for {brand} support to call me back about my {product}. "
        "{tag}",
        "Brand new {product} and it already {issue}. Seriously {brand}? {eneg}",
        "Been on hold with {brand} for {n} hours. My {product} {issue}. {tag}",
    ),
    "sarcasm": (
        "Great, my brand new {product} died after {n} weeks. Thanks {brand}, really "
        "love your quality control {eneg}",
        "Nothing says premium like a {product} that {issue} {eneg}",
        "Wow {brand} support, {days} days to tell me to reinstall Windows. Genius.",
    ),
    "question": (
        "How do I check the warranty on my {product}? Service tag {stag}",
        "Anyone know why my {product} {issue}? Tried everything {tag}",
        "Can I upgrade the RAM on the {product} myself?",
        "Is the {product} worth it over the {comp}? {tag}",
    ),
    "purchase": (
        "Thinking about getting the {product} vs a {comp}. Anyone have experience? "
        "{tag}",
        "Finally ordering the {product}! ${usd} with the student discount {epos}",
        "Need a new laptop for college. {product} or {comp}?",
    ),
    "praise": (
        "Shoutout to {brand} - tech came next day and swapped the motherboard on my "
        "{product}. Impressed! {epos}",
        "Loving my new {product}, that screen {epos}",
        "{brand} support actually fixed my {product} in {n} minutes. Wow {epos}",
    ),
    "competitor": (
        "Switched from {comp} to {product} and not looking back {epos}",
        "{comp} support > {brand} support. Sorry not sorry {tag}",
        "{product} vs {comp}: honest review after {n} months {link}",
    ),
    "neutral": (
        "{brand} announces new {product} lineup {link}",
        "Unboxing the {product} today {link} {tag}",
        "{brand} earnings call today, watching the PC numbers {link}",
    ),
    "crisis": (
        "My {crisis_product} is ALSO {crisis_issue_en}. {brand} this is a pattern, "
        "fix it #{crisis_tag_en}",
        "How many {crisis_product} owners have to report {crisis_issue_en} before "
        "{brand} does a recall? {eneg}",
        "Third {crisis_product} in the office {crisis_issue_en} today. {brand}?? "
        "#{crisis_tag_en}",
    ),
    "brand": (
        "Having trouble with your {product}? DM us your service tag and we'll help.",
        "New drivers for the {product} are live: {link}",
        "We're here 24/7 - reply or DM us with your question.",
    ),
    "reply": (
        "same here {eneg}",
        "Did you try updating the BIOS?",
        "This happened to me too with my {product}",
        "lol {epos}",
        "Please DM me, I need this fixed",
        "Any update on this?",
    ),
}

RENREN = {
    "complaint": (
        "宿舍的{product}又{issue}了{rneg}，明天去{brand}服务站看看",
        "毕业设计做到一半电脑{issue}，{brand}你赔我论文{rneg}",
        "{product}{issue}，{brand}客服说要寄回去修{days}天，考试周怎么办{rneg}",
    ),
    "sarcasm": (
        "呵呵，{brand}售后效率真高，修了{n}次{product}还{issue}{rneg}",
        "感谢{product}在考前{issue}，让我提前体验了挂科的感觉(汗)",
    ),
    "question": (
        "考研党求推荐笔记本！预算{budget}，主要看网课和写论文，{brand}的灵越怎么样？",
        "有没有同学知道学校附近哪里有{brand}服务站？{product}{issue}了",
        "{product}能装两块硬盘吗？学长们求解答",
    ),
    "purchase": (
        "毕业了，想给自己买台{product}，{price}贵不贵？",
        "开学季{brand}有学生优惠吗？想入{product}{rpos}",
        "纠结{product}还是{comp_product}，室友说{comp}好(囧)",
    ),
    "praise": (
        "{brand}的学生优惠真不错，{product}到手{rpos}",
        "陪了我四年的{product}还没坏，{brand}良心{rpos}",
        "宿舍开黑，{product}一点都不卡{rpos}",
    ),
    "competitor": (
        "室友的{comp_product}又死机了，还是我的{product}靠谱{rpos}",
        "全宿舍都用{comp}，就我一个用{brand}(囧)",
    ),
    "neutral": (
        "今天{brand}来学校办招聘会了，有没有同学去",
        "图书馆占座ing，{product}电池撑一天没问题",
    ),
    "crisis": (
        "我的{crisis_product}也{crisis_issue}了！{brand}到底管不管{rneg}",
        "全宿舍的{crisis_product}都{crisis_issue}，{brand}是不是该召回了{rneg}",
    ),
    "brand": (
        "戴尔校园行来啦！{product}学生专享价{price}元，快来{city}站体验{rpos}",
        "开学季，戴尔陪你上大学：学生认证购{product}立减{n}00元",
    ),
    "comment": (
        "同问(囧)",
        "我也是{issue}，求解决",
        "学生价多少？",
        "去年买的{product}还不错{rpos}",
        "什么时候来我们学校？",
    ),
}

CRISIS_EN_ISSUES = {
    "蓝屏": "blue-screening",
    "死机": "freezing",
    "黑屏": "black-screening",
}
_ALNUM = string.ascii_letters + string.digits
_TAG_CHARS = string.ascii_uppercase + string.digits


_SIMPLE_CN = {
    "brand": w.DELL_CN,
    "product": w.DELL_PRODUCTS_CN,
    "issue": w.ISSUES_CN,
    "service": w.SERVICE_CN,
    "comp": w.COMPETITORS_CN,
    "comp_product": w.COMPETITOR_PRODUCTS_CN,
    "part": w.PARTS_CN,
    "slang_neg": w.SLANG_NEG,
    "slang_pos": w.SLANG_POS,
    "neg": w.EMO_NEG,
    "pos": w.EMO_POS,
    "sarc": w.EMO_SARC,
    "topic": w.TOPICS_CN,
    "city": w.CITIES_CN,
    "rneg": w.RENREN_EMO_NEG,
    "rpos": w.RENREN_EMO_POS,
}
_SIMPLE_EN = {
    **_SIMPLE_CN,
    "brand": w.DELL_EN,
    "product": w.DELL_PRODUCTS_EN,
    "issue": w.ISSUES_EN,
    "comp": w.COMPETITORS_EN,
    "eneg": w.EMOJI_NEG,
    "epos": w.EMOJI_POS,
    "tag": w.TAGS_EN,
}
_NUMBERS = {"n": (2, 5), "days": (3, 15), "months": (1, 11)}
_CHOICES = {
    "price": ("3999", "4999", "5999", "6999", "7999", "9999", "12999", "14999"),
    "usd": ("699", "899", "999", "1299", "1499", "1999"),
    "budget": ("五千", "六千左右", "8000以内", "一万", "4000"),
}


class Slots(dict):
    """A template's slot values, each drawn from the random on first use (so a slot
    used twice in one template has one value) and in template order (so the text
    is a function of the seed)."""

    def __init__(self, rng: random.Random, crisis_topic: str, *, english: bool = False):
        super().__init__()
        self.rng = rng
        self.simple = _SIMPLE_EN if english else _SIMPLE_CN
        product, _, issue = crisis_topic.strip().partition(" ")
        product = product or "XPS"
        issue = issue.strip() or "出问题"
        self.update(
            crisis_product=product,
            crisis_issue=issue,
            crisis_tag=f"{product}{issue}门",
            crisis_tag_en=product.replace(" ", "") + "gate",
            crisis_issue_en=CRISIS_EN_ISSUES.get(issue, "failing"),
        )

    def __missing__(self, key: str) -> str:
        value = self._draw(key)
        self[key] = value
        return value

    def _draw(self, key: str) -> str:
        rng = self.rng
        if key in self.simple:
            return rng.choice(self.simple[key])
        if key in _NUMBERS:
            return str(rng.randint(*_NUMBERS[key]))
        if key in _CHOICES:
            return rng.choice(_CHOICES[key])
        if key == "link":
            return twitter_link(rng)
        if key == "stag":
            return "".join(rng.choice(_TAG_CHARS) for _ in range(7))
        return ""


def weibo_link(rng: random.Random) -> str:
    return "http://t.cn/" + "".join(rng.choice(_ALNUM) for _ in range(7))


def twitter_link(rng: random.Random) -> str:
    return "https://t.co/" + "".join(rng.choice(_ALNUM) for _ in range(10))


def fill(template: str, slots: Slots) -> str:
    return template.format_map(slots)
