from .renren import RenrenAdapter
from .twitter import TwitterAdapter
from .weibo import WeiboAdapter

ADAPTERS = {
    "weibo": WeiboAdapter(),
    "twitter": TwitterAdapter(),
    "renren": RenrenAdapter(),
}
