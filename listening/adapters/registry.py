from .base import Adapter
from .renren import RenrenAdapter
from .twitter import TwitterAdapter
from .weibo import WeiboAdapter

ADAPTERS: dict[str, Adapter] = {
    "weibo": WeiboAdapter(),
    "twitter": TwitterAdapter(),
    "renren": RenrenAdapter(),
}
