from django.urls import path, re_path

from . import views
from .platforms import (
    dms,
    publish_renren,
    publish_twitter,
    publish_weibo,
    publishing,
    renren,
    shares,
    twitter,
    weibo,
)

app_name = "mockfeeds"


def _weibo(resource: str, view):
    """Weibo answers with and without the ".json" suffix."""
    return re_path(rf"^weibo/2/{resource}(?:\.json)?$", view)


# The brand's own posts (platform-apis.md §6): mockfeeds/platforms/publishing.py.
PUBLISHING = [
    re_path(
        r"^(?P<platform>weibo|twitter|renren)/_media/(?P<media_id>\d+)$",
        publishing.media,
        name="media",
    ),
    _weibo("statuses/update", publish_weibo.weibo_update),
    _weibo("statuses/upload", publish_weibo.weibo_upload),
    _weibo("statuses/user_timeline", publish_weibo.weibo_user_timeline),
    _weibo("statuses/count", publish_weibo.weibo_count),
    _weibo("users/show", publish_weibo.weibo_users_show),
    path("twitter/2/media/upload", publish_twitter.twitter_media_upload),
    re_path(
        r"^twitter/2/users/(?P<user_id>\d+)/tweets$",
        publish_twitter.twitter_user_tweets,
    ),
    re_path(r"^twitter/2/users/(?P<user_id>\d+)$", publish_twitter.twitter_user),
    path("renren/v2/status/put", publish_renren.renren_status_put),
    path("renren/v2/status/get", publish_renren.renren_status_get),
    path("renren/v2/photo/upload", publish_renren.renren_photo_upload),
    path("renren/v2/page/get", publish_renren.renren_page_get),
]

urlpatterns = [
    path("_control", views.control, name="control"),
    re_path(r"^(?P<platform>weibo|twitter|renren)/_inbox$", views.inbox, name="inbox"),
    _weibo("statuses/mentions", weibo.mentions),
    _weibo("search/topics", weibo.search_topics),
    _weibo("comments/show", weibo.comments_show),
    _weibo("comments/create", weibo.comments_create),
    _weibo("comments/reply", weibo.comments_reply),
    _weibo("account/rate_limit_status", weibo.rate_limit_status),
    # Private messages (platform-apis.md §6).
    _weibo("direct_messages", dms.weibo_direct_messages),
    _weibo("direct_messages/sent", dms.weibo_direct_messages_sent),
    _weibo("direct_messages/new", dms.weibo_direct_messages_new),
    path("twitter/2/dm_events", dms.twitter_dm_events),
    re_path(
        r"^twitter/2/dm_conversations/with/(?P<participant_id>\d{1,19})/dm_events$",
        dms.twitter_dm_conversation_events,
    ),
    re_path(
        r"^twitter/2/dm_conversations/with/(?P<participant_id>\d{1,19})/messages$",
        dms.twitter_dm_send,
    ),
    _weibo("statuses/repost", shares.weibo_repost),
    _weibo("statuses/repost_timeline", shares.weibo_repost_timeline),
    path("twitter/2/tweets/search/recent", twitter.search_recent),
    re_path(r"^twitter/2/users/(?P<user_id>\d+)/mentions$", twitter.user_mentions),
    path("twitter/2/tweets", publish_twitter.tweets),  # GET lookup, POST create
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
    *PUBLISHING,
]
