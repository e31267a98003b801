from django.urls import path, re_path

from . import views
from .platforms import renren, shares, twitter, weibo

app_name = "mockfeeds"


def _weibo(resource: str, view):
    """Weibo answers with and without the ".json" suffix."""
    return re_path(rf"^weibo/2/{resource}(?:\.json)?$", view)


urlpatterns = [
    path("_control", views.control, name="control"),
    re_path(r"^(?P<platform>weibo|twitter|renren)/_inbox$", views.inbox, name="inbox"),
    _weibo("statuses/mentions", weibo.mentions),
    _weibo("search/topics", weibo.search_topics),
    _weibo("comments/show", weibo.comments_show),
    _weibo("comments/create", weibo.comments_create),
    _weibo("comments/reply", weibo.comments_reply),
    _weibo("account/rate_limit_status", weibo.rate_limit_status),
    _weibo("statuses/repost", shares.weibo_repost),
    _weibo("statuses/repost_timeline", shares.weibo_repost_timeline),
    path("twitter/2/tweets/search/recent", twitter.search_recent),
    re_path(r"^twitter/2/users/(?P<user_id>\d+)/mentions$", twitter.user_mentions),
    path("twitter/2/tweets", twitter.create_tweet),
    re_path(r"^twitter/2/users/(?P<user_id>\d+)/retweets$", shares.twitter_retweet),
    re_path(
        r"^twitter/2/tweets/(?P<tweet_id>\d+)/retweeted_by$",
        shares.twitter_retweeted_by,
    ),
    re_path(
        r"^twitter/2/tweets/(?P<tweet_id>\d+)/quote_tweets$",
        shares.twitter_quote_tweets,
    ),
    path("renren/v2/status/list", renren.status_list),
    path("renren/v2/feed/list", renren.feed_list),
    path("renren/v2/comment/list", renren.comment_list),
    path("renren/v2/comment/put", renren.comment_put),
    path("renren/v2/status/share", shares.renren_share),
]
