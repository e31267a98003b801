"""The seeded pool of users of each mock platform (index 0 is the brand account)."""

from __future__ import annotations

import datetime as dt
import random

from . import words as w
from .seeding import AUTHOR_STREAM, rng_for

POOL_SIZE = {"weibo": 3000, "twitter": 2000, "renren": 1500}

# The brand accounts: the ids the product's sources are configured with.
BRANDS = {
    "weibo": {
        "ext_id": 1642909335,
        "screen_name": "戴尔中国",
        "name": "戴尔中国",
        "gender": "m",
        "province": "35",
        "city": "2",
        "location": "福建 厦门",
        "description": "戴尔中国官方微博，为您提供产品资讯与服务支持",
        "followers_count": 1_830_412,
        "friends_count": 312,
        "statuses_count": 12_877,
        "verified": True,
        "verified_type": 2,
    },
    "twitter": {
        "ext_id": 17025475,
        "screen_name": "DellCares",
        "name": "Dell Cares",
        "location": "Round Rock, Texas",
        "description": "Official Dell support. We're here to help 24/7.",
        "followers_count": 155_210,
        "friends_count": 1_204,
        "statuses_count": 402_113,
        "verified": True,
        "badge": "business",
    },
    "renren": {
        "ext_id": 600002246,
        "screen_name": "戴尔中国",
        "name": "戴尔中国",
        "description": "戴尔中国人人网公共主页",
        "followers_count": 226_500,
        "verified": True,
    },
}
SURNAMES = "张王李赵陈刘杨黄周吴徐孙胡朱高林何郭马罗"
GIVEN = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "洋",
    "艳",
    "勇",
    "杰",
    "婷",
    "浩然",
    "子涵",
)


def _followers(rng: random.Random, boost: float) -> int:
    # Heavy tail: most people have tens of followers, a few have millions.
    return min(int(rng.paretovariate(1.1) * 30 * boost), 80_000_000)


def _weibo(rng: random.Random, author: dict) -> None:
    nick = (
        rng.choice(w.NICK_HEADS) + rng.choice(w.NICK_BODIES) + rng.choice(w.NICK_TAILS)
    )
    if rng.random() < 0.2:
        nick = rng.choice(w.PINYIN) + str(rng.randint(1980, 2012))
    roll = rng.random()
    if roll < 0.72:
        vtype = -1
    elif roll < 0.82:
        vtype = 220  # the 达人 badge: not a V
    elif roll < 0.93:
        vtype = 0  # individual V
    else:
        vtype = rng.choice((3, 3, 3, 1, 2, 5, 7))  # organisations, mostly media
    code, province, cities = rng.choice(w.PLACES)
    city_code, city, _lat, _lon = rng.choice(cities)
    college = rng.random() < 0.3
    boost = 1 if vtype in (-1, 220) else (40 if vtype == 0 else 150)
    author.update(
        screen_name=nick,
        name=nick,
        gender=rng.choice("mmmmffffn"),
        province=code,
        city=city_code,
        location=f"{province} {city}".strip(),
        description=(
            f"{rng.choice(w.COLLEGES)} 学生"
            if college
            else rng.choice(w.DESCRIPTIONS_CN)
        ),
        followers_count=_followers(rng, boost),
        verified=vtype not in (-1, 220),
        verified_type=vtype,
        is_college=college,
    )


def _twitter(rng: random.Random, author: dict) -> None:
    first, last = rng.choice(w.EN_FIRST), rng.choice(w.EN_LAST)
    handle = f"{first}{rng.choice(('', '_', '.'))}{last}".replace("'", "").replace(
        ".", "_"
    )
    if rng.random() < 0.5:
        handle += str(rng.randint(1, 999))
    badge = (
        "blue" if rng.random() < 0.08 else ("business" if rng.random() < 0.01 else "")
    )
    author.update(
        screen_name=handle.lower()[:15],
        name=f"{first} {last}",
        location=rng.choice(w.EN_PLACES),
        description=rng.choice(w.EN_DESCRIPTIONS),
        followers_count=_followers(rng, 3 if badge else 1),
        verified=bool(badge),
        badge=badge,
        is_college=rng.random() < 0.15,
    )


def _renren(rng: random.Random, author: dict) -> None:
    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    college = rng.random() < 0.8
    author.update(
        screen_name=name,
        name=name,
        gender=rng.choice("mf"),
        location=rng.choice(w.CITIES_CN),
        description=f"{rng.choice(w.COLLEGES)} {rng.randint(2008, 2013)}级"
        if college
        else "",
        followers_count=_followers(rng, 1),
        verified=rng.random() < 0.02,  # Renren's "star"
        is_college=college,
    )


_FILL = {"weibo": _weibo, "twitter": _twitter, "renren": _renren}


def _ext_id(platform: str, rng: random.Random) -> int:
    if platform == "weibo":
        return rng.randrange(1_000_000_000, 7_000_000_000)
    if platform == "twitter":
        if rng.random() < 0.35:  # accounts from before snowflake ids
            return rng.randrange(1_000_000, 999_999_999)
        return rng.randrange(700_000_000_000_000_000, 1_700_000_000_000_000_000)
    return rng.randrange(200_000_000, 500_000_000)


def author_pool(platform: str, seed: int, now: dt.datetime) -> list[dict]:
    """Field dicts of the platform's users, a function of the seed (and of ``now``
    only through their sign-up dates)."""
    brand = {
        "pool_index": 0,
        "is_brand": True,
        "created_at": now - dt.timedelta(days=1500),
        **BRANDS[platform],
    }
    pool = [brand]
    taken = {brand["ext_id"]}
    for index in range(1, POOL_SIZE[platform]):
        rng = rng_for(seed, platform, index, AUTHOR_STREAM)
        ext_id = _ext_id(platform, rng)
        while ext_id in taken:
            ext_id = _ext_id(platform, rng)
        taken.add(ext_id)
        author = {
            "pool_index": index,
            "ext_id": ext_id,
            "friends_count": rng.randint(20, 2000),
            "statuses_count": rng.randint(10, 30_000),
            "favourites_count": rng.randint(0, 3000),
            "created_at": now - dt.timedelta(days=rng.uniform(30, 3000)),
        }
        _FILL[platform](rng, author)
        odd = rng.random()
        if odd < 0.004:
            author["friends_count"] = -3  # seen in a real 2011 payload
        elif odd < 0.006:
            author["followers_count"] = -1
        elif odd < 0.009:
            author["is_deleted"] = True
        elif odd < 0.012:
            author["description"] = rng.choice(w.HOSTILE)
        elif odd < 0.014:
            author["name"] = author["screen_name"] = (
                author["screen_name"][:8] + rng.choice(w.HOSTILE)[:30]
            )
        pool.append(author)
    return pool
